# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ec2_instances_to_put
version_added: 0.1.0
short_description: The instances that amazon.aws.ec2_instance would launch, change, start or terminate
description:
  - Given instances as the options of M(amazon.aws.ec2_instance), each with
    O(amazon.aws.ec2_instance#module:filters), and the instances a read found (one
    M(amazon.aws.ec2_instance_info) call whose filters include every instance those filters match), returns the
    items the module would change, so that it is called only for those.
  - The comparison is the module's own (amazon.aws 10, C(handle_existing) and C(ensure_instance_state)). The
    instances an item's filters match in the read are the module's matches; with none, the module would launch
    one. With O(amazon.aws.ec2_instance#module:state=running) (or C(started), C(present)), each match must be
    C(pending) or C(running); carry the tags given, with the C(Name) tag from O(amazon.aws.ec2_instance#module:name)
    (compared as the module does, with O(amazon.aws.ec2_instance#module:purge_tags), which is off when only the
    name is given); have the metadata options given, the module's defaults filling the ones left out; the instance
    type given; exactly the security groups given; and the instance profile given (by name or ARN). With
    C(state=terminated) (or C(absent)), an item is returned when its filters match an instance.
  - Options that only shape a launch (C(image_id), C(key_name), C(user_data), C(vpc_subnet_id), C(volumes),
    C(wait), C(wait_timeout)) are not compared, as the module does not compare them on an instance that exists.
    Other options are refused, as are security groups given by name, filters other than C(tag:*), C(vpc-id),
    C(subnet-id), C(instance-id), C(image-id) and C(instance-state-name), and filter values with wildcards.
  - An instance with more than one network interface is returned when security groups are given (the module then
    warns that it skips them).
  - On three instances that exist, the module makes nine calls each (four reads of the instances, two of their
    attributes, the tags, the subnet and the security groups); with this filter a role reads them once.
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The instances, each a dictionary of M(amazon.aws.ec2_instance) options with C(filters).
      - Keys that are not options of the module (a loop label) are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description:
      - The C(instances) of M(amazon.aws.ec2_instance_info), read with filters that include every instance the
        items' filters match (the filter cannot see an instance the read left out).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the stack's instances at once
  amazon.aws.ec2_instance_info:
    filters:
      vpc-id: "{{ vpc_id }}"
      "tag:Stack": "{{ stack_name }}"
      instance-state-name: [pending, running, stopping, stopped]
  register: found

- name: Launch or change only the instances that are missing or differ
  amazon.aws.ec2_instance:
    name: "{{ item.name }}"
    image_id: "{{ ami }}"
    instance_type: t3.micro
    vpc_subnet_id: "{{ item.subnet }}"
    security_groups: ["{{ web_group_id }}"]
    tags: {Stack: "{{ stack_name }}"}
    filters: "{{ item.filters }}"
    state: running
  loop: "{{ hosts | aws_intro.stack.ec2_instances_to_put(found.instances) }}"
"""

RETURN = r"""
_value:
  description: The items of the input whose instance is missing or differs from them, in input order.
  type: list
  elements: dict
"""

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool, tags_differ

_NAME = "ec2_instances_to_put"
# The module's other options (amazon.aws 10): the filter does not know what the module does with them.
_REFUSED = ("count", "exact_count", "image", "aap_callback", "ebs_optimized", "availability_zone", "security_group",
            "launch_template", "license_specifications", "cpu_credit_specification", "cpu_options", "tenancy",
            "placement_group", "placement", "instance_initiated_shutdown_behavior", "termination_protection",
            "hibernation_options", "detailed_monitoring", "instance_ids", "network", "additional_info",
            "network_interfaces_ids", "network_interfaces", "source_dest_check")
# The module's metadata_options suboptions and their defaults (its argument spec).
_METADATA_DEFAULTS = {"http_endpoint": "enabled", "http_put_response_hop_limit": 1, "http_tokens": "optional",
                      "http_protocol_ipv6": "disabled", "instance_metadata_tags": "disabled"}
# What each supported filter reads in an instance of ec2_instance_info.
_FILTERS = {
    "vpc-id": lambda instance: instance.get("vpc_id"),
    "subnet-id": lambda instance: instance.get("subnet_id"),
    "instance-id": lambda instance: instance.get("instance_id"),
    "image-id": lambda instance: instance.get("image_id"),
    "instance-state-name": lambda instance: (instance.get("state") or {}).get("name"),
}
_RUNNING = ("running", "started", "present")
_TERMINATED = ("terminated", "absent")


def _filter_values(key, value):
    """ansible_dict_to_boto3_filter_list: a list as it is, anything else as one value in text."""
    values = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    if any(char in v for v in values for char in "*?\\"):
        raise AnsibleFilterError(f"{_NAME}: wildcards are not supported, in filter {key}: {value!r}")
    return set(values)


def _matcher(filters):
    """The instances the module's filters find (find_instances: keys other than tag:* get '-' for '_')."""
    if not isinstance(filters, dict) or not filters:
        raise AnsibleFilterError(f"{_NAME}: each instance needs filters, got {filters!r}")
    tests = []
    for key, value in filters.items():
        values = _filter_values(key, value)
        if key.startswith("tag:"):
            tag = key[4:]
            tests.append(lambda instance, tag=tag, values=values: (instance.get("tags") or {}).get(tag) in values)
            continue
        key = key.replace("_", "-")
        if key not in _FILTERS:
            raise AnsibleFilterError(f"{_NAME}: filter {key} not supported")
        tests.append(lambda instance, read=_FILTERS[key], values=values: read(instance) in values)
    return lambda instance: all(test(instance) for test in tests)


def _tags_differ(item, found):
    """handle_existing: the name goes in as the Name tag; given alone, it purges nothing."""
    tags, purge = item.get("tags"), option_bool(_NAME, item, "purge_tags", True)
    if item.get("name"):
        if tags is None:
            tags, purge = {}, False
        if not isinstance(tags, dict):
            raise AnsibleFilterError(f"{_NAME}: tags must be a dictionary, got {tags!r}")
        tags = {**tags, "Name": item["name"]}
    return tags_differ(_NAME, found.get("tags") or {}, tags, purge)


def _metadata_differs(item, found):
    """change_instance_metadata_options: the options the instance reports and the module sets, compared."""
    given = item.get("metadata_options")
    if given is None:
        return False
    if not isinstance(given, dict) or set(given) - set(_METADATA_DEFAULTS):
        raise AnsibleFilterError(f"{_NAME}: metadata_options {given!r} not supported")
    wanted = {key: default if given.get(key) is None else given[key] for key, default in _METADATA_DEFAULTS.items()}
    wanted["http_put_response_hop_limit"] = int(wanted["http_put_response_hop_limit"])
    current = found.get("metadata_options") or {}
    return any(current[key] != wanted[key] for key in set(current) & set(wanted))


def _groups_differ(item, found):
    """diff_instance_and_params: the instance's groups against those given (by id; a name would be looked up)."""
    groups = item.get("security_groups") or []
    if isinstance(groups, str):
        groups = groups.split(",")
    if not groups:
        return False
    if any(not re.match(r"^sg-[a-fA-F0-9]+$", str(group)) for group in groups):
        raise AnsibleFilterError(f"{_NAME}: give security groups by id, got {groups!r}")
    if len(found.get("network_interfaces") or []) > 1:
        return True  # the module warns that it skips them
    return {group["group_id"] for group in found.get("security_groups") or []} != set(groups)


def _profile_differs(item, found):
    """add_or_update_instance_profile: the profile given, by name or ARN, is the one associated."""
    wanted = item.get("iam_instance_profile")
    if not wanted:
        return False
    arn = (found.get("iam_instance_profile") or {}).get("arn") or ""
    if wanted.startswith("arn:"):
        return arn != wanted
    # A name is unique in the account, and ends the profile's ARN (instance-profile/<path><name>).
    return not arn.endswith("/" + wanted)


def _differs(item, found):
    return (
        (found.get("state") or {}).get("name") not in ("pending", "running")
        or _tags_differ(item, found)
        or _metadata_differs(item, found)
        or (item.get("instance_type") is not None and found.get("instance_type") != item["instance_type"])
        or _groups_differ(item, found)
        or _profile_differs(item, found)
    )


def ec2_instances_to_put(items, existing):
    if not is_sequence(items) or not is_sequence(existing):
        raise AnsibleFilterError(f"{_NAME}: the instances and the existing instances must be lists")
    changes = []
    for item in items:
        if not isinstance(item, dict):
            raise AnsibleFilterError(f"{_NAME}: each instance must be a dictionary, got {item!r}")
        unsupported = [key for key in _REFUSED if item.get(key) is not None]
        if unsupported:
            raise AnsibleFilterError(f"{_NAME}: {', '.join(unsupported)} not supported, in {item!r}")
        state = item.get("state") or "present"
        if state not in _RUNNING + _TERMINATED:
            raise AnsibleFilterError(f"{_NAME}: state {state!r} not supported")
        matches = [found for found in existing if _matcher(item.get("filters"))(found)]
        if state in _TERMINATED:
            if matches:
                changes.append(item)
        elif not matches or any(_differs(item, found) for found in matches):
            changes.append(item)
    return changes


class FilterModule(object):
    def filters(self):
        return {"ec2_instances_to_put": ec2_instances_to_put}
