# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache replication group calls for the elasticache_replication_group module.

Every call is retried with AWSRetry.jittered_backoff() (throttling; a group busy with another change is
retried too) and wrapped by an error handler that raises AnsibleElastiCacheError. A replication group or
cache cluster that does not exist reads as None; deleting one that is already gone returns False.

Engine versions are compared the way AWS reports them (compare_engine_versions): from Redis OSS 6 on (and for
Valkey) a group is created or upgraded with a major.minor version such as ``7.1``, and its member clusters report
the patch level ElastiCache runs, such as ``7.1.0`` (ElastiCache User Guide, "Engine versions and upgrading":
"When operating self-designed clusters, ElastiCache (Redis OSS) also exposes the PATCH component, e.g. Redis OSS
6.2.1"; "Major engine version behavior and compatibility differences with Redis OSS": "Beginning with ElastiCache
version 6.0 for Redis OSS, ElastiCache will offer a single version for each Redis OSS minor release rather than
offering multiple patch versions").
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.amazon.aws.plugins.module_utils.transformation import camel_dict_to_snake_dict

# A group that is still applying another change answers InvalidReplicationGroupState.
BUSY = ["InvalidReplicationGroupState"]

# What an engine version may look like (use fullmatch): 7.1, 5.0.6, or 6.x (any 6, a form AWS took for Redis OSS 6).
ENGINE_VERSION_PATTERN = re.compile(r"\d+(\.\d+){0,2}|\d+\.x")


def engine_version_parts(version):
    """``"7.1.0"`` -> ``(7, 1, 0)``, ``"6.x"`` -> ``(6,)``; None for anything that is not dot-separated numbers."""
    if version is None:
        return None
    parts = str(version).strip().lower().split(".")
    if parts[-1] == "x":
        parts = parts[:-1]
    if not parts or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def compare_engine_versions(requested, reported):
    """How a requested engine version stands to the one AWS reports: 0 when it is satisfied, 1 when it asks for an
    upgrade, -1 when it is lower than what runs (a downgrade, which AWS refuses).

    The request is compared with as many parts of the reported version as it has: ``7.1`` is satisfied by
    ``7.1``, ``7.1.0`` and every later ``7.1.x``, ``6.x`` by any ``6``; a full ``5.0.6`` only by ``5.0.6``.
    Nothing reported (None) reads as an upgrade. Versions that are not numbers compare as text: equal, or an
    upgrade that AWS will judge.
    """
    if reported is None:
        return 1
    wanted, running = engine_version_parts(requested), engine_version_parts(reported)
    if wanted is None or running is None:
        return 0 if str(requested).strip() == str(reported).strip() else 1
    # A reported version shorter than the request (7.1 for a requested 7.1.0) has patch level 0.
    running = (running + (0,) * len(wanted))[:len(wanted)]
    if wanted == running:
        return 0
    return 1 if wanted > running else -1


class AnsibleElastiCacheError(AnsibleAWSError):
    pass


class ElastiCacheErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElastiCacheError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ReplicationGroupNotFoundFault", "CacheClusterNotFound"])


@ElastiCacheErrorHandler.list_error_handler("describe replication group", None)
@AWSRetry.jittered_backoff()
def get_replication_group(client, replication_group_id):
    groups = client.describe_replication_groups(ReplicationGroupId=replication_group_id)["ReplicationGroups"]
    return groups[0] if groups else None


@ElastiCacheErrorHandler.list_error_handler("describe replication groups", [])
@AWSRetry.jittered_backoff()
def describe_replication_groups(client, replication_group_id=None):
    """Every replication group (or the one named), paginated; none found reads as []."""
    kwargs = {"ReplicationGroupId": replication_group_id} if replication_group_id else {}
    paginator = client.get_paginator("describe_replication_groups")
    return paginator.paginate(**kwargs).build_full_result()["ReplicationGroups"]


def normalize_replication_group(group, tags):
    """DescribeReplicationGroups entry -> snake_case dict with a plain ``tags`` dict."""
    result = camel_dict_to_snake_dict(group)
    result["tags"] = tags or {}
    return result


def matches_tags(tags, wanted):
    """True when every key/value of ``wanted`` is in ``tags``."""
    return all(tags.get(key) == value for key, value in (wanted or {}).items())


@ElastiCacheErrorHandler.list_error_handler("describe cache cluster", None)
@AWSRetry.jittered_backoff()
def get_cache_cluster(client, cache_cluster_id):
    clusters = client.describe_cache_clusters(CacheClusterId=cache_cluster_id)["CacheClusters"]
    return clusters[0] if clusters else None


@ElastiCacheErrorHandler.list_error_handler("list tags of a replication group", {})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceName=arn).get("TagList", []))


@ElastiCacheErrorHandler.common_error_handler("create replication group")
@AWSRetry.jittered_backoff()
def create_replication_group(client, **params):
    return client.create_replication_group(**params)["ReplicationGroup"]


@ElastiCacheErrorHandler.common_error_handler("modify replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=BUSY)
def modify_replication_group(client, **params):
    return client.modify_replication_group(**params)["ReplicationGroup"]


@ElastiCacheErrorHandler.common_error_handler("modify the shard configuration of a replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=BUSY)
def modify_shard_configuration(client, **params):
    return client.modify_replication_group_shard_configuration(**params)["ReplicationGroup"]


@ElastiCacheErrorHandler.common_error_handler("change the replica count of a replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=BUSY)
def change_replica_count(client, increase, **params):
    call = client.increase_replica_count if increase else client.decrease_replica_count
    return call(**params)["ReplicationGroup"]


@ElastiCacheErrorHandler.deletion_error_handler("delete replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=BUSY)
def delete_replication_group(client, replication_group_id):
    client.delete_replication_group(ReplicationGroupId=replication_group_id)
    return True


@ElastiCacheErrorHandler.common_error_handler("tag a replication group")
@AWSRetry.jittered_backoff()
def add_tags(client, arn, tags):
    client.add_tags_to_resource(ResourceName=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@ElastiCacheErrorHandler.common_error_handler("untag a replication group")
@AWSRetry.jittered_backoff()
def remove_tags(client, arn, keys):
    client.remove_tags_from_resource(ResourceName=arn, TagKeys=list(keys))
