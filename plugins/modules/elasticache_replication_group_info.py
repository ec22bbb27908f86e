#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_replication_group_info
version_added: 0.1.0
short_description: Find ElastiCache replication groups and their tags
description:
  - Lists ElastiCache (Redis OSS / Valkey) replication groups, or reads one by id, with their tags.
  - Filters them by tags, so a role that runs alone can find the stack's groups by C(Stack) tag.
  - Each group is returned in the shape M(aws_intro.stack.elasticache_replication_group) returns it.
  - Makes no change.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  replication_group_id:
    description:
      - Id of one replication group. Without it, every group of the region is listed.
      - A group that does not exist gives an empty list, not an error.
    type: str
  tags:
    description:
      - Only groups carrying all of these tags (key and value) are returned.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Find the replication groups of stack aws-intro
  aws_intro.stack.elasticache_replication_group_info:
    tags:
      Stack: aws-intro
  register: groups

- name: Read one replication group
  aws_intro.stack.elasticache_replication_group_info:
    replication_group_id: aws-intro-cache
  register: group
"""

RETURN = r"""
replication_groups:
  description:
    - The replication groups found, each in the shape M(aws_intro.stack.elasticache_replication_group) returns as
      C(replication_group) (the same function makes both), with its tags.
  returned: always
  type: list
  elements: dict
  contains:
    replication_group_id:
      description: Id of the group.
      type: str
      sample: aws-intro-cache
    arn:
      description: ARN of the group.
      type: str
      sample: arn:aws:elasticache:ap-northeast-2:111122223333:replicationgroup:aws-intro-cache
    description:
      description: Description of the group.
      type: str
      sample: aws-intro Rails cache
    status:
      description: Status of the group (C(creating), C(available), C(modifying), C(deleting) ...).
      type: str
      sample: available
    engine:
      description: Cache engine.
      type: str
      sample: redis
    engine_version:
      description: Engine version as AWS reports it on a member cluster, with its patch level.
      type: str
      sample: "7.1.0"
    cache_node_type:
      description: Node type.
      type: str
      sample: cache.t3.micro
    cluster_mode:
      description: V(enabled) or V(disabled).
      type: str
      sample: disabled
    num_node_groups:
      description: Number of shards.
      type: int
      sample: 1
    replicas_per_node_group:
      description: Read replicas in each shard.
      type: int
      sample: 1
    automatic_failover:
      description: Automatic failover status.
      type: str
      sample: enabled
    multi_az:
      description: Multi-AZ status.
      type: str
      sample: enabled
    at_rest_encryption_enabled:
      description: Whether data at rest is encrypted.
      type: bool
      sample: true
    transit_encryption_enabled:
      description: Whether traffic is encrypted with TLS.
      type: bool
      sample: false
    auth_token_enabled:
      description: Whether the group has an AUTH token (the token itself is never returned).
      type: bool
      sample: false
    kms_key_id:
      description: KMS key of encryption at rest, when one was given.
      type: str
      sample: null
    cache_subnet_group_name:
      description: Cache subnet group.
      type: str
      sample: aws-intro-cache
    security_group_ids:
      description: VPC security groups of the nodes.
      type: list
      elements: str
      sample: [sg-0123456789abcdef0]
    cache_parameter_group_name:
      description: Cache parameter group.
      type: str
      sample: default.redis7
    port:
      description: Port of the nodes.
      type: int
      sample: 6379
    snapshot_retention_limit:
      description: Days automatic snapshots are kept.
      type: int
      sample: 1
    snapshot_window:
      description: Daily snapshot window (UTC).
      type: str
      sample: "17:00-18:00"
    preferred_maintenance_window:
      description: Weekly maintenance window (UTC).
      type: str
      sample: "sun:18:00-sun:19:00"
    primary_endpoint:
      description: Address and port of the primary (cluster mode disabled).
      type: dict
      sample: {"address": "master.aws-intro-cache.abcdef.apn2.cache.amazonaws.com", "port": 6379}
    reader_endpoint:
      description: Address and port that spread reads over the replicas (cluster mode disabled).
      type: dict
      sample: {"address": "replica.aws-intro-cache.abcdef.apn2.cache.amazonaws.com", "port": 6379}
    configuration_endpoint:
      description: Address and port of the configuration endpoint (cluster mode enabled).
      type: dict
      sample: {}
    member_clusters:
      description: Ids of the cache clusters (nodes) of the group; CloudWatch reports per node under C(CacheClusterId).
      type: list
      elements: str
      sample: ["aws-intro-cache-001", "aws-intro-cache-002"]
    node_groups:
      description:
        - The shards, each with C(node_group_id), C(status), C(slots), C(primary_endpoint), C(reader_endpoint) and
          C(members) (each with C(cache_cluster_id), C(current_role), C(preferred_availability_zone) and
          C(read_endpoint)).
      type: list
      elements: dict
    pending_modified_values:
      description: Changes AWS will apply in the maintenance window (snake_case).
      type: dict
      sample: {"cache_node_type": "cache.t3.small"}
    tags:
      description: Tags of the group.
      type: dict
      sample: {"Stack": "aws-intro"}
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.elasticache import (
    AnsibleElastiCacheError,
    describe_replication_groups,
    list_tags,
    matches_tags,
    read_replication_group,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule


def find_replication_groups(client, replication_group_id, wanted_tags):
    found = []
    for group in describe_replication_groups(client, replication_group_id) or []:
        tags = list_tags(client, group["ARN"]) if group.get("ARN") else {}
        if matches_tags(tags, wanted_tags):
            found.append(read_replication_group(client, group, tags))
    return found


def main():
    argument_spec = dict(
        replication_group_id=dict(type="str"),
        tags=dict(type="dict", default={}),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("elasticache")
    try:
        groups = find_replication_groups(client, module.params["replication_group_id"], module.params["tags"])
    except AnsibleElastiCacheError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, replication_groups=groups)


if __name__ == "__main__":
    main()
