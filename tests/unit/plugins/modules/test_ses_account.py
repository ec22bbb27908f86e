"""Unit tests of the ses_account module: the sandbox report and the once-only production request."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from ansible_collections.aws_intro.stack.plugins.modules import ses_account as module

SANDBOX = {"ProductionAccessEnabled": False, "SendingEnabled": True, "EnforcementStatus": "HEALTHY",
           "SendQuota": {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 0.0}}


def test_normalize_reports_the_sandbox():
    account = module.normalize_account(SANDBOX)
    assert account["sandbox"] is True
    assert account["send_quota"] == {"max_24_hour_send": 200.0, "max_send_rate": 1.0, "sent_last_24_hours": 0.0}
    assert account["review_status"] is None


PARAMS = {"request_production_access": True, "mail_type": "TRANSACTIONAL", "website_url": "https://example.com",
          "use_case_description": "sign-up mail", "additional_contact_email_addresses": None,
          "contact_language": "EN"}


@pytest.mark.parametrize(
    ("account", "wanted", "changed"),
    [
        pytest.param(SANDBOX, True, True, id="sandbox-requested"),
        pytest.param(SANDBOX, False, False, id="sandbox-not-requested"),
        pytest.param(dict(SANDBOX, Details={"ReviewDetails": {"Status": "PENDING"}}), True, False, id="pending"),
        pytest.param(dict(SANDBOX, Details={"ReviewDetails": {"Status": "DENIED"}}), True, False, id="denied"),
        pytest.param(dict(SANDBOX, ProductionAccessEnabled=True), True, False, id="production"),
    ],
)
def test_production_access_is_requested_once(account, wanted, changed):
    params = dict(PARAMS, request_production_access=wanted)
    for check_mode in (True, False):
        client = MagicMock()
        result_changed, result = module.ensure_production_access(
            client, module.normalize_account(account), params, check_mode)
        assert result_changed is changed
        called = [c[0] for c in client.mock_calls]
        assert called == (["put_account_details"] if changed and not check_mode else [])
        if changed:
            assert result["review_status"] == "PENDING"


def test_request_details():
    assert module.request_details(PARAMS) == {
        "MailType": "TRANSACTIONAL", "WebsiteURL": "https://example.com", "ContactLanguage": "EN",
        "ProductionAccessEnabled": True, "UseCaseDescription": "sign-up mail"}
