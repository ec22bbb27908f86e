# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ec2_subnets_to_put
version_added: 0.1.0
short_description: The subnets that amazon.aws.ec2_vpc_subnet would create or change
description:
  - Given subnets as the options of M(amazon.aws.ec2_vpc_subnet) with
    O(amazon.aws.ec2_vpc_subnet#module:state=present) and the subnets a VPC holds (one
    M(amazon.aws.ec2_vpc_subnet_info) read), returns the subnets that are missing or differ, so that the module
    is called only for those.
  - The comparison is the module's own (amazon.aws 10, C(ensure_subnet_present)). A subnet is found by its VPC
    and its IPv4 CIDR; it is unchanged when its C(MapPublicIpOnLaunch) is
    O(amazon.aws.ec2_vpc_subnet#module:map_public), its C(AssignIpv6AddressOnCreation) is
    O(amazon.aws.ec2_vpc_subnet#module:assign_instances_ipv6), its associated IPv6 CIDR is
    O(amazon.aws.ec2_vpc_subnet#module:ipv6_cidr) (none when empty) and its tags are
    O(amazon.aws.ec2_vpc_subnet#module:tags) (compared as the module does, with
    O(amazon.aws.ec2_vpc_subnet#module:purge_tags)). Like the module, it does not compare the availability
    zone, since a subnet cannot move.
  - On a subnet that exists, the module reads it four times (its waiter once) and its tags once; with this
    filter a role reads the VPC's subnets once for all of them.
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The subnets, each a dictionary of M(amazon.aws.ec2_vpc_subnet) options (C(vpc_id), C(cidr),
        C(map_public), C(assign_instances_ipv6), C(ipv6_cidr), C(tags), C(purge_tags)); the module's defaults
        apply to the options left out.
      - Other keys (an availability zone, a loop label) are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(subnets) of M(amazon.aws.ec2_vpc_subnet_info).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the VPC's subnets at once
  amazon.aws.ec2_vpc_subnet_info:
    filters:
      vpc-id: "{{ vpc_id }}"
  register: vpc_subnets

- name: Create or change only the subnets that are missing or differ
  amazon.aws.ec2_vpc_subnet:
    vpc_id: "{{ item.vpc_id }}"
    cidr: "{{ item.cidr }}"
    az: "{{ item.az }}"
    map_public: "{{ item.map_public }}"
    tags: "{{ item.tags }}"
    state: present
  loop: "{{ subnets | aws_intro.stack.ec2_subnets_to_put(vpc_subnets.subnets) }}"
"""

RETURN = r"""
_value:
  description: The items of the input whose subnet is missing or differs from them, in input order.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool, tags_differ

_NAME = "ec2_subnets_to_put"
# The IPv6 association states that make a subnet's ipv6_cidr_block in the module (get_subnet_info).
_IPV6_STATES = ("associated", "associating")


def _ipv6_cidr(found):
    """The subnet's IPv6 CIDR as the module sees it: the last associated (or associating) one, else ''."""
    cidr = ""
    for association in found.get("ipv6_cidr_block_association_set") or []:
        if (association.get("ipv6_cidr_block_state") or {}).get("state") in _IPV6_STATES:
            cidr = association["ipv6_cidr_block"]
    return cidr


def _differs(subnet, found):
    """ensure_subnet_present's questions, in its order, on the subnet found by VPC and CIDR."""
    if found is None:
        return True

    def option(key, default):
        return option_bool(_NAME, subnet, key, default)

    return (
        (subnet.get("ipv6_cidr") or "") != _ipv6_cidr(found)
        or option("map_public", False) != bool(found.get("map_public_ip_on_launch"))
        or option("assign_instances_ipv6", False) != bool(found.get("assign_ipv6_address_on_creation"))
        or tags_differ(_NAME, found.get("tags") or {}, subnet.get("tags"), option("purge_tags", True))
    )


def ec2_subnets_to_put(subnets, existing):
    if not is_sequence(subnets) or not is_sequence(existing):
        raise AnsibleFilterError(f"{_NAME}: the subnets and the existing subnets must be lists")
    by_key = {}
    for found in existing:
        # The module takes the first subnet DescribeSubnets returns for the VPC and CIDR.
        by_key.setdefault((found.get("vpc_id"), found.get("cidr_block")), found)
    changes = []
    for subnet in subnets:
        if not isinstance(subnet, dict) or not subnet.get("vpc_id") or not subnet.get("cidr"):
            raise AnsibleFilterError(f"{_NAME}: each subnet needs vpc_id and cidr, got {subnet!r}")
        if _differs(subnet, by_key.get((subnet["vpc_id"], subnet["cidr"]))):
            changes.append(subnet)
    return changes


class FilterModule(object):
    def filters(self):
        return {"ec2_subnets_to_put": ec2_subnets_to_put}
