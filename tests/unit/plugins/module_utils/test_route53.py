"""Unit tests of plugins/module_utils/route53.py with botocore's Stubber: the record sets of one name and type are
read from every page they are on, and the read stops at the first record set of another name or type."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import route53 as r53
from botocore.stub import Stubber

ZONE = "Z0123456789ABCDEFGHIJ"
NAME = "_abc.sample.example."


def record(name, value, kind="CNAME", identifier=None):
    found = {"Name": name, "Type": kind, "TTL": 300, "ResourceRecords": [{"Value": value}]}
    if identifier:
        found.update(SetIdentifier=identifier, Weight=1)
    return found


@pytest.fixture
def route53():
    client = boto3.client("route53", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # noqa: S106
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def request(**more):
    return {"HostedZoneId": ZONE, "StartRecordName": NAME, "StartRecordType": "CNAME", "MaxItems": "10", **more}


def test_record_sets_spanning_two_pages_are_all_read(route53):
    client, stubber = route53
    stubber.add_response("list_resource_record_sets",
                         {"ResourceRecordSets": [record(NAME, "a.acm.", identifier="one")], "IsTruncated": True,
                          "NextRecordName": NAME, "NextRecordType": "CNAME", "NextRecordIdentifier": "two",
                          "MaxItems": "10"},
                         request())
    stubber.add_response("list_resource_record_sets",
                         {"ResourceRecordSets": [record(NAME, "b.acm.", identifier="two"),
                                                 record("_abc.sample.example.", "x", kind="TXT")],
                          "IsTruncated": False, "MaxItems": "10"},
                         request(StartRecordName=NAME, StartRecordType="CNAME", StartRecordIdentifier="two"))
    found = r53.get_record_sets(client, ZONE, NAME, "CNAME")
    assert [r["ResourceRecords"][0]["Value"] for r in found] == ["a.acm.", "b.acm."]


def test_the_read_stops_at_another_name(route53):
    client, stubber = route53
    stubber.add_response("list_resource_record_sets",
                         {"ResourceRecordSets": [record("_zzz.sample.example.", "z.acm.")], "IsTruncated": True,
                          "NextRecordName": "_zzz2.sample.example.", "NextRecordType": "CNAME", "MaxItems": "10"},
                         request())
    assert r53.get_record_sets(client, ZONE, NAME, "CNAME") == []  # no second page asked for


def test_the_one_record_set_of_simple_routing(route53):
    client, stubber = route53
    stubber.add_response("list_resource_record_sets",
                         {"ResourceRecordSets": [record(NAME, "a.acm.")], "IsTruncated": False, "MaxItems": "10"},
                         request(StartRecordName="_ABC.sample.example"))
    # Route 53 answers the name in lower case, with the final dot.
    assert r53.get_record_sets(client, ZONE, "_ABC.sample.example", "CNAME") == [record(NAME, "a.acm.")]


def test_a_missing_zone_reads_as_none(route53):
    client, stubber = route53
    stubber.add_client_error("get_hosted_zone", service_error_code="NoSuchHostedZone", http_status_code=404)
    assert r53.get_hosted_zone(client, ZONE) is None


def test_other_errors_raise_the_route53_error(route53):
    client, stubber = route53
    stubber.add_client_error("get_hosted_zone", service_error_code="InvalidInput", http_status_code=400,
                             service_message="bad id")
    with pytest.raises(r53.AnsibleRoute53Error, match="get hosted zone"):
        r53.get_hosted_zone(client, "bad")


def test_a_zone_comes_with_its_delegation_set(route53):
    client, stubber = route53
    answer = {"HostedZone": {"Id": f"/hostedzone/{ZONE}", "Name": "sample.example.", "CallerReference": "c"},
              "DelegationSet": {"NameServers": ["ns-1.awsdns-01.org"]}}
    stubber.add_response("get_hosted_zone", answer, {"Id": ZONE})
    assert r53.get_hosted_zone(client, ZONE) == answer
