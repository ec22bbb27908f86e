# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: route53_records_to_put
version_added: 0.1.0
short_description: The Route 53 records that amazon.aws.route53 would change
description:
  - Given records as the options of M(amazon.aws.route53) with O(amazon.aws.route53#module:state=present) and
    the record sets a zone holds (one M(amazon.aws.route53_info) C(query=record_sets) read), returns the records
    that are missing or differ, so that the module is called only for those.
  - The comparison is the module's own (amazon.aws 10). The record set its options make (the name in lower
    case with a final dot, the type, the TTL and the values in the given order; for an alias the target's
    zone, DNS name and target-health flag, without TTL or values) must equal the record set of that name
    and type that ListResourceRecordSets returns, key for key. A record this filter leaves out is one the
    module would report unchanged; one it keeps, the module would write.
  - The module lists every record set of the zone for each record it is given; with this filter a role
    lists them once for all its records.
  - Only simple records are supported (no C(identifier), C(weight), C(region), C(failover), C(health_check)
    or C(geo_location)); a record with one of those is refused.
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The records, each a dictionary of M(amazon.aws.route53) options (C(record), C(type), C(ttl),
        C(value), C(alias), C(alias_hosted_zone_id), C(alias_evaluate_target_health)); C(value) is a string
        or a list of strings.
      - Other keys (a loop label, say) are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(resource_record_sets) of M(amazon.aws.route53_info) with C(query=record_sets) (snake_case).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the zone's record sets at once
  amazon.aws.route53_info:
    query: record_sets
    hosted_zone_id: "{{ zone_id }}"
  register: zone_records

- name: Write only the records that are missing or differ
  amazon.aws.route53:
    hosted_zone_id: "{{ zone_id }}"
    record: "{{ item.record }}"
    type: "{{ item.type }}"
    ttl: "{{ item.ttl }}"
    value: "{{ item.value }}"
    overwrite: true
    state: present
  loop: "{{ records | aws_intro.stack.route53_records_to_put(zone_records.resource_record_sets) }}"
"""

RETURN = r"""
_value:
  description: The items of the input whose record set is missing or differs from them, in input order.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.module_utils.six import string_types

# Options of amazon.aws.route53 that make a record that is not simple: this filter does not compare those.
_UNSUPPORTED = ("identifier", "weight", "region", "failover", "health_check", "geo_location")
# The keys of a simple record set (route53_info's snake_case) that _as_aws turns back into the module's.
_COMPARED = ("name", "type", "ttl", "resource_records", "alias_target")


def _as_bool(record, key):
    """The option as the module's type=bool takes it (None: the module's default, False)."""
    value = record.get(key)
    try:
        return False if value is None else boolean(value, strict=True)
    except TypeError as error:
        raise AnsibleFilterError(f"route53_records_to_put: {key} of {record!r} is not a boolean") from error


def _wanted(record):
    """The record set amazon.aws.route53 builds from its options (main(): resource_record_set)."""
    if not isinstance(record, dict) or not record.get("record") or not record.get("type"):
        raise AnsibleFilterError(f"route53_records_to_put: each record needs record and type, got {record!r}")
    unsupported = [key for key in _UNSUPPORTED if record.get(key) is not None]
    if unsupported:
        raise AnsibleFilterError(f"route53_records_to_put: {', '.join(unsupported)} not supported, in {record!r}")
    name = str(record["record"]).lower()
    if not name.endswith("."):
        name += "."
    values = record.get("value")
    values = [] if values is None else [values] if isinstance(values, string_types) else list(values)
    wanted = {"Name": name, "Type": record["type"]}
    if _as_bool(record, "alias"):
        if len(values) != 1:
            raise AnsibleFilterError(f"route53_records_to_put: an alias needs one value, got {record!r}")
        wanted["AliasTarget"] = {"HostedZoneId": record.get("alias_hosted_zone_id"), "DNSName": values[0],
                                 "EvaluateTargetHealth": _as_bool(record, "alias_evaluate_target_health")}
        return wanted
    try:
        wanted["TTL"] = int(record["ttl"]) if record.get("ttl") is not None else 3600  # the module's default
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError(f"route53_records_to_put: ttl of {record!r} is not a number") from error
    wanted["ResourceRecords"] = [{"Value": str(value)} for value in values]
    if record["type"] == "CAA":  # the module sorts CAA values on both sides
        wanted["ResourceRecords"] = sorted(wanted["ResourceRecords"], key=lambda rr: rr["Value"])
    return wanted


def _as_aws(record_set):
    """The snake_case record set of route53_info in ListResourceRecordSets' shape (the keys the module compares)."""
    aws = {"Name": record_set["name"].encode().decode("unicode_escape"), "Type": record_set["type"]}
    for key, value in record_set.items():
        if key not in _COMPARED:
            aws[key] = value  # SetIdentifier, Weight, ...: the module's simple record set has none, so it differs
    if "ttl" in record_set:
        aws["TTL"] = record_set["ttl"]
    if "resource_records" in record_set:
        aws["ResourceRecords"] = [{"Value": rr["value"]} for rr in record_set["resource_records"]]
        if record_set["type"] == "CAA":
            aws["ResourceRecords"] = sorted(aws["ResourceRecords"], key=lambda rr: rr["Value"])
    if "alias_target" in record_set:
        target = record_set["alias_target"]
        aws["AliasTarget"] = {"HostedZoneId": target["hosted_zone_id"], "DNSName": target["dns_name"],
                              "EvaluateTargetHealth": target["evaluate_target_health"]}
    return aws


def route53_records_to_put(records, existing):
    if not is_sequence(records) or not is_sequence(existing):
        raise AnsibleFilterError("route53_records_to_put: the records and the existing record sets must be lists")
    by_key = {}
    for record_set in existing:
        aws = _as_aws(record_set)
        # amazon.aws.route53 takes the first record set whose name (case aside) and type match.
        by_key.setdefault((aws["Name"].lower(), aws["Type"]), aws)
    changes = []
    for record in records:
        wanted = _wanted(record)
        if by_key.get((wanted["Name"], wanted["Type"])) != wanted:
            changes.append(record)
    return changes


class FilterModule(object):
    def filters(self):
        return {"route53_records_to_put": route53_records_to_put}
