"""The ses_domain_identity module against moto server over HTTP: create, update and delete, each
run four times (check says changed, run changes, check again and run again change nothing), the
result read back with boto3, and a bad MAIL FROM domain refused before any AWS call."""

from __future__ import annotations

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"
DOMAIN = "sample-module.example"


def four_runs(aws_env, extra_vars):
    """Check, run, check, run: the first two report a change, the last two none."""
    results = [run_playbook("ses_domain_identity.yml", aws_env, extra_vars=extra_vars, inventory=INVENTORY,
                            check=check) for check in (True, False, True, False)]
    for result in results:
        assert result.rc == 0, result.stdout[-3000:]
    assert [r.changed for r in results] == [1, 1, 0, 0], [r.changed_tasks() for r in results]
    return results


@pytest.fixture(scope="module")
def created(emulator, aws_env):
    emulator.reset()
    return four_runs(aws_env, {})


def test_create_returns_the_tokens_ses_holds(created, aws):
    check, real = created[0].outputs["result"], created[1].outputs["result"]
    assert check["dkim_tokens"] == []  # not known before SES makes them
    dkim = aws("ses").get_identity_dkim_attributes(Identities=[DOMAIN])["DkimAttributes"][DOMAIN]
    assert real["dkim_tokens"] == dkim["DkimTokens"]
    assert len(real["dkim_tokens"]) == 3
    assert [r["name"] for r in real["dkim_records"]] == [f"{t}._domainkey.{DOMAIN}" for t in dkim["DkimTokens"]]
    assert all(r["value"].endswith(".dkim.amazonses.com") and r["type"] == "CNAME" for r in real["dkim_records"])
    assert real["dkim_enabled"] is True
    assert real["verification_status"] == "Success"  # waited for (moto verifies at once)
    assert created[3].outputs["result"] == real


def test_mail_from_domain_is_set(created, aws):
    attributes = aws("ses").get_identity_mail_from_domain_attributes(Identities=[DOMAIN])
    assert attributes["MailFromDomainAttributes"][DOMAIN]["MailFromDomain"] == f"mail.{DOMAIN}"
    assert attributes["MailFromDomainAttributes"][DOMAIN]["BehaviorOnMXFailure"] == "UseDefaultValue"


def test_behaviour_on_mx_failure_changes_in_place(created, aws_env, aws):
    results = four_runs(aws_env, {"test_behavior_on_mx_failure": "RejectMessage"})
    assert results[0].outputs["result"]["behavior_on_mx_failure"] == "RejectMessage"  # predicted
    attributes = aws("ses").get_identity_mail_from_domain_attributes(Identities=[DOMAIN])["MailFromDomainAttributes"]
    assert attributes[DOMAIN]["BehaviorOnMXFailure"] == "RejectMessage"


def test_mail_from_domain_is_removed(created, aws_env, aws):
    four_runs(aws_env, {"test_mail_from_domain": ""})
    attributes = aws("ses").get_identity_mail_from_domain_attributes(Identities=[DOMAIN])["MailFromDomainAttributes"]
    assert not attributes[DOMAIN].get("MailFromDomain")


def test_a_mail_from_domain_outside_the_domain_fails_before_any_call(created, aws_env, recording):
    with recording() as rec:
        result = run_playbook("ses_domain_identity.yml", aws_env, inventory=INVENTORY,
                              extra_vars={"test_mail_from_domain": "mail.elsewhere.example"})
    assert result.rc != 0
    assert "mail_from_domain must be a subdomain of domain" in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()


def test_absent_deletes_the_identity(created, aws_env, aws):
    results = four_runs(aws_env, {"test_state": "absent"})
    assert results[1].outputs["result"] is None
    assert DOMAIN not in aws("ses").list_identities()["Identities"]
