# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: tags_differ
version_added: 0.1.0
short_description: Whether a module's tags and purge_tags would change the tags a resource has
description:
  - Given the tags a resource has and the O(tags) and O(purge_tags) options of an amazon.aws module, tells whether
    the module would add, change or remove a tag. The comparison is amazon.aws's own (C(ensure_ec2_tags), which
    M(amazon.aws.ec2_vpc_igw), M(amazon.aws.ec2_vpc_nat_gateway) and M(amazon.aws.ec2_vpc_endpoint) call on a
    resource that exists, with C(compare_aws_tags)); no O(tags) changes nothing, and O(purge_tags) with no tags
    removes every tag. (M(amazon.aws.ec2_vpc_endpoint) and M(amazon.aws.rds_instance_param_group) differ there, they
    leave the tags alone when O(tags) is empty, so give them tags.)
  - A role that has read a resource with its C(_info) module can then call the module only when its tags differ
    (for those modules the tags are the one thing they change on a resource that is in place), instead of letting
    it read the resource and its tags again.
author:
  - aws_intro.stack developers (@aws-intro)
positional: tags, purge_tags
options:
  _input:
    description:
      - The tags the resource has, as a dictionary, or as the list of C(Key)/C(Value) (or C(key)/C(value))
        dictionaries that some C(_info) modules return.
    type: raw
    required: true
  tags:
    description: The module's O(tags) option; C(null) leaves the tags as they are.
    type: dict
    required: true
  purge_tags:
    description: The module's O(purge_tags) option.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Attach the internet gateway, or put its tags back, only when it is not as asked
  amazon.aws.ec2_vpc_igw:
    vpc_id: "{{ vpc_id }}"
    internet_gateway_id: "{{ found.internet_gateway_id }}"
    tags: "{{ igw_tags }}"
    state: present
  when: >-
    found.attachments | map(attribute='vpc_id') | first | default('') != vpc_id
    or found.tags | aws_intro.stack.tags_differ(igw_tags)
"""

RETURN = r"""
_value:
  description: C(true) when the module would change a tag, else C(false).
  type: bool
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import tags_differ as _tags_differ

NAME = "tags_differ"


def _found_tags(found):
    """The tags found as a dictionary: None is none; a list of Key/Value (or key/value) pairs is read as boto3
    gives it."""
    if found is None:
        return {}
    if is_sequence(found) and all(isinstance(tag, Mapping) for tag in found):
        return boto3_tag_list_to_ansible_dict(list(found))
    if isinstance(found, Mapping):
        return dict(found)
    raise AnsibleFilterError(f"{NAME}: the tags found must be a dictionary or a list of Key/Value, got {found!r}")


def tags_differ(found, tags, purge_tags=True):
    purge = option_bool(NAME, {"purge_tags": purge_tags}, "purge_tags", default=True)
    return _tags_differ(NAME, _found_tags(found), tags, purge)


class FilterModule(object):
    def filters(self):
        return {"tags_differ": tags_differ}
