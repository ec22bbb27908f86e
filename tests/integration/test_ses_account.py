"""The ses_account module against moto server over HTTP (SESv2 GetAccount/PutAccountDetails come
from local/emulator/layer.py: moto 5.2 has neither): the sandbox report, and the production-access
request made once, with the four-run pattern."""

from __future__ import annotations

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"


def test_a_new_account_is_reported_in_the_sandbox(emulator, aws_env):
    emulator.reset()
    result = run_playbook("ses_account.yml", aws_env, inventory=INVENTORY)
    assert result.rc == 0, result.stdout[-3000:]
    assert result.changed == 0
    account = result.outputs["result"]
    assert account["sandbox"] is True
    assert account["send_quota"]["max_24_hour_send"] == 200.0
    assert account["review_status"] is None


def test_production_access_is_requested_once(emulator, aws_env, aws):
    emulator.reset()
    results = [run_playbook("ses_account.yml", aws_env, inventory=INVENTORY, check=check,
                            extra_vars={"test_request": True}) for check in (True, False, True, False)]
    for result in results:
        assert result.rc == 0, result.stdout[-3000:]
    assert [r.changed for r in results] == [1, 1, 0, 0]
    details = aws("sesv2").get_account()["Details"]
    assert details["ReviewDetails"]["Status"] == "PENDING"
    assert details["WebsiteURL"] == "https://aws-intro-sample.com"  # stack_domain of the local inventory
    assert details["MailType"] == "TRANSACTIONAL"
    assert details["AdditionalContactEmailAddresses"] == ["ops@aws-intro-sample.com"]
