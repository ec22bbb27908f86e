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
  description: The replication groups found, as DescribeReplicationGroups returns them in snake_case, with their tags.
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
    status:
      description: Status of the group.
      type: str
      sample: available
    member_clusters:
      description: Ids of the cache clusters (nodes) of the group; CloudWatch reports per node under C(CacheClusterId).
      type: list
      elements: str
      sample: ["aws-intro-cache-001", "aws-intro-cache-002"]
    node_groups:
      description: The shards with their members and endpoints.
      type: list
      elements: dict
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
    normalize_replication_group,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule


def find_replication_groups(client, replication_group_id, wanted_tags):
    found = []
    for group in describe_replication_groups(client, replication_group_id) or []:
        tags = list_tags(client, group["ARN"]) if group.get("ARN") else {}
        if matches_tags(tags, wanted_tags):
            found.append(normalize_replication_group(group, tags))
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
