# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ec2_security_groups_to_put
version_added: 0.1.0
short_description: The security groups that amazon.aws.ec2_security_group would create or change
description:
  - Given security groups as the options of M(amazon.aws.ec2_security_group) with
    O(amazon.aws.ec2_security_group#module:state=present), and the groups a VPC holds (one
    M(amazon.aws.ec2_security_group_info) read), returns the groups that are missing or differ, so that the
    module is called only for those.
  - The comparison is the module's own (amazon.aws 10, C(ensure_present)). A group is found by its name in its VPC.
    Each rule is expanded as the module expands it (every port with every source), a CIDR with host bits set is
    taken as its network; the group is unchanged when every rule given is in place with its description and,
    with O(amazon.aws.ec2_security_group#module:purge_rules), no other ingress rule is (a rule that differs only
    in its description would be updated). Egress rules are not given, so the module leaves them. The tags are
    compared as the module does, with O(amazon.aws.ec2_security_group#module:purge_tags).
  - A group whose description differs is returned as well, although the module changes nothing there (AWS cannot
    change a group's description); the module then says so in a warning.
  - A rule may name its source by C(group_name); it is taken as the group of that name in the same VPC (the module
    looks it up among the groups it reads). A group whose rule names a group that does not exist yet (by a name not
    found, or by an empty C(group_id), as a group to create has in check mode) is returned.
  - On a group that exists, the module reads it three times (once with every group of the region), reads the
    account id and the group's tags; with this filter a role reads the VPC's groups once for all of them.
  - Options the filter does not compare are refused (C(group_id), C(rules_egress), a rule's C(icmp_type),
    C(icmp_code) or C(group_desc), a numeric protocol, a C(group_id) of another account).
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The groups, each a dictionary of M(amazon.aws.ec2_security_group) options (C(name), C(description),
        C(vpc_id), C(rules), C(purge_rules), C(tags), C(purge_tags)); the module's defaults apply to the options
        left out.
      - Other keys (a loop label) are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(security_groups) of M(amazon.aws.ec2_security_group_info).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the VPC's security groups at once
  amazon.aws.ec2_security_group_info:
    filters:
      vpc-id: "{{ vpc_id }}"
      group-name: "{{ groups | map(attribute='name') | list }}"
  register: found

- name: Create or change only the groups that are missing or differ, in order (a rule names a group before it)
  amazon.aws.ec2_security_group:
    name: "{{ item.name }}"
    description: "{{ item.description }}"
    vpc_id: "{{ vpc_id }}"
    rules: "{{ item.rules }}"
    tags: "{{ item.tags }}"
    state: present
  loop: >-
    {{ groups | map('combine', {'vpc_id': vpc_id})
       | aws_intro.stack.ec2_security_groups_to_put(found.security_groups) }}
"""

RETURN = r"""
_value:
  description: The items of the input whose group is missing or differs from them, in input order.
  type: list
  elements: dict
"""

import re
from ipaddress import ip_network

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool, tags_differ

_NAME = "ec2_security_groups_to_put"
# The sources of a rule (the module's SOURCE_TYPES_ALL), with the key of the permission that holds them and the
# key of the source in it; group_name is resolved to a group_id first.
_SOURCES = {
    "cidr_ip": ("ip_ranges", "cidr_ip"),
    "cidr_ipv6": ("ipv6_ranges", "cidr_ipv6"),
    "ip_prefix": ("prefix_list_ids", "prefix_list_id"),
    "group_id": ("user_id_group_pairs", "group_id"),
}
_UNSUPPORTED_GROUP = ("group_id", "rules_egress", "egress_rules")
_UNSUPPORTED_RULE = ("icmp_type", "icmp_code", "group_desc")


def _as_list(value):
    """A type=list option as the module receives it: a string split at commas, a number as one element."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split(",")
    if isinstance(value, (int, float)):
        return [str(value)]
    return list(value)


def _network(cidr):
    """validate_ip: a CIDR with host bits set is taken as its network; anything else as it is."""
    if len(str(cidr).split("/")) != 2:
        return cidr
    try:
        return str(ip_network(str(cidr), strict=False))
    except ValueError:
        return cidr


def _port_ranges(rule):
    """expand_ports_from_rule: from_port/to_port as given, else each of ports (a number or a low-high range)."""
    if rule.get("from_port") is not None or rule.get("to_port") is not None:
        return [(rule.get("from_port"), rule.get("to_port"))]
    ranges = []
    for port in _as_list(rule.get("ports")):
        port = str(port).strip()
        try:
            ranges.append((int(port),) * 2)
        except ValueError:
            try:
                ranges.append(tuple(sorted(int(part.strip()) for part in port.split("-", 1))))
            except ValueError as error:
                raise AnsibleFilterError(f"{_NAME}: unable to parse port {port!r}") from error
    return ranges


def _wanted_rules(group, found, by_name):
    """The group's rules as the module's Rule tuples (ports, protocol, source type, source, description), or None
    when a rule names a group that is not there yet."""
    wanted = set()
    for rule in group.get("rules") or []:
        if not isinstance(rule, dict):
            raise AnsibleFilterError(f"{_NAME}: each rule must be a dictionary, got {rule!r}")
        unsupported = [key for key in _UNSUPPORTED_RULE if rule.get(key) is not None]
        if unsupported:
            raise AnsibleFilterError(f"{_NAME}: {', '.join(unsupported)} not supported, in {rule!r}")
        proto = str(rule.get("proto") if rule.get("proto") is not None else "tcp")
        if proto in ("all", "-1"):
            proto, ranges = "-1", [(None, None)]
        elif proto.lstrip("-").isdigit():
            raise AnsibleFilterError(f"{_NAME}: give the protocol by name (tcp, udp, icmp), got {proto!r}")
        else:
            ranges = _port_ranges(rule)
            if not ranges:
                raise AnsibleFilterError(f"{_NAME}: a {proto} rule needs ports or from_port and to_port, got {rule!r}")
        sources = []
        for key in ("cidr_ip", "cidr_ipv6"):
            sources += [(key, _network(cidr)) for cidr in _as_list(rule.get(key))]
        sources += [("ip_prefix", prefix) for prefix in _as_list(rule.get("ip_prefix"))]
        for group_id in _as_list(rule.get("group_id")):
            if not group_id:
                return None
            if not re.match(r"^sg-[0-9a-f]+$", group_id):
                raise AnsibleFilterError(f"{_NAME}: group_id {group_id!r} of another account not supported")
            sources.append(("group_id", group_id))
        for name in _as_list(rule.get("group_name")):
            if name == group["name"]:
                sources.append(("group_id", found["group_id"]))
            elif name in by_name:
                sources.append(("group_id", by_name[name]["group_id"]))
            else:
                return None
        if not sources:
            raise AnsibleFilterError(f"{_NAME}: each rule needs a source, got {rule!r}")
        wanted.update((ports, proto, kind, source, rule.get("rule_desc"))
                      for ports in ranges for kind, source in sources)
    return wanted


def _found_rules(found):
    """rule_from_group_permission on each ingress permission of the group read; a pair of another account (or
    through VPC peering) keeps its account in the source, so that it never matches a wanted rule."""
    rules = set()
    for permission in found.get("ip_permissions") or []:
        if "from_port" in permission or "to_port" in permission:
            ports = (int(permission["from_port"]), int(permission["to_port"]))
        else:
            ports = (None, None)
        proto = str(permission.get("ip_protocol"))
        for kind, (key, subkey) in _SOURCES.items():
            for source in permission.get(key) or []:
                value = source.get(subkey)
                if kind == "group_id" and (source.get("user_id", found.get("owner_id")) != found.get("owner_id")
                                           or source.get("vpc_peering_connection_id")):
                    value = (source.get("user_id"), value)
                rules.add((ports, proto, kind, value, source.get("description")))
    return rules


def _rules_differ(group, wanted, found):
    """ensure_present's rule changes, in check mode: a rule to add (a rule that differs only in its description is
    one, which the module updates), or with purge_rules a rule to revoke (one that matches no rule given but for
    its description). The module's rule_cmp also takes no ports and ports -1 alike for one protocol; a group read
    from AWS cannot hold both, so a rule given either way is one to add or matches exactly."""
    purge = option_bool(_NAME, group, "purge_rules", True)
    current = _found_rules(found)
    if wanted - current:
        return True
    kept = {rule[:4] for rule in wanted}
    return purge and any(rule[:4] not in kept for rule in current)


def _differs(group, found, by_name):
    if found is None:
        return True
    wanted = _wanted_rules(group, found, by_name)
    return (
        wanted is None
        or found.get("description") != group.get("description")
        or tags_differ(_NAME, found.get("tags") or {}, group.get("tags"), option_bool(_NAME, group, "purge_tags", True))
        or _rules_differ(group, wanted, found)
    )


def ec2_security_groups_to_put(groups, existing):
    if not is_sequence(groups) or not is_sequence(existing):
        raise AnsibleFilterError(f"{_NAME}: the groups and the existing groups must be lists")
    by_key = {}
    for found in existing:
        # The module keeps the last group DescribeSecurityGroups returns for the name and VPC.
        by_key[(found.get("vpc_id"), found.get("group_name"))] = found
    changes = []
    for group in groups:
        if not isinstance(group, dict) or not group.get("name") or not group.get("vpc_id"):
            raise AnsibleFilterError(f"{_NAME}: each group needs name and vpc_id, got {group!r}")
        unsupported = [key for key in _UNSUPPORTED_GROUP if group.get(key) is not None]
        if unsupported:
            raise AnsibleFilterError(f"{_NAME}: {', '.join(unsupported)} not supported, in {group!r}")
        if group.get("state", "present") != "present":
            raise AnsibleFilterError(f"{_NAME}: state must be present, in {group!r}")
        by_name = {name: found for (vpc_id, name), found in by_key.items() if vpc_id == group["vpc_id"]}
        if _differs(group, by_key.get((group["vpc_id"], group["name"])), by_name):
            changes.append(group)
    return changes


class FilterModule(object):
    def filters(self):
        return {"ec2_security_groups_to_put": ec2_security_groups_to_put}
