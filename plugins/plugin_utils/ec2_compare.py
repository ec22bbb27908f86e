# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the put filters (ec2_subnets_to_put, ec2_vpc_nets_to_put, ec2_vpc_route_tables_to_put, ...,
sns_topics_to_put) share: a module option read as the module's type=bool reads it, and the tag comparison of
amazon.aws's ensure_ec2_tags (community.aws.sns_topic's update_tags compares the same way)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def option_bool(name, options, key, default=None):
    """options[key] as type=bool takes it; default when it is left out (None)."""
    value = options.get(key)
    if value is None:
        return default
    try:
        return boolean(value, strict=True)
    except TypeError as error:
        raise AnsibleFilterError(f"{name}: {key} of {options!r} is not a boolean") from error


def tags_differ(name, found_tags, tags, purge_tags):
    """ensure_ec2_tags: no tags given changes nothing; purge with {} removes every tag."""
    if tags is None:
        return False
    if not isinstance(tags, dict):
        raise AnsibleFilterError(f"{name}: tags must be a dictionary, got {tags!r}")
    to_set, to_unset = compare_aws_tags(found_tags, tags, purge_tags)
    if purge_tags and not tags:
        to_unset = list(found_tags)
    return bool(to_set or to_unset)
