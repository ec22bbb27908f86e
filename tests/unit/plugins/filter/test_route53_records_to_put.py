"""aws_intro.stack.route53_records_to_put: a record is left out exactly when amazon.aws.route53 would report it
unchanged. Checked against the upstream module itself (its main(), in check mode) on record sets stored and read
back by moto in-process, and on the shapes moto cannot make (weighted records, unknown keys)."""

from __future__ import annotations

import json

import boto3
import pytest
from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.testing import patch_module_args
from ansible_collections.amazon.aws.plugins.modules import route53 as upstream
from ansible_collections.aws_intro.stack.plugins.filter.route53_records_to_put import (
    FilterModule,
    route53_records_to_put,
)
from moto import mock_aws

ZONE = "aws-intro-sample.com"
ALB_ZONE = "ZWKZPGTI48KDX"
ALB = "sample-alb-1.ap-northeast-2.elb.amazonaws.com"

def stored(name, kind, ttl, *values):
    return {"Name": name, "Type": kind, "TTL": ttl, "ResourceRecords": [{"Value": value} for value in values]}


# What the zone holds (ChangeResourceRecordSets' record sets).
STORED = [
    stored(f"abc._domainkey.{ZONE}.", "CNAME", 1800, "abc.dkim.amazonses.com"),
    stored(f"mail.{ZONE}.", "MX", 1800, "10 feedback-smtp.ap-northeast-2.amazonses.com"),
    stored(f"mail.{ZONE}.", "TXT", 1800, '"v=spf1 include:amazonses.com ~all"'),
    stored(f"_dmarc.{ZONE}.", "TXT", 1800, '"v=DMARC1; p=none;"'),
    {"Name": f"{ZONE}.", "Type": "A",
     "AliasTarget": {"HostedZoneId": ALB_ZONE, "DNSName": ALB, "EvaluateTargetHealth": True}},
    stored(f"{ZONE}.", "CAA", 300, '0 issue "amazon.com"', '0 issue "amazontrust.com"'),
    stored(f"two.{ZONE}.", "A", 60, "192.0.2.1", "192.0.2.2"),
]

DKIM = {"record": f"abc._domainkey.{ZONE}", "type": "CNAME", "ttl": 1800, "value": "abc.dkim.amazonses.com"}
APEX = {"record": ZONE, "type": "A", "alias": True, "alias_hosted_zone_id": ALB_ZONE, "value": ALB,
        "alias_evaluate_target_health": True}
CANDIDATES = [
    DKIM,
    {**DKIM, "record": DKIM["record"].upper()},  # the module lower-cases the name
    {**DKIM, "ttl": 300},  # another TTL
    {**DKIM, "value": "other.dkim.amazonses.com"},  # another value
    {**DKIM, "value": ["abc.dkim.amazonses.com"]},  # a list of one
    {**DKIM, "ttl": None},  # the module's default TTL, 3600
    {"record": f"mail.{ZONE}.", "type": "MX", "ttl": 1800, "value": "10 feedback-smtp.ap-northeast-2.amazonses.com"},
    {"record": f"mail.{ZONE}", "type": "TXT", "ttl": "1800", "value": '"v=spf1 include:amazonses.com ~all"'},
    {"record": f"mail.{ZONE}", "type": "TXT", "ttl": 1800, "value": "v=spf1 include:amazonses.com ~all"},  # unquoted
    {"record": f"_dmarc.{ZONE}", "type": "TXT", "ttl": 1800, "value": '"v=DMARC1; p=none;"'},
    {"record": f"new.{ZONE}", "type": "CNAME", "ttl": 1800, "value": "x.example.com"},  # missing
    {"record": f"mail.{ZONE}", "type": "CNAME", "ttl": 1800, "value": "x.example.com"},  # name taken, not this type
    APEX,
    {**APEX, "alias_evaluate_target_health": False},
    {**APEX, "alias_evaluate_target_health": "yes"},
    {**APEX, "alias_hosted_zone_id": "Z000OTHER"},
    {**APEX, "value": "other-alb.ap-northeast-2.elb.amazonaws.com"},
    {**APEX, "alias_evaluate_target_health": None, "alias": "true"},  # the module's default: False
    {"record": ZONE, "type": "CAA", "ttl": 300, "value": ['0 issue "amazontrust.com"', '0 issue "amazon.com"']},
    {"record": f"two.{ZONE}", "type": "A", "ttl": 60, "value": ["192.0.2.1", "192.0.2.2"]},
    {"record": f"two.{ZONE}", "type": "A", "ttl": 60, "value": ["192.0.2.2", "192.0.2.1"]},  # order counts but for CAA
]


def module_changes(zone_id, record, capsys):
    """What amazon.aws.route53 (state present, check mode) says of the record: changed or not."""
    args = {"hosted_zone_id": zone_id, "state": "present", "overwrite": True, "_ansible_check_mode": True,
            **{key: value for key, value in record.items() if value is not None}}
    with patch_module_args(args), pytest.raises(SystemExit):
        upstream.main()
    result = json.loads(capsys.readouterr().out)
    assert not result.get("failed"), result
    return result["changed"]


@pytest.fixture
def zone(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("route53", region_name="us-east-1")
        zone_id = client.create_hosted_zone(Name=ZONE, CallerReference="t")["HostedZone"]["Id"].split("/")[-1]
        client.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
            {"Action": "UPSERT", "ResourceRecordSet": record_set} for record_set in STORED]})
        listed = client.get_paginator("list_resource_record_sets").paginate(
            HostedZoneId=zone_id).build_full_result()["ResourceRecordSets"]
        yield zone_id, [camel_dict_to_snake_dict(record_set) for record_set in listed]  # what route53_info returns


def test_leaves_out_exactly_the_records_the_module_would_not_change(zone, capsys):
    zone_id, existing = zone
    expected = [record for record in CANDIDATES if module_changes(zone_id, record, capsys)]
    assert route53_records_to_put(CANDIDATES, existing) == expected
    # Both kinds are exercised: some records are in place, some are not.
    assert 0 < len(expected) < len(CANDIDATES)
    assert DKIM not in expected
    assert APEX not in expected


def test_a_record_set_that_is_not_simple_always_differs():
    weighted = {"name": f"{ZONE}.", "type": "A", "ttl": 60, "set_identifier": "blue", "weight": 10,
                "resource_records": [{"value": "192.0.2.1"}]}
    record = {"record": ZONE, "type": "A", "ttl": 60, "value": "192.0.2.1"}
    assert route53_records_to_put([record], [weighted]) == [record]
    assert route53_records_to_put([record], [{**weighted, "set_identifier": None, "weight": None}]) == [record]
    plain = {key: weighted[key] for key in ("name", "type", "ttl", "resource_records")}
    assert route53_records_to_put([record], [plain]) == []


def test_the_first_record_set_of_a_name_and_type_is_the_one_compared():
    record = {"record": ZONE, "type": "A", "ttl": 60, "value": "192.0.2.1"}
    first = {"name": f"{ZONE.upper()}.", "type": "A", "ttl": 60, "resource_records": [{"value": "192.0.2.1"}]}
    second = {"name": f"{ZONE}.", "type": "A", "ttl": 60, "resource_records": [{"value": "192.0.2.1"}]}
    # The module matches names case aside, then compares the name as AWS wrote it.
    assert route53_records_to_put([record], [first, second]) == [record]
    assert route53_records_to_put([record], [second, first]) == []


@pytest.mark.parametrize(("records", "message"), [
    ([{"type": "A", "value": "192.0.2.1"}], "needs record and type"),
    ([{"record": ZONE, "type": "A", "value": "192.0.2.1", "weight": 10}], "weight not supported"),
    ([{"record": ZONE, "type": "A", "alias": True, "value": ["a", "b"]}], "an alias needs one value"),
    ([{"record": ZONE, "type": "A", "ttl": "soon", "value": "192.0.2.1"}], "ttl .* is not a number"),
    ([{"record": ZONE, "type": "A", "alias": True, "value": "a", "alias_evaluate_target_health": "maybe"}],
     "not a boolean"),
    ("A", "must be lists"),
])
def test_refuses_what_it_cannot_compare(records, message):
    with pytest.raises(AnsibleFilterError, match=message):
        route53_records_to_put(records, [])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"route53_records_to_put": route53_records_to_put}
