# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache replication group calls and the logic of the elasticache_replication_group(_info) modules.

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

The modules' view of a group, without AWS calls: ``normalize`` (the result elasticache_replication_group and
elasticache_replication_group_info both return; ``read_replication_group`` reads what it needs), the create request
(``create_params``), check mode's prediction (``predict_created``) and the change plan (``plan_changes``).
``replication_group_waiter`` is botocore's waiter of a group becoming available (every shard too) or deleted.
"""

import copy
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
from ansible_collections.aws_intro.stack.plugins.module_utils.waiters import botocore_waiter

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


def read_replication_group(client, group, tags=None):
    """A DescribeReplicationGroups entry as both modules return it (normalize): with its first member cluster
    that can be read (engine version, subnet group, security groups ... are reported there only) and its tags
    (read when not given)."""
    member = None
    for cluster_id in group.get("MemberClusters") or []:
        member = get_cache_cluster(client, cluster_id)
        if member:
            break
    if tags is None:
        tags = list_tags(client, group["ARN"]) if group.get("ARN") else {}
    return normalize(group, member, tags)


# The group is ready when it and each of its shards is available: botocore's replication_group_available looks at
# the group's status only, and a shard reports its own while it is created or resized. A group not found yet (just
# created) is waited for; one that failed to create ends the wait at once.
_SHARDS_NOT_AVAILABLE = {
    "matcher": "path",
    "argument": "length(ReplicationGroups[].NodeGroups[?Status != 'available'][]) > `0`",
    "expected": True,
    "state": "retry",
}
_CREATE_FAILED = {"matcher": "pathAny", "argument": "ReplicationGroups[].Status", "expected": "create-failed",
                  "state": "failure"}
_NOT_FOUND_YET = {"matcher": "error", "expected": "ReplicationGroupNotFoundFault", "state": "retry"}
WAIT_DELAY = 15


def replication_group_waiter(client, state):
    """botocore's waiter of a replication group becoming ``available`` (every shard too) or ``deleted``."""
    if state == "available":
        return botocore_waiter(client, "replication_group_available", before=[_SHARDS_NOT_AVAILABLE],
                               after=[_CREATE_FAILED, _NOT_FOUND_YET])
    return botocore_waiter(client, "replication_group_deleted")


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


# ---- The module's view of a group (no AWS calls): the normalized result, the create request, the change plan ----


# Options that ModifyReplicationGroup changes in place: option -> (state key, API parameter). engine_version is
# changed in place too, but compared as a version (plan_engine_version).
MODIFIABLE = {
    "description": ("description", "ReplicationGroupDescription"),
    "cache_node_type": ("cache_node_type", "CacheNodeType"),
    "cache_parameter_group_name": ("cache_parameter_group_name", "CacheParameterGroupName"),
    "snapshot_retention_limit": ("snapshot_retention_limit", "SnapshotRetentionLimit"),
    "snapshot_window": ("snapshot_window", "SnapshotWindow"),
    "preferred_maintenance_window": ("preferred_maintenance_window", "PreferredMaintenanceWindow"),
}
# Options AWS (or this module) cannot change on an existing group: option -> state key.
IMMUTABLE = {
    "cluster_mode": "cluster_mode",
    "port": "port",
    "cache_subnet_group_name": "cache_subnet_group_name",
    "at_rest_encryption": "at_rest_encryption_enabled",
    "transit_encryption": "transit_encryption_enabled",
    "kms_key_id": "kms_key_id",
}


def _endpoint(value):
    if not value:
        return {}
    return {"address": value.get("Address"), "port": value.get("Port")}


def normalize(group, member=None, tags=None):
    """DescribeReplicationGroups entry (+ one DescribeCacheClusters member, + tags) -> the module's result.

    AWS reports engine version, subnet group, security groups, parameter group, port and maintenance
    window on the member cache clusters only, so they come from ``member`` (None when it cannot be read).
    """
    if not group:
        return {}
    member = member or {}
    node_groups = group.get("NodeGroups") or []
    first = node_groups[0] if node_groups else {}
    members_per_group = [len(ng.get("NodeGroupMembers") or []) for ng in node_groups]
    cluster_mode = group.get("ClusterMode") or ("enabled" if group.get("ClusterEnabled") else "disabled")
    pending = camel_dict_to_snake_dict(group.get("PendingModifiedValues") or {})
    member_pending = member.get("PendingModifiedValues") or {}
    if member_pending.get("CacheNodeType"):
        pending["cache_node_type"] = member_pending["CacheNodeType"]
    if member_pending.get("EngineVersion"):
        pending["engine_version"] = member_pending["EngineVersion"]
    return {
        "replication_group_id": group.get("ReplicationGroupId"),
        "arn": group.get("ARN"),
        "description": group.get("Description"),
        "status": group.get("Status"),
        "engine": group.get("Engine") or member.get("Engine") or "redis",
        "engine_version": member.get("EngineVersion"),
        "cache_node_type": group.get("CacheNodeType"),
        "cluster_mode": "enabled" if cluster_mode == "enabled" else "disabled",
        "num_node_groups": len(node_groups),
        # A shard holds its primary and its replicas; a group without members yet reads as 0.
        "replicas_per_node_group": max(min(members_per_group) - 1, 0) if members_per_group else 0,
        "automatic_failover": group.get("AutomaticFailover"),
        "multi_az": group.get("MultiAZ"),
        "at_rest_encryption_enabled": bool(group.get("AtRestEncryptionEnabled")),
        "transit_encryption_enabled": bool(group.get("TransitEncryptionEnabled")),
        "auth_token_enabled": bool(group.get("AuthTokenEnabled")),
        "kms_key_id": group.get("KmsKeyId"),
        "cache_subnet_group_name": member.get("CacheSubnetGroupName"),
        "security_group_ids": sorted(sg["SecurityGroupId"] for sg in member.get("SecurityGroups") or []),
        "cache_parameter_group_name": (member.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
        "port": (first.get("PrimaryEndpoint") or group.get("ConfigurationEndpoint") or {}).get("Port")
        or (member.get("ConfigurationEndpoint") or {}).get("Port"),
        "snapshot_retention_limit": group.get("SnapshotRetentionLimit"),
        "snapshot_window": group.get("SnapshotWindow"),
        "preferred_maintenance_window": member.get("PreferredMaintenanceWindow"),
        "primary_endpoint": _endpoint(first.get("PrimaryEndpoint")) if cluster_mode != "enabled" else {},
        "reader_endpoint": _endpoint(first.get("ReaderEndpoint")) if cluster_mode != "enabled" else {},
        "configuration_endpoint": _endpoint(group.get("ConfigurationEndpoint")),
        "member_clusters": list(group.get("MemberClusters") or []),
        "node_groups": [
            {
                "node_group_id": ng.get("NodeGroupId"),
                "status": ng.get("Status"),
                "slots": ng.get("Slots"),
                "primary_endpoint": _endpoint(ng.get("PrimaryEndpoint")),
                "reader_endpoint": _endpoint(ng.get("ReaderEndpoint")),
                "members": [
                    {
                        "cache_cluster_id": m.get("CacheClusterId"),
                        "current_role": m.get("CurrentRole"),
                        "preferred_availability_zone": m.get("PreferredAvailabilityZone"),
                        "read_endpoint": _endpoint(m.get("ReadEndpoint")),
                    }
                    for m in ng.get("NodeGroupMembers") or []
                ],
            }
            for ng in node_groups
        ],
        "pending_modified_values": pending,
        "tags": tags or {},
    }


def create_params(params):
    """CreateReplicationGroup arguments for the module's options."""
    api = {
        "ReplicationGroupId": params["replication_group_id"],
        "ReplicationGroupDescription": params["description"],
    }
    simple = {
        "engine": "Engine",
        "engine_version": "EngineVersion",
        "cache_node_type": "CacheNodeType",
        "num_node_groups": "NumNodeGroups",
        "replicas_per_node_group": "ReplicasPerNodeGroup",
        "automatic_failover": "AutomaticFailoverEnabled",
        "multi_az": "MultiAZEnabled",
        "at_rest_encryption": "AtRestEncryptionEnabled",
        "kms_key_id": "KmsKeyId",
        "transit_encryption": "TransitEncryptionEnabled",
        "auth_token": "AuthToken",
        "cache_subnet_group_name": "CacheSubnetGroupName",
        "security_group_ids": "SecurityGroupIds",
        "cache_parameter_group_name": "CacheParameterGroupName",
        "port": "Port",
        "snapshot_retention_limit": "SnapshotRetentionLimit",
        "snapshot_window": "SnapshotWindow",
        "preferred_maintenance_window": "PreferredMaintenanceWindow",
    }
    for option, parameter in simple.items():
        if params[option] is not None:
            api[parameter] = params[option]
    if params["cluster_mode"] is not None:
        api["ClusterMode"] = params["cluster_mode"]
    if params["cluster_mode"] == "enabled" and params["num_node_groups"] is None:
        api["NumNodeGroups"] = 1
    if params["preferred_maintenance_window"] is not None:
        api["PreferredMaintenanceWindow"] = params["preferred_maintenance_window"].lower()
    if params["tags"]:
        api["Tags"] = [{"Key": k, "Value": v} for k, v in params["tags"].items()]
    return api


def predict_created(params):
    """The group as check mode predicts it will be created (AWS fills in ids and endpoints)."""
    replicas = params["replicas_per_node_group"] or 0
    shards = params["num_node_groups"] or 1
    return {
        "replication_group_id": params["replication_group_id"],
        "description": params["description"],
        "status": "creating",
        "engine": params["engine"] or "redis",
        "engine_version": params["engine_version"],
        "cache_node_type": params["cache_node_type"],
        "cluster_mode": params["cluster_mode"] or "disabled",
        "num_node_groups": shards,
        "replicas_per_node_group": replicas,
        "automatic_failover": "enabled" if params["automatic_failover"] else "disabled",
        "multi_az": "enabled" if params["multi_az"] else "disabled",
        "at_rest_encryption_enabled": bool(params["at_rest_encryption"]),
        "transit_encryption_enabled": bool(params["transit_encryption"]),
        "auth_token_enabled": params["auth_token"] is not None,
        "kms_key_id": params["kms_key_id"],
        "cache_subnet_group_name": params["cache_subnet_group_name"],
        "security_group_ids": sorted(params["security_group_ids"] or []),
        "cache_parameter_group_name": params["cache_parameter_group_name"],
        "port": params["port"] or 6379,
        "snapshot_retention_limit": params["snapshot_retention_limit"] or 0,
        "snapshot_window": params["snapshot_window"],
        "preferred_maintenance_window": (params["preferred_maintenance_window"] or "").lower() or None,
        "primary_endpoint": {},
        "reader_endpoint": {},
        "configuration_endpoint": {},
        "member_clusters": [],
        "node_groups": [],
        "pending_modified_values": {},
        "tags": params["tags"] or {},
    }


def plan_changes(current, params):
    """What it takes to bring ``current`` (normalized) to the options.

    Returns (errors, modify, shards, replicas, predicted): ModifyReplicationGroup arguments (without the
    group id), the new shard count or None, the new replica count or None, and the predicted group.
    """
    errors = []
    predicted = copy.deepcopy(current)
    pending = current.get("pending_modified_values") or {}
    for option, key in IMMUTABLE.items():
        wanted = params[option]
        if wanted is None or current.get(key) is None:
            continue
        if wanted != current[key]:
            errors.append(
                f"{option} cannot change on an existing replication group ({current[key]!r} -> {wanted!r}): "
                "create a new group and move the data (this module never replaces one)"
            )
    engine_change = (current.get("engine"), params["engine"])
    if params["engine"] is not None and engine_change[0] != engine_change[1] and engine_change != ("redis", "valkey"):
        errors.append(f"engine cannot change from {current.get('engine')!r} to {params['engine']!r}")

    modify = {}
    for option, (key, parameter) in MODIFIABLE.items():
        wanted = params[option]
        if option == "preferred_maintenance_window" and wanted is not None:
            wanted = wanted.lower()
        if wanted is None or wanted == pending.get(key, current.get(key)):
            continue
        modify[parameter] = wanted
        predicted[key] = wanted
    version_error, version = plan_engine_version(current, params["engine_version"])
    if version_error:
        errors.append(version_error)
    elif version is not None:
        modify["EngineVersion"] = version
        predicted["engine_version"] = version
    if params["engine"] is not None and params["engine"] != current.get("engine") and not errors:
        modify["Engine"] = params["engine"]
        predicted["engine"] = params["engine"]
    if params["security_group_ids"] is not None and sorted(params["security_group_ids"]) != current.get(
        "security_group_ids"
    ):
        modify["SecurityGroupIds"] = params["security_group_ids"]
        predicted["security_group_ids"] = sorted(params["security_group_ids"])
    for option, key, parameter in (
        ("automatic_failover", "automatic_failover", "AutomaticFailoverEnabled"),
        ("multi_az", "multi_az", "MultiAZEnabled"),
    ):
        if params[option] is None:
            continue
        is_on = current.get(key) in ("enabled", "enabling")
        if params[option] != is_on:
            modify[parameter] = params[option]
            predicted[key] = "enabled" if params[option] else "disabled"
    if params["auth_token_update_strategy"] and params["auth_token"] is not None:
        modify["AuthToken"] = params["auth_token"]
        modify["AuthTokenUpdateStrategy"] = params["auth_token_update_strategy"]
        predicted["auth_token_enabled"] = True
    if modify:
        modify["ApplyImmediately"] = params["apply_immediately"]
        if not params["apply_immediately"]:
            # Node type and engine version wait for the maintenance window; AWS reports them as pending.
            for key, parameter in (("cache_node_type", "CacheNodeType"), ("engine_version", "EngineVersion")):
                if parameter in modify:
                    predicted[key] = current.get(key)
                    predicted.setdefault("pending_modified_values", {})[key] = modify[parameter]

    shards = None
    if params["num_node_groups"] is not None and params["num_node_groups"] != current.get("num_node_groups"):
        if current.get("cluster_mode") != "enabled":
            errors.append("num_node_groups can only change with cluster_mode=enabled")
        else:
            shards = params["num_node_groups"]
            predicted["num_node_groups"] = shards
    replicas = None
    wanted_replicas = params["replicas_per_node_group"]
    if wanted_replicas is not None and wanted_replicas != current.get("replicas_per_node_group"):
        replicas = wanted_replicas
        predicted["replicas_per_node_group"] = replicas
    if modify or shards is not None or replicas is not None:
        predicted["status"] = "modifying"
    return errors, modify, shards, replicas, predicted


def plan_engine_version(current, wanted):
    """(error, version to send) for a requested engine version; (None, None) when nothing is to change.

    AWS reports the patch level (7.1.0) of a requested major.minor (7.1), so the request is compared as a version
    with what the group runs, or with the upgrade it has pending for the maintenance window.
    """
    if wanted is None:
        return None, None
    pending = (current.get("pending_modified_values") or {}).get("engine_version")
    running = pending or current.get("engine_version")
    order = compare_engine_versions(wanted, running)
    if order < 0:
        what = f"the upgrade to {pending} pending on" if pending else f"{running}, the version of"
        return (
            f"engine_version {wanted} is lower than {what} replication group {current.get('replication_group_id')}: "
            "AWS cannot downgrade an engine (create a new group to run an older version)"
        ), None
    return None, (wanted if order > 0 else None)
