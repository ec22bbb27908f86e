"""Unit tests of the ses_domain_identity module: validation, and ensure_* against moto in-process
(SES API 2010-12-01) or a client that must not be called (check mode)."""

from __future__ import annotations

from unittest.mock import MagicMock

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import ses
from ansible_collections.aws_intro.stack.plugins.modules import ses_domain_identity as module
from botocore.stub import Stubber
from moto import mock_aws

SUBDOMAIN = "mail_from_domain must be a subdomain"
MALFORMED = "mail_from_domain must be a lower-case"


@pytest.mark.parametrize(
    ("domain", "mail_from", "named"),
    [
        pytest.param("example.com", "mail.example.com", None, id="valid"),
        pytest.param("example.com", None, None, id="mail-from-left-alone"),
        pytest.param("example.com", "", None, id="mail-from-removed"),
        pytest.param("example.com", "mail.example.org", SUBDOMAIN, id="outside"),
        pytest.param("example.com", "example.com", SUBDOMAIN, id="the-domain-itself"),
        pytest.param("example.com", "badexample.com", SUBDOMAIN, id="suffix-not-subdomain"),
        pytest.param("example.com", "mail..example.com", MALFORMED, id="malformed-mail-from"),
        pytest.param("not a domain", None, "domain must be", id="malformed-domain"),
        pytest.param("user@example.com", None, "domain must be", id="address-not-domain"),
    ],
)
def test_validate(domain, mail_from, named):
    problem = module.validate(domain, mail_from)
    if named is None:
        assert problem is None
    else:
        assert named in problem


def _params(**overrides):
    params = {"domain": "example.com", "dkim_enabled": True, "mail_from_domain": "mail.example.com",
              "behavior_on_mx_failure": "UseDefaultValue"}
    params.update(overrides)
    return params


def test_check_mode_on_a_new_domain_predicts_and_calls_nothing():
    client = MagicMock()
    changed, predicted = module.ensure_present(client, None, _params(), check_mode=True)
    assert changed
    assert client.mock_calls == []
    assert predicted["domain"] == "example.com"
    assert predicted["dkim_enabled"] is True
    assert predicted["dkim_tokens"] == []
    assert predicted["mail_from_domain"] == "mail.example.com"


EXISTING = {
    "domain": "example.com", "verification_status": "Success", "verification_token": "t",
    "dkim_enabled": True, "dkim_verification_status": "Success", "dkim_tokens": ["a", "b", "c"],
    "mail_from_domain": "mail.example.com", "mail_from_domain_status": "Success",
    "behavior_on_mx_failure": "UseDefaultValue",
}


@pytest.mark.parametrize(
    ("overrides", "changed", "expected_calls"),
    [
        pytest.param({}, False, [], id="converged"),
        pytest.param({"mail_from_domain": None}, False, [], id="mail-from-unmanaged"),
        pytest.param({"dkim_enabled": False}, True, ["set_identity_dkim_enabled"], id="disable-dkim"),
        pytest.param({"mail_from_domain": ""}, True, ["set_identity_mail_from_domain"], id="remove-mail-from"),
        pytest.param({"behavior_on_mx_failure": "RejectMessage"}, True, ["set_identity_mail_from_domain"],
                     id="reject-on-mx-failure"),
        pytest.param({"mail_from_domain": "bounce.example.com"}, True, ["set_identity_mail_from_domain"],
                     id="other-mail-from"),
    ],
)
def test_updates_of_an_existing_identity(overrides, changed, expected_calls):
    client = MagicMock()
    result = module.ensure_present(client, dict(EXISTING), _params(**overrides), check_mode=False)
    assert result[0] is changed
    assert [c[0] for c in client.mock_calls] == expected_calls
    # check mode predicts the same without calling anything
    check_client = MagicMock()
    assert module.ensure_present(check_client, dict(EXISTING), _params(**overrides), check_mode=True) == result
    assert check_client.mock_calls == []


def test_behaviour_is_ignored_without_a_mail_from_domain():
    existing = dict(EXISTING, mail_from_domain="", mail_from_domain_status=None)
    changed, _ = module.ensure_present(MagicMock(), existing, _params(mail_from_domain="",
                                                                      behavior_on_mx_failure="RejectMessage"), False)
    assert changed is False


@pytest.fixture
def client():
    with mock_aws():
        yield boto3.client("ses", region_name="ap-northeast-2")


def test_create_returns_the_dkim_tokens_and_records(client):
    changed, _ = module.ensure_present(client, None, _params(), check_mode=False)
    identity = module.with_records(ses.describe_domain_identity(client, "example.com"))
    assert changed
    assert len(identity["dkim_tokens"]) == 3
    assert identity["dkim_records"] == [
        {"name": f"{t}._domainkey.example.com", "type": "CNAME", "value": f"{t}.dkim.amazonses.com"}
        for t in identity["dkim_tokens"]
    ]
    assert identity["mail_from_domain"] == "mail.example.com"
    again = module.ensure_present(client, ses.describe_domain_identity(client, "example.com"), _params(), False)
    assert again[0] is False


def test_absent(client):
    module.ensure_present(client, None, _params(), check_mode=False)
    original = ses.describe_domain_identity(client, "example.com")
    assert module.ensure_absent(client, original, check_mode=True) == (True, None)
    assert ses.describe_domain_identity(client, "example.com") is not None
    assert module.ensure_absent(client, original, check_mode=False) == (True, None)
    assert ses.describe_domain_identity(client, "example.com") is None
    assert module.ensure_absent(client, None, check_mode=False) == (False, None)


@pytest.fixture
def stubbed(slept):
    """An SES client answering GetIdentityVerificationAttributes from a list of statuses; the waiter's sleeps."""
    client = boto3.client("ses", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # noqa: S106
    with Stubber(client) as stubber:

        def answer(*statuses):
            for status in statuses:
                attributes = {"example.com": {"VerificationStatus": status}} if status else {}
                stubber.add_response("get_identity_verification_attributes",
                                     {"VerificationAttributes": attributes}, {"Identities": ["example.com"]})

        yield client, answer, slept
        stubber.assert_no_pending_responses()


def test_wait_fails_after_the_timeout(stubbed):
    client, answer, slept = stubbed
    answer("Pending")
    with pytest.raises(ses.AnsibleSESError, match="Timeout waiting 0 s"):
        ses.wait_for_verification(client, "example.com", timeout=0)
    assert slept == []


@pytest.mark.parametrize(("status", "raises"), [("Success", None), ("Failed", "failed to verify")])
def test_wait_ends_on_success_or_failure(stubbed, status, raises):
    client, answer, slept = stubbed
    # Not known to SES yet, then pending, then the status: polled every 15 s until it ends.
    answer(None, "Pending", status)
    if raises:
        with pytest.raises(ses.AnsibleSESError, match=raises):
            ses.wait_for_verification(client, "example.com", timeout=60)
    else:
        ses.wait_for_verification(client, "example.com", timeout=60)
    assert slept == [15, 15]


@pytest.mark.parametrize(
    ("changed", "status", "wait", "settled"),
    [
        pytest.param(False, "Success", True, True, id="unchanged-verified-wait"),
        pytest.param(False, "Pending", False, True, id="unchanged-no-wait"),
        pytest.param(False, "Pending", True, False, id="unchanged-pending-wait"),
        pytest.param(True, "Success", False, False, id="changed"),
        pytest.param(True, "Success", True, False, id="changed-wait"),
    ],
)
def test_the_identity_as_first_read_is_the_result_only_when_nothing_was_sent_or_awaited(changed, status, wait, settled):
    assert module.settled(changed, {"verification_status": status}, wait) is settled


def test_nothing_read_is_never_settled_for_a_wait():
    assert module.settled(False, None, True) is False
