"""Unit tests for plugins/modules/acm_certificate_request.py and plugins/module_utils/acm.py: name
checks, the validation records, finding the same certificate, check mode's prediction, tags, the
zone records, waiting, and deletion refused while in use (moto in-process for ACM and Route 53)."""

from __future__ import annotations

import time
from unittest.mock import MagicMock

import boto3
import botocore.exceptions
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import acm as acm_utils
from ansible_collections.aws_intro.stack.plugins.modules import acm_certificate_request as module
from moto import mock_aws

DOMAIN = "unit.example"
REGION = "ap-northeast-2"


@pytest.fixture
def clients(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("MOTO_ACM_VALIDATION_WAIT", "0")
    with mock_aws():
        yield boto3.client("acm", region_name=REGION), boto3.client("route53", region_name=REGION)


def params(**overrides):
    base = {"domain_name": DOMAIN, "subject_alternative_names": [f"www.{DOMAIN}"], "key_algorithm": "RSA_2048",
            "name_tag": "site", "validation_zone_id": None, "validation_record_ttl": 300, "wait": False,
            "wait_timeout": 30, "tags": None, "purge_tags": True, "state": "present"}
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("domain", "sans", "problem"),
    [
        pytest.param("example.com", [], None, id="apex"),
        pytest.param("example.com", ["www.example.com", "*.example.com"], None, id="www-and-wildcard"),
        pytest.param("*.example.com", [], None, id="wildcard-domain"),
        pytest.param("Example.COM", [], None, id="case-insensitive"),
        pytest.param("example", [], "'example' is not a fully qualified domain name", id="single-label"),
        pytest.param("example.com.", [], "'example.com.' is not", id="trailing-dot"),
        pytest.param("exa mple.com", [], "'exa mple.com' is not", id="space"),
        pytest.param("example.com", ["www.*.example.com"], "'www.*.example.com' is not", id="inner-wildcard"),
        pytest.param("example.com", ["-bad.example.com"], "'-bad.example.com' is not", id="leading-hyphen"),
        pytest.param("example.com", [f"n{i}.example.com" for i in range(100)], "at most 100 names", id="too-many"),
    ],
)
def test_check_names(domain, sans, problem):
    found = module.check_names(domain, sans)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize(
    ("domain", "sans", "expected"),
    [
        pytest.param("a.example", [], ["a.example"], id="alone"),
        pytest.param("a.example", ["A.example", "www.a.example"], ["a.example", "www.a.example"], id="duplicate-apex"),
        pytest.param("a.example", ["*.a.example", "www.a.example"], ["*.a.example", "a.example", "www.a.example"],
                     id="sorted"),
    ],
)
def test_wanted_names(domain, sans, expected):
    assert module.wanted_names(domain, sans) == expected


def test_idempotency_token_is_stable_short_and_differs_by_input():
    one = module.idempotency_token("a.example", ["a.example"], "RSA_2048", "site")
    assert one == module.idempotency_token("a.example", ["a.example"], "RSA_2048", "site")
    assert len(one) == 32
    assert one.isalnum()
    assert one != module.idempotency_token("a.example", ["a.example"], "EC_prime256v1", "site")
    assert one != module.idempotency_token("a.example", ["a.example"], "RSA_2048", "other")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param([], [], id="none-yet"),
        pytest.param(
            [{"DomainName": "a.example", "ValidationStatus": "PENDING_VALIDATION",
              "ResourceRecord": {"Name": "_x.a.example.", "Type": "CNAME", "Value": "_y.acm-validations.aws."}},
             {"DomainName": "*.a.example", "ValidationStatus": "PENDING_VALIDATION",
              "ResourceRecord": {"Name": "_x.a.example.", "Type": "CNAME", "Value": "_y.acm-validations.aws."}}],
            [{"name": "_x.a.example.", "type": "CNAME", "value": "_y.acm-validations.aws.",
              "domain_names": ["a.example", "*.a.example"], "validation_status": "PENDING_VALIDATION"}],
            id="apex-and-wildcard-share-one"),
        pytest.param(
            [{"DomainName": "a.example", "ResourceRecord": {"Name": "_x.a.example.", "Type": "CNAME", "Value": "_y."}},
             {"DomainName": "www.a.example"}],
            [{"name": "_x.a.example.", "type": "CNAME", "value": "_y.", "domain_names": ["a.example"],
              "validation_status": None}],
            id="one-still-missing"),
    ],
)
def test_validation_records(options, expected):
    assert acm_utils.validation_records({"DomainValidationOptions": options}) == expected


@pytest.mark.parametrize(
    ("options", "pending"),
    [
        pytest.param([], True, id="no-options"),
        pytest.param([{"DomainName": "a", "ResourceRecord": {}}, {"DomainName": "b"}], True, id="one-missing"),
        pytest.param([{"DomainName": "a", "ResourceRecord": {}}], False, id="all-there"),
    ],
)
def test_validation_records_pending(options, pending):
    assert acm_utils.validation_records_pending({"DomainValidationOptions": options}) is pending


def test_check_mode_predicts_a_request_and_calls_nothing_that_writes(clients):
    acm, route53 = clients
    changed, predicted, records_changed = module.ensure_present(None, acm, route53, params(), [], True)
    assert changed is True
    assert records_changed is False
    assert predicted["certificate_arn"] is None
    assert predicted["subject_alternative_names"] == [DOMAIN, f"www.{DOMAIN}"]
    assert predicted["tags"] == {"Name": "site"}
    assert acm.list_certificates()["CertificateSummaryList"] == []


def test_request_then_find_the_same_certificate(clients):
    acm, route53 = clients
    changed, created, _ = module.ensure_present(None, acm, route53, params(tags={"Stack": "s"}), [], False)
    assert changed is True
    names = module.wanted_names(DOMAIN, [f"www.{DOMAIN}"])
    found = module.find_certificates(acm, DOMAIN, names, "RSA_2048", "site")
    assert [c["CertificateArn"] for c, _tags in found] == [created["certificate_arn"]]
    again, same, _ = module.ensure_present(None, acm, route53, params(tags={"Stack": "s"}), found, False)
    assert again is False
    assert same["certificate_arn"] == created["certificate_arn"]


@pytest.mark.parametrize(
    ("names", "key_algorithm", "name_tag"),
    [
        pytest.param([DOMAIN], "RSA_2048", "site", id="other-names"),
        pytest.param([DOMAIN, f"www.{DOMAIN}"], "RSA_2048", "other", id="other-name-tag"),
        pytest.param([DOMAIN, f"www.{DOMAIN}"], "EC_prime256v1", "site", id="other-key-algorithm"),
    ],
)
def test_a_certificate_differing_in_identity_is_not_found(clients, names, key_algorithm, name_tag):
    acm, route53 = clients
    module.ensure_present(None, acm, route53, params(), [], False)
    assert module.find_certificates(acm, DOMAIN, sorted(names), key_algorithm, name_tag) == []


@pytest.mark.parametrize(
    ("current", "desired", "purge", "changed", "expected"),
    [
        pytest.param({"Name": "site"}, None, True, False, {"Name": "site"}, id="tags-none-leaves-alone"),
        pytest.param({"Name": "site"}, {"Name": "site"}, True, False, {"Name": "site"}, id="same"),
        pytest.param({"Name": "site"}, {"Name": "site", "A": "1"}, True, True, {"Name": "site", "A": "1"}, id="add"),
        pytest.param({"Name": "site", "B": "2"}, {"Name": "site"}, True, True, {"Name": "site"}, id="purge"),
        pytest.param({"Name": "site", "B": "2"}, {"Name": "site"}, False, False, {"Name": "site", "B": "2"},
                     id="no-purge"),
    ],
)
@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
def test_ensure_tags(current, desired, purge, changed, expected, check_mode):
    client = MagicMock()
    got, predicted = module.ensure_tags(client, {"certificate_arn": "arn", "tags": dict(current)}, desired, purge,
                                        check_mode)
    assert got is changed
    assert predicted["tags"] == expected
    writes = client.add_tags_to_certificate.call_count + client.remove_tags_from_certificate.call_count
    assert (writes > 0) is (changed and not check_mode)


def test_validation_records_are_written_once(clients):
    acm, route53 = clients
    zone_id = route53.create_hosted_zone(Name=DOMAIN, CallerReference="u")["HostedZone"]["Id"].split("/")[-1]
    changed, created, records_changed = module.ensure_present(
        None, acm, route53, params(validation_zone_id=zone_id), [], False)
    assert changed is True
    assert records_changed is True
    names = {r["Name"] for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
             if r["Type"] == "CNAME"}
    assert names == {r["name"] for r in created["validation_records"]}
    found = module.find_certificates(acm, DOMAIN, module.wanted_names(DOMAIN, [f"www.{DOMAIN}"]), "RSA_2048", "site")
    again, _same, records_again = module.ensure_present(None, acm, route53, params(validation_zone_id=zone_id), found,
                                                         True)
    assert again is False
    assert records_again is False


@pytest.mark.parametrize(
    ("zone_name", "private", "message"),
    [
        pytest.param("elsewhere.example", False, "outside zone elsewhere.example", id="other-zone"),
        pytest.param(DOMAIN, True, "is a private zone", id="private-zone"),
    ],
)
def test_validation_zone_must_hold_the_records(clients, zone_name, private, message):
    acm, route53 = clients
    extra = {"HostedZoneConfig": {"PrivateZone": True, "Comment": "p"},
             "VPC": {"VPCRegion": REGION, "VPCId": boto3.client("ec2", region_name=REGION).create_vpc(
                 CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]}} if private else {}
    zone_id = route53.create_hosted_zone(Name=zone_name, CallerReference="u", **extra)["HostedZone"]["Id"]
    with pytest.raises(acm_utils.AnsibleACMError, match=message):
        module.ensure_present(None, acm, route53, params(validation_zone_id=zone_id.split("/")[-1]), [], False)


def test_missing_zone_is_a_clear_error(clients):
    _acm, route53 = clients
    with pytest.raises(acm_utils.AnsibleACMError, match="no such hosted zone"):
        module.ensure_validation_records(route53, "ZNOTTHERE", [], 300, False)


@pytest.mark.parametrize(
    ("statuses", "message"),
    [
        pytest.param(["PENDING_VALIDATION"] * 50, "timed out waiting for the issue", id="timeout"),
        pytest.param(["PENDING_VALIDATION", "FAILED"], "is FAILED", id="failed"),
        pytest.param(["VALIDATION_TIMED_OUT"], "is VALIDATION_TIMED_OUT", id="validation-timed-out"),
        pytest.param(["PENDING_VALIDATION", None], "disappeared while waiting for the issue", id="deleted"),
    ],
)
def test_wait_for_issue_fails_clearly(slept, statuses, message):
    client = MagicMock()
    gone = botocore.exceptions.ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "no"}},
                                           "DescribeCertificate")
    client.describe_certificate.side_effect = [{"Certificate": {"Status": s}} if s else gone for s in statuses]
    deadline = time.monotonic() + 0.5 if message.startswith("timed out") else time.monotonic() + 3600
    with pytest.raises(acm_utils.AnsibleACMError, match=message):
        acm_utils.wait_for_certificate(client, "arn", deadline, "the issue")
    # Polled at once, then every WAIT_DELAY seconds until the failure (or the one poll a 0.5 s wait allows).
    polls = 1 if message.startswith("timed out") else len(statuses)
    assert client.describe_certificate.call_count == polls
    assert slept == [acm_utils.WAIT_DELAY] * (polls - 1)


def test_wait_for_returns_once_ready(slept):
    client = MagicMock()
    client.describe_certificate.side_effect = [{"Certificate": {"Status": "PENDING_VALIDATION"}},
                                               {"Certificate": {"Status": "ISSUED"}}]
    got = acm_utils.wait_for_certificate(client, "arn", time.monotonic() + 60, "the issue")
    assert got["Status"] == "ISSUED"
    assert slept == [acm_utils.WAIT_DELAY]


def test_wait_for_the_validation_records_of_every_name(slept):
    """ACM adds a name's record seconds after the request: the wait ends when every name has one."""
    record = {"Name": "_x.unit.example.", "Type": "CNAME", "Value": "_y.acm-validations.aws."}
    answers = [
        {"Status": "PENDING_VALIDATION"},
        {"Status": "PENDING_VALIDATION", "DomainValidationOptions": [{"DomainName": DOMAIN, "ResourceRecord": record},
                                                                     {"DomainName": f"www.{DOMAIN}"}]},
        {"Status": "PENDING_VALIDATION", "DomainValidationOptions": [{"DomainName": DOMAIN, "ResourceRecord": record},
                                                                     {"DomainName": f"www.{DOMAIN}",
                                                                      "ResourceRecord": record}]},
    ]
    client = MagicMock()
    client.describe_certificate.side_effect = [{"Certificate": a} for a in answers]
    got = acm_utils.wait_for_certificate(client, "arn", time.monotonic() + 60, "the validation records")
    assert not acm_utils.validation_records_pending(got)
    assert slept == [acm_utils.WAIT_DELAY] * 2


def test_a_throttled_poll_is_retried(slept, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # AWSRetry's backoff
    client = MagicMock()
    throttled = botocore.exceptions.ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}},
                                                "DescribeCertificate")
    client.describe_certificate.side_effect = [throttled, {"Certificate": {"Status": "ISSUED"}}]
    assert acm_utils.wait_for_certificate(client, "arn", time.monotonic() + 60, "the issue")["Status"] == "ISSUED"
    assert client.describe_certificate.call_count == 2


@pytest.mark.parametrize(
    ("found", "check_mode", "changed", "deletes"),
    [
        pytest.param([], False, False, 0, id="nothing"),
        pytest.param([({"CertificateArn": "a", "InUseBy": []}, {})], True, True, 0, id="check"),
        pytest.param([({"CertificateArn": "a", "InUseBy": []}, {}), ({"CertificateArn": "b"}, {})], False, True, 2,
                     id="two"),
    ],
)
def test_ensure_absent(found, check_mode, changed, deletes):
    client = MagicMock()
    assert module.ensure_absent(client, found, check_mode) is changed
    assert client.delete_certificate.call_count == deletes


def test_ensure_absent_refuses_a_certificate_in_use():
    client = MagicMock()
    found = [({"CertificateArn": "arn:cert", "InUseBy": ["arn:listener"]}, {})]
    with pytest.raises(acm_utils.AnsibleACMError, match="in use: arn:cert by arn:listener"):
        module.ensure_absent(client, found, False)
    client.delete_certificate.assert_not_called()


@pytest.mark.parametrize(
    ("changed", "status", "wait", "settled"),
    [
        pytest.param(False, "ISSUED", True, True, id="unchanged-issued-wait"),
        pytest.param(False, "PENDING_VALIDATION", False, True, id="unchanged-no-wait"),
        pytest.param(False, "PENDING_VALIDATION", True, False, id="unchanged-awaited-issue"),
        pytest.param(True, "ISSUED", False, False, id="changed"),
    ],
)
def test_the_certificate_as_read_before_is_the_result_only_when_nothing_was_sent_or_awaited(changed, status, wait,
                                                                                            settled):
    assert module.settled(changed, {"status": status}, wait) is settled
