# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ec2_vpc_nets_to_put
version_added: 0.1.0
short_description: The VPCs that amazon.aws.ec2_vpc_net would change
description:
  - Given VPCs as the options of M(amazon.aws.ec2_vpc_net) with O(amazon.aws.ec2_vpc_net#module:state=present)
    and O(amazon.aws.ec2_vpc_net#module:vpc_id), and the VPCs M(amazon.aws.ec2_vpc_net_info) read, returns the
    VPCs that are missing or differ, so that the module is called only for those.
  - The comparison is the module's own (amazon.aws 10, C(ensure_present) on a VPC given by id). The Amazon IPv6
    block when O(amazon.aws.ec2_vpc_net#module:ipv6_cidr) is set; the tags, with the C(Name) tag from
    O(amazon.aws.ec2_vpc_net#module:name) (C(purge_tags) off when only the name is given); the IPv4 CIDRs
    (added ones only, unless O(amazon.aws.ec2_vpc_net#module:purge_cidrs)); the DHCP options set, DNS support
    and DNS hostnames when given. Like the module, it does not compare the tenancy of a VPC that exists.
  - On a VPC that exists the module makes ten calls (five reads of the VPC, its waiters included, one of its
    tags, two of each DNS attribute); M(amazon.aws.ec2_vpc_net_info) reads what they compare in three.
  - A VPC given without an id (the module then finds it by name and CIDR, or creates it) is always returned.
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The VPCs, each a dictionary of M(amazon.aws.ec2_vpc_net) options (C(vpc_id), C(name), C(cidr_block),
        C(ipv6_cidr), C(purge_cidrs), C(dhcp_opts_id), C(dns_support), C(dns_hostnames), C(tags),
        C(purge_tags)); the module's defaults apply to the options left out.
      - Other keys are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(vpcs) of M(amazon.aws.ec2_vpc_net_info).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Find the VPC by its tags
  amazon.aws.ec2_vpc_net_info:
    filters:
      "tag:Name": sample-vpc
  register: found

- name: Change the VPC only if it differs
  amazon.aws.ec2_vpc_net:
    vpc_id: "{{ found.vpcs[0].id }}"
    name: sample-vpc
    cidr_block: 10.0.0.0/16
    dns_support: true
    dns_hostnames: true
    state: present
  when: >-
    [{'vpc_id': found.vpcs[0].id, 'name': 'sample-vpc', 'cidr_block': '10.0.0.0/16', 'dns_support': true,
      'dns_hostnames': true}] | aws_intro.stack.ec2_vpc_nets_to_put(found.vpcs) | length > 0
"""

RETURN = r"""
_value:
  description: The items of the input whose VPC is missing or differs from them, in input order.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool, tags_differ

_NAME = "ec2_vpc_nets_to_put"
_LIVE = ("associated", "associating")  # update_ipv6_cidrs
_GONE = ("disassociating", "disassociated")  # update_cidrs


def _has_amazon_ipv6(found):
    return any(association.get("ipv6_pool") == "Amazon"
               and (association.get("ipv6_cidr_block_state") or {}).get("state") in _LIVE
               for association in found.get("ipv6_cidr_block_association_set") or [])


def _cidrs_differ(found, cidr_block, purge_cidrs):
    if not cidr_block:
        return False
    wanted = [cidr_block] if isinstance(cidr_block, str) else list(cidr_block)
    current = {association["cidr_block"] for association in found.get("cidr_block_association_set") or []
               if (association.get("cidr_block_state") or {}).get("state") not in _GONE}
    desired = set(wanted) if purge_cidrs else set(wanted) | current
    return desired != current


def _tags_differ(vpc, found):
    """update_vpc_tags: the name is the Name tag; given alone, the other tags stay."""
    tags, purge_tags = vpc.get("tags"), option_bool(_NAME, vpc, "purge_tags", True)
    if vpc.get("name"):
        if purge_tags and tags is None:
            purge_tags = False
        tags = {**(tags or {}), "Name": vpc["name"]}
    return tags_differ(_NAME, found.get("tags") or {}, tags, purge_tags)


def _differs(vpc, found):
    """ensure_present's questions, in its order, on the VPC of that id."""
    if found is None:
        return True
    ipv6 = option_bool(_NAME, vpc, "ipv6_cidr")
    dns_support, dns_hostnames = option_bool(_NAME, vpc, "dns_support"), option_bool(_NAME, vpc, "dns_hostnames")
    return (
        (ipv6 is not None and ipv6 != _has_amazon_ipv6(found))
        or _tags_differ(vpc, found)
        or _cidrs_differ(found, vpc.get("cidr_block"), option_bool(_NAME, vpc, "purge_cidrs", False))
        or (vpc.get("dhcp_opts_id") is not None and vpc["dhcp_opts_id"] != found.get("dhcp_options_id"))
        or (dns_support is not None and dns_support != found.get("enable_dns_support"))
        or (dns_hostnames is not None and dns_hostnames != found.get("enable_dns_hostnames"))
    )


def ec2_vpc_nets_to_put(vpcs, existing):
    if not is_sequence(vpcs) or not is_sequence(existing):
        raise AnsibleFilterError(f"{_NAME}: the VPCs and the existing VPCs must be lists")
    by_id = {found.get("id"): found for found in existing}
    changes = []
    for vpc in vpcs:
        if not isinstance(vpc, dict):
            raise AnsibleFilterError(f"{_NAME}: each VPC must be a dictionary, got {vpc!r}")
        if not vpc.get("vpc_id") or _differs(vpc, by_id.get(vpc["vpc_id"])):
            changes.append(vpc)
    return changes


class FilterModule(object):
    def filters(self):
        return {"ec2_vpc_nets_to_put": ec2_vpc_nets_to_put}
