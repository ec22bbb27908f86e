"""Unit tests for plugins/modules/route53_domain.py and plugins/module_utils/route53domains.py:
input checks, the availability gate and the registration (never in check mode), settings and
name servers of a registered domain, waiting for operations. moto in-process stands in for Route 53
Domains; CheckDomainAvailability, which moto 5.2.5 lacks, is answered by a small wrapper."""

from __future__ import annotations

from unittest.mock import MagicMock

import boto3
import botocore.exceptions
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import route53domains as utils
from ansible_collections.aws_intro.stack.plugins.modules import route53_domain as module
from moto import mock_aws

CONTACT = {"first_name": "Jane", "last_name": "Doe", "contact_type": "PERSON", "organization_name": None,
           "address_line_1": "1 Main Street", "address_line_2": None, "city": "Seattle", "state": "WA",
           "country_code": "US", "zip_code": "98101", "phone_number": "+1.2065550100", "email": "j@example.com",
           "fax": None}


def params(**overrides):
    base = {"domain_name": "unit-test.com", "register": False, "duration_in_years": 2, "auto_renew": True,
            "privacy_protection": True, "registrant_contact": None, "admin_contact": None, "tech_contact": None,
            "hosted_zone_id": None, "name_servers": None, "wait": True, "wait_timeout": 60}
    base.update(overrides)
    return base


class Domains:
    """moto's route53domains client plus the CheckDomainAvailability moto lacks."""

    def __init__(self, client, availability="AVAILABLE", error_code=None):
        self._client = client
        self.availability = availability
        self.error_code = error_code
        self.availability_checks = 0

    def check_domain_availability(self, DomainName):
        self.availability_checks += 1
        if self.error_code:
            raise botocore.exceptions.ClientError({"Error": {"Code": self.error_code, "Message": "no"}},
                                                  "CheckDomainAvailability")
        return {"Availability": self.availability}

    def __getattr__(self, name):
        return getattr(self._client, name)


@pytest.fixture
def aws(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr("botocore.waiter.time.sleep", lambda _s: None)
    with mock_aws():
        yield Domains(boto3.client("route53domains", region_name="us-east-1")), boto3.client("route53",
                                                                                               region_name="us-east-1")


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        pytest.param({}, None, id="fine"),
        pytest.param({"register": True, "registrant_contact": CONTACT}, None, id="register-with-contact"),
        pytest.param({"domain_name": "not a domain"}, "is not a domain name", id="spaces"),
        pytest.param({"domain_name": "localhost"}, "is not a domain name", id="single-label"),
        pytest.param({"domain_name": "example.com."}, "is not a domain name", id="trailing-dot"),
        pytest.param({"domain_name": "a" * 64 + ".com"}, "is not a domain name", id="label-too-long"),
        pytest.param({"register": True}, "register=true needs registrant_contact", id="register-without-contact"),
        pytest.param({"duration_in_years": 0}, "duration_in_years must be from 1 to 10", id="zero-years"),
        pytest.param({"duration_in_years": 11}, "duration_in_years must be from 1 to 10", id="eleven-years"),
    ],
)
def test_check_params(overrides, problem):
    found = module.check_params(params(**overrides))
    if problem is None:
        assert found is None
    else:
        assert problem in found


def test_contact_to_api_leaves_unset_fields_out():
    assert utils.contact_to_api(CONTACT) == {
        "FirstName": "Jane", "LastName": "Doe", "ContactType": "PERSON", "AddressLine1": "1 Main Street",
        "City": "Seattle", "State": "WA", "CountryCode": "US", "ZipCode": "98101", "PhoneNumber": "+1.2065550100",
        "Email": "j@example.com"}


def test_unregistered_domain_without_register_is_only_reported(aws):
    domains, _route53 = aws
    current = module.normalize_domain("unit-test.com", utils.get_domain_detail(domains, "unit-test.com"))
    assert current == {"domain_name": "unit-test.com", "registered": False, "operation_ids": []}
    assert module.ensure_registered(domains, params(), current, False) == (False, current)
    assert domains.availability_checks == 0


def test_check_mode_checks_availability_and_never_registers(aws):
    domains, _route53 = aws
    current = module.normalize_domain("unit-test.com", None)
    changed, predicted = module.ensure_registered(domains, params(register=True, registrant_contact=CONTACT), current,
                                                  True)
    assert changed is True
    assert predicted["registered"] is True
    assert predicted["availability"] == "AVAILABLE"
    assert domains.availability_checks == 1
    assert domains.list_domains()["Domains"] == []


def test_registration_waits_and_reads_the_domain_back(aws):
    domains, _route53 = aws
    current = module.normalize_domain("unit-test.com", None)
    changed, after = module.ensure_registered(domains, params(register=True, registrant_contact=CONTACT), current,
                                              False)
    assert changed is True
    assert after["registered"] is True
    assert after["auto_renew"] is True
    assert after["privacy_protection"] == {"admin": True, "registrant": True, "tech": True}
    assert len(after["operation_ids"]) == 1
    assert [d["DomainName"] for d in domains.list_domains()["Domains"]] == ["unit-test.com"]
    detail = domains.get_domain_detail(DomainName="unit-test.com")
    assert detail["AdminContact"]["Email"] == "j@example.com"  # the registrant stands in for admin and tech


@pytest.mark.parametrize(
    ("availability", "error_code", "message"),
    [
        pytest.param("UNAVAILABLE", None, "cannot be registered: it is UNAVAILABLE", id="taken"),
        pytest.param("RESERVED", None, "cannot be registered: it is RESERVED", id="reserved"),
        pytest.param(None, "UnsupportedTLD", "its top-level domain is not supported", id="unsupported-tld"),
        pytest.param(None, "InternalFailure", "Failed to check domain availability", id="api-error"),
    ],
)
def test_registration_stops_when_the_domain_is_not_available(aws, availability, error_code, message):
    domains, _route53 = aws
    domains.availability, domains.error_code = availability, error_code
    with pytest.raises(utils.AnsibleRoute53DomainsError, match=message):
        module.ensure_registered(domains, params(register=True, registrant_contact=CONTACT),
                                 module.normalize_domain("unit-test.com", None), False)
    assert domains.list_domains()["Domains"] == []


@pytest.mark.parametrize(
    ("current", "wanted", "check_mode", "changed", "calls"),
    [
        pytest.param({"auto_renew": True, "privacy": True}, {"auto_renew": True, "privacy_protection": True}, False,
                     False, [], id="same"),
        pytest.param({"auto_renew": True, "privacy": True}, {"auto_renew": False, "privacy_protection": True}, False,
                     True, ["disable_domain_auto_renew"], id="auto-renew-off"),
        pytest.param({"auto_renew": False, "privacy": True}, {"auto_renew": True, "privacy_protection": True}, True,
                     True, [], id="auto-renew-on-check"),
        pytest.param({"auto_renew": True, "privacy": False}, {"auto_renew": True, "privacy_protection": True}, False,
                     True, ["update_domain_contact_privacy"], id="privacy-on"),
    ],
)
def test_ensure_settings(current, wanted, check_mode, changed, calls):
    client = MagicMock()
    client.update_domain_contact_privacy.return_value = {"OperationId": "op"}
    client.get_operation_detail.return_value = {"Status": "SUCCESSFUL"}
    state = {"registered": True, "auto_renew": current["auto_renew"], "operation_ids": [],
             "privacy_protection": {k: current["privacy"] for k in ("admin", "registrant", "tech")}}
    got, predicted = module.ensure_settings(client, params(**wanted), state, check_mode)
    assert got is changed
    assert predicted["auto_renew"] is wanted["auto_renew"]
    made = [name for name in ("enable_domain_auto_renew", "disable_domain_auto_renew", "update_domain_contact_privacy")
            if getattr(client, name).called]
    assert made == calls


@pytest.fixture
def registered(aws):
    domains, route53 = aws
    module.ensure_registered(domains, params(register=True, registrant_contact=CONTACT),
                             module.normalize_domain("unit-test.com", None), False)
    zone = next(z for z in route53.list_hosted_zones()["HostedZones"] if z["Name"].rstrip(".") == "unit-test.com")
    return domains, route53, zone["Id"].split("/")[-1]


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
def test_name_servers_follow_the_zone(registered, check_mode):
    domains, route53, zone_id = registered
    wanted = module.desired_name_servers(route53, params(hosted_zone_id=zone_id))
    before = module.normalize_domain("unit-test.com", domains.get_domain_detail(DomainName="unit-test.com"))
    changed, after = module.ensure_name_servers(MagicMock(), domains, params(), before, wanted, check_mode)
    assert changed is True
    assert after["name_servers"] == wanted
    stored = utils.normalize_name_servers(n["Name"] for n in domains.get_domain_detail(
        DomainName="unit-test.com")["Nameservers"])
    assert (stored == wanted) is (not check_mode)
    if not check_mode:
        again = module.normalize_domain("unit-test.com", domains.get_domain_detail(DomainName="unit-test.com"))
        assert module.ensure_name_servers(MagicMock(), domains, params(), again, wanted, False)[0] is False


def test_zone_of_another_domain_is_refused(registered):
    _domains, route53, _zone_id = registered
    other = route53.create_hosted_zone(Name="other.com", CallerReference="o")["HostedZone"]["Id"].split("/")[-1]
    with pytest.raises(utils.AnsibleRoute53DomainsError, match=r"is the zone of other\.com, not of unit-test\.com"):
        module.desired_name_servers(route53, params(hosted_zone_id=other))


def test_name_servers_of_an_unregistered_domain_fail_clearly():
    with pytest.raises(utils.AnsibleRoute53DomainsError, match="is not registered in this account"):
        module.ensure_name_servers(MagicMock(), MagicMock(), params(), module.normalize_domain("unit-test.com", None),
                                   ["ns1.example.net"], False)


@pytest.mark.parametrize(
    ("statuses", "message"),
    [
        pytest.param(["IN_PROGRESS", "ERROR"], "ended ERROR", id="error"),
        pytest.param(["SUBMITTED", "FAILED"], "ended FAILED", id="failed"),
        pytest.param(["IN_PROGRESS"] * 100, "timed out after 0 s", id="timeout"),
    ],
)
def test_wait_for_operation_fails_clearly(slept, statuses, message):
    client = MagicMock()
    client.get_operation_detail.side_effect = [{"Status": s, "Message": "m"} for s in statuses]
    with pytest.raises(utils.AnsibleRoute53DomainsError, match=message):
        module.wait_for_operation(client, "op", 0 if message.startswith("timed out") else 3600, "the registration")
    # Polled at once and every WAIT_DELAY seconds until ERROR/FAILED; a 0 s wait polls once.
    polls = 1 if message.startswith("timed out") else len(statuses)
    assert client.get_operation_detail.call_count == polls
    assert slept == [utils.WAIT_DELAY] * (polls - 1)


def test_wait_for_operation_returns_once_successful(monkeypatch, slept):
    monkeypatch.setattr("time.sleep", slept.append)  # also AWSRetry's backoff of the throttled poll
    throttled = botocore.exceptions.ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow"}},
                                                "GetOperationDetail")
    client = MagicMock()
    client.get_operation_detail.side_effect = [{"Status": "SUBMITTED"}, throttled, {"Status": "IN_PROGRESS"},
                                               {"Status": "SUCCESSFUL", "OperationId": "op"}]
    assert module.wait_for_operation(client, "op", 60, "the registration")["Status"] == "SUCCESSFUL"
    assert client.get_operation_detail.call_count == 4
    assert slept.count(utils.WAIT_DELAY) == 2


def test_a_zone_that_does_not_exist_fails_clearly(aws):
    _domains, route53 = aws
    with pytest.raises(utils.AnsibleRoute53DomainsError, match="hosted_zone_id ZNOTTHERE: no such hosted zone"):
        module.desired_name_servers(route53, params(hosted_zone_id="ZNOTTHERE"))
