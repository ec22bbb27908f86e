"""stack_allowed_account_ids (playbooks/tasks/check_account.yml): cloud.yml, report.yml and teardown.yml ask
STS which account the credentials belong to and stop, naming it and the allowed ones, before any change when
it is not listed; a malformed list is refused before any AWS call; credentials STS does not answer for are
refused; the listed account runs, and an empty list makes no STS call at all.

The emulator's account is moto's default, which inventories/local allows."""

from __future__ import annotations

import pytest

from tests.integration.ansible_runner import run_playbook
from tests.integration.report_files import TEST_INVENTORY, report

EMULATOR_ACCOUNT = "123456789012"  # moto's default account; inventories/local/group_vars/all/stack.yml
OTHER_ACCOUNTS = ["111111111111", "222222222222"]
STACK = "acct-stack"  # no resource is made under it
STS_CALL = "sts:GetCallerIdentity"
# What the account check itself reads (aws_caller_info: the caller, then the account's alias).
CHECK_CALLS = {STS_CALL, "iam:ListAccountAliases"}
PLAYBOOKS = {
    "cloud": ("playbooks/cloud.yml", {}),
    "report": ("playbooks/report.yml", {}),
    "teardown": ("playbooks/teardown.yml", {"teardown_confirm": STACK}),
}


def run(aws_env, tmp_path, name: str, **extra):
    playbook, own = PLAYBOOKS[name]
    return run_playbook(playbook, aws_env, inventory=TEST_INVENTORY,
                        extra_vars={"stack_name": STACK, "report_dir": str(tmp_path), **own, **extra})


def message(result) -> str:
    return " ".join(result.stdout.split())


@pytest.mark.parametrize("name", PLAYBOOKS)
def test_another_account_is_refused_before_any_change(emulator, aws_env, recording, tmp_path, name):
    emulator.reset()
    with recording() as rec:
        result = run(aws_env, tmp_path, name, stack_allowed_account_ids=OTHER_ACCOUNTS)
    assert result.rc != 0, result.stdout[-3000:]
    text = message(result)
    assert f"the credentials are for AWS account {EMULATOR_ACCOUNT}, which is not in stack_allowed_account_ids" \
        f" ({', '.join(OTHER_ACCOUNTS)})" in text, result.stdout[-3000:]
    # The account check is the first AWS call: nothing else was read, nothing written.
    calls = rec.summary()["by_call"]
    assert STS_CALL in calls, calls
    assert set(calls) <= CHECK_CALLS, calls
    assert rec.writes() == {}, calls


@pytest.mark.parametrize(("name", "ids"), [
    ("cloud", ["12345"]),
    ("report", ["12345678901a"]),
    ("teardown", ["123456789012", "1234567890123"]),
    ("cloud", "123456789012"),  # a string, not a list
])
def test_a_malformed_list_is_refused_before_any_aws_call(aws_env, recording, tmp_path, name, ids):
    with recording() as rec:
        result = run(aws_env, tmp_path, name, stack_allowed_account_ids=ids)
    assert result.rc != 0, result.stdout[-3000:]
    assert "stack_allowed_account_ids must be a list of 12-digit AWS account ids" in message(result), \
        result.stdout[-3000:]
    assert rec.summary()["total"] == 0, rec.summary()


def test_credentials_sts_cannot_use_are_refused(aws_env, recording, tmp_path):
    # An endpoint nothing listens on: the call fails, as with missing or expired credentials.
    with recording() as rec:
        result = run(aws_env, tmp_path, "report", stack_aws_endpoint_url="http://127.0.0.1:9")
    assert result.rc != 0, result.stdout[-3000:]
    text = message(result)
    assert "the credentials could not be used to ask STS which account they belong to" in text, \
        result.stdout[-3000:]
    assert f"stack_allowed_account_ids allows {EMULATOR_ACCOUNT}" in text
    assert rec.summary()["total"] == 0, rec.summary()


def test_the_allowed_account_runs_and_an_empty_list_asks_nothing(emulator, aws_env, recording, tmp_path):
    emulator.reset()
    with recording() as rec:
        allowed = report(aws_env, tmp_path)  # inventories/local: the emulator's account
    assert allowed.rc == 0, allowed.stdout[-4000:]
    allowed_calls = rec.summary()["by_call"]

    with recording() as rec:
        anyone = report(aws_env, tmp_path, stack_allowed_account_ids=[])
    assert anyone.rc == 0, anyone.stdout[-4000:]
    anyone_calls = rec.summary()["by_call"]
    assert rec.writes() == {}
    # With the list set, the play asks STS once and the roles take its answer (stack_caller); with the list empty
    # the check asks nothing and the roles ask themselves (storage's lookup: the bucket name has the account in it).
    assert allowed_calls[STS_CALL] == 1, allowed_calls
    assert anyone_calls.get(STS_CALL, 0) >= 1, anyone_calls
