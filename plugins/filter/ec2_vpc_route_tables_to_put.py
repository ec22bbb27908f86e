# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: ec2_vpc_route_tables_to_put
version_added: 0.1.0
short_description: The route tables that amazon.aws.ec2_vpc_route_table would change
description:
  - Given route tables as the options of M(amazon.aws.ec2_vpc_route_table) with
    O(amazon.aws.ec2_vpc_route_table#module:state=present) and
    O(amazon.aws.ec2_vpc_route_table#module:lookup=id), and every route table of the VPC (one
    M(amazon.aws.ec2_vpc_route_table_info) read filtered by C(vpc-id)), returns the route tables that are missing
    or differ, so that the module is called only for those.
  - The comparison is the module's own (amazon.aws 10, C(ensure_route_table_present)). Each route given must match
    a route of the table exactly (a route to the same destination through another target would be replaced; one
    missing would be created); with O(amazon.aws.ec2_vpc_route_table#module:purge_routes) no other route the
    table's owner created (origin C(CreateRoute)) to a CIDR may remain. Each subnet given must be associated with
    this table; with O(amazon.aws.ec2_vpc_route_table#module:purge_subnets) no other subnet may be. The tags are
    compared as the module does, with O(amazon.aws.ec2_vpc_route_table#module:purge_tags).
  - On a route table that exists the module reads it four times, its subnets once and its tags three times;
    with this filter a role reads the VPC's route tables once for all of them.
  - A route table given without O(amazon.aws.ec2_vpc_route_table#module:route_table_id) is always returned (the
    module then finds it by its tags, or creates it). Options the filter does not compare are refused
    (C(gateway_id), C(propagating_vgw_ids), subnets given by name or CIDR, the C(igw) keyword as a route's
    target).
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The route tables, each a dictionary of M(amazon.aws.ec2_vpc_route_table) options (C(lookup),
        C(route_table_id), C(routes), C(purge_routes), C(subnets), C(purge_subnets), C(tags), C(purge_tags));
        the module's defaults apply to the options left out.
      - Other keys (C(vpc_id), a loop label) are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(route_tables) of M(amazon.aws.ec2_vpc_route_table_info), every route table of the VPC.
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the VPC's route tables at once
  amazon.aws.ec2_vpc_route_table_info:
    filters:
      vpc-id: "{{ vpc_id }}"
  register: vpc_route_tables

- name: Change only the route tables that differ
  amazon.aws.ec2_vpc_route_table:
    vpc_id: "{{ vpc_id }}"
    lookup: id
    route_table_id: "{{ item.route_table_id }}"
    routes: "{{ item.routes }}"
    subnets: "{{ item.subnets }}"
    tags: "{{ item.tags }}"
    state: present
  loop: "{{ tables | aws_intro.stack.ec2_vpc_route_tables_to_put(vpc_route_tables.route_tables) }}"
"""

RETURN = r"""
_value:
  description: The items of the input whose route table is missing or differs from them, in input order.
  type: list
  elements: dict
"""

import ipaddress
import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible_collections.aws_intro.stack.plugins.plugin_utils.ec2_compare import option_bool, tags_differ

_NAME = "ec2_vpc_route_tables_to_put"
_SUBNET_ID = re.compile(r"^subnet-[A-z0-9]+$")  # find_subnets: anything else is a name or a CIDR
# create_route_spec: the target's prefix names its key.
_TARGET_KEYS = (("nat-", "nat_gateway_id"), ("cagw-", "carrier_gateway_id"), ("tgw-", "transit_gateway_id"))


def _route_spec(route):
    """create_route_spec, in the snake_case of ec2_vpc_route_table_info."""
    if not isinstance(route, dict) or not route.get("dest"):
        raise AnsibleFilterError(f"{_NAME}: each route needs dest, got {route!r}")
    spec = {key: value for key, value in route.items() if key != "dest"}
    try:
        ipv6 = ipaddress.ip_network(route["dest"]).version == 6
    except ValueError as error:
        raise AnsibleFilterError(f"{_NAME}: dest of {route!r} is not a CIDR") from error
    spec["destination_ipv6_cidr_block" if ipv6 else "destination_cidr_block"] = route["dest"]
    gateway = spec.get("gateway_id")
    if gateway and gateway.lower() == "igw":
        raise AnsibleFilterError(f"{_NAME}: give the internet gateway's id, not igw, in {route!r}")
    for prefix, key in _TARGET_KEYS:
        if gateway and gateway.startswith(prefix):
            spec[key] = spec.pop("gateway_id")
    return spec


def _as_found(route):
    """A route of ec2_vpc_route_table_info as DescribeRouteTables gave it (normalize_route's added keys left out)."""
    return {key: value for key, value in route.items() if value is not None and key != "interface_id"}


def _match(spec, routes):
    """index_of_matching_route: the first route that matches exactly, or that a created route would replace."""
    for index, route in enumerate(routes):
        if set(spec.items()).issubset(route.items()):
            return "exact", index
        if "origin" in route and route["origin"] != "EnableVgwRoutePropagation":
            for key in ("destination_cidr_block", "destination_ipv6_cidr_block"):
                if spec.get(key) and route.get(key):
                    if spec[key] == route[key]:
                        return "replace", index
                    break
    return None


def _routes_differ(table, found):
    """ensure_routes: a route to create or replace, or one to purge."""
    remaining = [_as_found(route) for route in found.get("routes") or []]
    for route in table.get("routes") or []:  # the module's default: no route (the others purged)
        match = _match(_route_spec(route), remaining)
        if match is None or match[0] == "replace":
            return True
        del remaining[match[1]]
    return option_bool(_NAME, table, "purge_routes", True) and any(
        route.get("destination_cidr_block") and route.get("origin") == "CreateRoute" for route in remaining)


def _subnets_differ(table, found, all_tables):
    """ensure_subnet_associations: a subnet given that is not this table's, or (purge) one of its own not given."""
    subnets = table.get("subnets")
    if subnets is None:
        return False
    if any(not isinstance(subnet, str) or not _SUBNET_ID.match(subnet) for subnet in subnets):
        raise AnsibleFilterError(f"{_NAME}: give subnets by id, got {subnets!r}")
    owner = {association["subnet_id"]: other["route_table_id"] for other in all_tables
             for association in other.get("associations") or []
             if not association.get("main") and association.get("subnet_id")}
    if any(owner.get(subnet) != found["route_table_id"] for subnet in subnets):
        return True
    own = {association["subnet_id"] for association in found.get("associations") or []
           if not association.get("main") and association.get("subnet_id")}
    return option_bool(_NAME, table, "purge_subnets", True) and bool(own - set(subnets))


def _differs(table, found, all_tables):
    """ensure_route_table_present's questions, in its order, on the route table of that id."""
    if found is None:
        return True
    return (
        _routes_differ(table, found)
        or tags_differ(_NAME, found.get("tags") or {}, table.get("tags"), option_bool(_NAME, table, "purge_tags", True))
        or _subnets_differ(table, found, all_tables)
    )


def ec2_vpc_route_tables_to_put(tables, existing):
    if not is_sequence(tables) or not is_sequence(existing):
        raise AnsibleFilterError(f"{_NAME}: the route tables and the existing route tables must be lists")
    by_id = {found.get("route_table_id"): found for found in existing}
    changes = []
    for table in tables:
        if not isinstance(table, dict):
            raise AnsibleFilterError(f"{_NAME}: each route table must be a dictionary, got {table!r}")
        unsupported = [key for key in ("gateway_id", "propagating_vgw_ids") if table.get(key) is not None]
        if unsupported:
            raise AnsibleFilterError(f"{_NAME}: {', '.join(unsupported)} not supported, in {table!r}")
        by_tag = table.get("lookup", "tag") != "id" or not table.get("route_table_id")
        if by_tag or _differs(table, by_id.get(table["route_table_id"]), existing):
            changes.append(table)
    return changes


class FilterModule(object):
    def filters(self):
        return {"ec2_vpc_route_tables_to_put": ec2_vpc_route_tables_to_put}
