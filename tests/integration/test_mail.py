"""The mail role against moto server over HTTP: converge (-vvv) into a public zone made first,
second run and --check change nothing, the DNS records carry the tokens SES returned, the SMTP
user may only send, the credentials are SecureStrings and never shown, the lookup alone publishes
the same outputs, bad input fails before any AWS call, and the sender-address, rotation,
production-access and fresh-account check-mode variants."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from tests.integration.ansible_runner import handler_results, run_playbook

REGION = "ap-northeast-2"
DOMAIN = "aws-intro-sample.com"  # stack_domain of the local inventory
PATH = "/sample/mail/smtp"
USER = "sample-smtp"
TAGS = ("--tags", "mail")
OUTSIDE = "mail_from_domain must be a subdomain of mail_domain"
# The local inventory's variables without its aws_ec2 source (which would add AWS calls of its own).
INVENTORY = "tests/integration/inventory"


def smtp_password(secret, region):
    """The SES Developer Guide's derivation, written here again (not imported from the module)."""
    key = ("AWS4" + secret).encode()
    for message in ("11111111", region, "ses", "aws4_request", "SendRawEmail"):
        key = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.b64encode(b"\x04" + key).decode()


def flat(text):
    """Output with its line wrapping undone (the YAML callback folds long messages)."""
    return " ".join(text.split())


def converge(aws_env, extra_vars=None, check=False, args=()):
    return run_playbook("mail.yml", aws_env, extra_vars=extra_vars, check=check, args=(*TAGS, *args),
                        inventory=INVENTORY)


def make_zone(aws_env):
    zone = run_playbook("mail_zone.yml", aws_env, inventory=INVENTORY)
    assert zone.rc == 0, zone.stdout[-3000:]
    return zone.outputs["zone_id"]


@pytest.fixture(scope="module")
def zone_id(emulator, aws_env):
    emulator.reset()
    return make_zone(aws_env)


@pytest.fixture(scope="module")
def converged(zone_id, aws_env):
    result = converge(aws_env, args=("-vvv",))
    assert result.rc == 0, result.stdout[-5000:]
    return result


@pytest.fixture(scope="module")
def outputs(converged):
    return converged.outputs["mail_outputs"]


def credentials(aws) -> dict:
    """The SMTP user name and password as the mail role keeps them in SSM (the outputs name the parameters)."""
    ssm = aws("ssm")
    return {key: ssm.get_parameter(Name=f"{PATH}/{key}", WithDecryption=True)["Parameter"]["Value"]
            for key in ("username", "password")}


def access_keys(aws):
    """The SMTP user's access keys from every page (the emulator pages ListAccessKeys as IAM may)."""
    pages = aws("iam").get_paginator("list_access_keys").paginate(UserName=USER)
    return pages.build_full_result()["AccessKeyMetadata"]


def records(aws, zone_id):
    sets = aws("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {(r["Name"].rstrip("."), r["Type"]): [v["Value"] for v in r.get("ResourceRecords", [])] for r in sets}


def record_set_calls(calls: dict, method: str) -> list[int]:
    """The counts of ListResourceRecordSets (GET) or ChangeResourceRecordSets (POST), one per zone called."""
    return [n for call, n in calls.items()
            if call.startswith(f"route53:{method} ") and call.rstrip("/").endswith("/rrset")]


def test_converge_publishes_the_smtp_settings_and_where_the_credentials_are(converged, outputs, aws):
    assert converged.changed > 0
    username = aws("ssm").get_parameter(Name=f"{PATH}/username", WithDecryption=True)["Parameter"]
    password = aws("ssm").get_parameter(Name=f"{PATH}/password", WithDecryption=True)["Parameter"]
    assert username["Type"] == password["Type"] == "SecureString"
    assert outputs["smtp_domain"] == DOMAIN
    assert outputs["smtp_address"] == f"email-smtp.{REGION}.amazonaws.com"
    assert (outputs["username_parameter"], outputs["password_parameter"]) == (f"{PATH}/username", f"{PATH}/password")
    # The outputs carry the parameters' names, never the values (a play prints *_outputs).
    assert username["Value"] not in str(outputs)
    assert password["Value"] not in str(outputs)
    assert outputs["smtp_port"] == 465
    keys = access_keys(aws)
    assert [k["AccessKeyId"] for k in keys] == [username["Value"]]


def test_dns_records_carry_the_tokens_of_the_identity(converged, zone_id, aws):
    ses = aws("ses")
    tokens = ses.get_identity_dkim_attributes(Identities=[DOMAIN])["DkimAttributes"][DOMAIN]["DkimTokens"]
    assert len(tokens) == 3
    found = records(aws, zone_id)
    cnames = {name: values for (name, kind), values in found.items() if kind == "CNAME"}
    assert cnames == {f"{t}._domainkey.{DOMAIN}": [f"{t}.dkim.amazonses.com"] for t in tokens}
    assert found[(f"mail.{DOMAIN}", "MX")] == [f"10 feedback-smtp.{REGION}.amazonses.com"]
    assert found[(f"mail.{DOMAIN}", "TXT")] == ['"v=spf1 include:amazonses.com ~all"']
    assert found[(f"_dmarc.{DOMAIN}", "TXT")] == ['"v=DMARC1; p=none"']
    mail_from = ses.get_identity_mail_from_domain_attributes(Identities=[DOMAIN])["MailFromDomainAttributes"][DOMAIN]
    assert mail_from["MailFromDomain"] == f"mail.{DOMAIN}"


def test_the_smtp_user_may_only_send(converged, aws):
    iam = aws("iam")
    assert iam.list_user_policies(UserName=USER)["PolicyNames"] == ["ses-send-raw-email"]
    assert iam.list_attached_user_policies(UserName=USER)["AttachedPolicies"] == []
    assert iam.list_groups_for_user(UserName=USER)["Groups"] == []
    (statement,) = iam.get_user_policy(UserName=USER, PolicyName="ses-send-raw-email")["PolicyDocument"]["Statement"]
    assert (statement["Effect"], statement["Action"]) == ("Allow", "ses:SendRawEmail")
    (resource,) = statement["Resource"]
    assert re.fullmatch(rf"arn:aws:ses:{REGION}:\d{{12}}:identity/{re.escape(DOMAIN)}", resource)
    tags = {t["Key"]: t["Value"] for t in iam.list_user_tags(UserName=USER)["Tags"]}
    assert tags == {"Name": "sample-smtp", "Stack": "sample", "ManagedBy": "aws_intro.stack"}


def test_verbose_output_holds_no_secret(converged, aws):
    assert "-vvv" in converged.stdout or "ansible-playbook [core" in converged.stdout
    password = credentials(aws)["password"]
    assert password not in converged.stdout
    candidates = set(re.findall(r"(?=([A-Za-z0-9/+]{40}))", converged.stdout))
    assert candidates
    leaked = [c for c in candidates if smtp_password(c, REGION) == password]
    assert leaked == [], "the secret access key is in the output"


def test_the_sandbox_is_reported(converged):
    assert "is in the SANDBOX: mail reaches only verified identities" in flat(converged.stdout)


def test_second_run_changes_nothing(converged, outputs, aws_env, aws, recording, busy_parameter_store):
    with recording() as rec:
        again = converge(aws_env)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    # In a busy account the emulator pages DescribeParameters and ListAccessKeys as AWS may (an empty first
    # page, more to come):
    # the credentials are found on the later pages and kept, not rotated.
    calls = rec.summary()["by_call"]
    assert calls.get("ssm:DescribeParameters", 0) >= 2, calls
    assert calls.get("iam:ListAccessKeys", 0) >= 2, calls
    assert not {"iam:CreateAccessKey", "iam:DeleteAccessKey", "ssm:PutParameter"} & set(calls), calls
    # Nothing changed: the module returns what it read, without reading the user a second time.
    assert calls.get("iam:GetUser") == 1, calls
    # The identity is read once: ses_domain_identity returns what it read when it changed nothing and SES reports
    # the domain verified, with nothing to wait for.
    assert {call: n for call, n in calls.items() if call.startswith("ses:GetIdentity")} == {
        "ses:GetIdentityVerificationAttributes": 1, "ses:GetIdentityDkimAttributes": 1,
        "ses:GetIdentityMailFromDomainAttributes": 1}, calls
    assert [k["AccessKeyId"] for k in access_keys(aws)] == [credentials(aws)["username"]]
    # The zone's records are listed once for the six (amazon.aws.route53 alone lists them for each), none written.
    assert record_set_calls(calls, "GET") == [1], calls
    assert record_set_calls(calls, "POST") == [], calls


def test_a_record_changed_or_removed_by_hand_is_written_again_and_no_other(converged, zone_id, aws_env, aws,
                                                                          recording):
    route53 = aws("route53")
    before = records(aws, zone_id)
    sets = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    dmarc = next(r for r in sets if r["Name"] == f"_dmarc.{DOMAIN}." and r["Type"] == "TXT")
    mx = next(r for r in sets if r["Name"] == f"mail.{DOMAIN}." and r["Type"] == "MX")
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {**dmarc, "ResourceRecords": [{"Value": '"v=DMARC1; p=reject"'}]}},
        {"Action": "DELETE", "ResourceRecordSet": mx}]})
    with recording() as rec:
        again = converge(aws_env)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 1, again.changed_tasks()
    written = handler_results(again.stdout, "DKIM CNAMEs, MAIL FROM MX and SPF, DMARC")
    assert sorted(written) == [f"changed: [localhost] => (item=MX mail.{DOMAIN})",
                               f"changed: [localhost] => (item=TXT _dmarc.{DOMAIN})"], written
    calls = rec.summary()["by_call"]
    assert record_set_calls(calls, "POST") == [2], calls
    assert records(aws, zone_id) == before


def test_check_mode_on_the_converged_stack_reports_no_change(converged, aws_env, aws):
    check = converge(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()
    assert credentials(aws)["password"] not in check.stdout


def test_lookup_alone_finds_the_same_outputs(converged, outputs, aws_env, recording):
    with recording() as rec:
        found = run_playbook("mail_lookup.yml", aws_env, inventory=INVENTORY)
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["mail_outputs"] == outputs
    assert rec.writes() == {}, "the lookup must not change anything"


@pytest.mark.parametrize(
    ("extra_vars", "named"),
    [
        pytest.param({"mail_domain": "", "mail_sender_address": "noreply.example.com"}, "mail_sender_address",
                     id="malformed-sender-address"),
        pytest.param({"mail_sender_address": f"no reply@{DOMAIN}"}, "mail_sender_address",
                     id="malformed-sender-address-with-domain"),
        pytest.param({"mail_from_domain": "mail.elsewhere.com"}, OUTSIDE,
                     id="mail-from-outside-the-domain"),
        pytest.param({"mail_from_domain": f"not{DOMAIN}"}, OUTSIDE,
                     id="mail-from-suffix-but-not-subdomain"),
        pytest.param({"mail_smtp_region": "us-west-1"}, "mail_smtp_region us-west-1 has no Amazon SES SMTP endpoint",
                     id="region-without-smtp"),
        pytest.param({"mail_smtp_region": "xx-nowhere-9"}, "mail_smtp_region xx-nowhere-9", id="unknown-region"),
        pytest.param({"mail_domain": "example.org"}, "mail_domain 'example.org' (by default stack_domain) is reserved",
                     id="reserved-mail-domain"),
        pytest.param({"mail_domain": "mail.sample.test"},
                     "mail_domain 'mail.sample.test' (by default stack_domain) is reserved", id="reserved-tld"),
    ],
)
def test_bad_input_fails_before_any_aws_call(converged, aws_env, recording, extra_vars, named):
    with recording() as rec:
        result = converge(aws_env, extra_vars)
    assert result.rc != 0
    assert result.failed == 1
    assert named in flat(result.stdout)
    assert rec.summary()["total"] == 0, rec.summary()


def test_rotation_replaces_the_credentials(converged, outputs, aws_env, aws):
    old = credentials(aws)
    rotated = converge(aws_env, {"mail_smtp_rotate": True})
    assert rotated.rc == 0, rotated.stdout[-4000:]
    assert rotated.changed_tasks() == ["aws_intro.stack.mail : SMTP credentials in SSM (IAM user allowed only "
                                       f"ses:SendRawEmail, its key, the password) for {DOMAIN}"]
    assert rotated.outputs["mail_outputs"] == outputs  # the same parameters, holding new values
    new = credentials(aws)
    assert new["username"] != old["username"]
    assert new["password"] != old["password"]
    keys = access_keys(aws)
    assert [k["AccessKeyId"] for k in keys] == [new["username"]]
    assert converge(aws_env).changed == 0


def test_production_access_is_requested_when_opted_in(converged, aws_env, aws):
    extra = {"mail_production_access_request": True,
             "mail_production_access_use_case": "Activation and password-reset mail of the sample app."}
    first = converge(aws_env, extra)
    assert first.rc == 0, first.stdout[-4000:]
    assert first.changed == 1, first.changed_tasks()
    assert "A production-access review is PENDING" in flat(first.stdout)
    details = aws("sesv2").get_account()["Details"]
    assert details["ReviewDetails"]["Status"] == "PENDING"
    assert details["UseCaseDescription"] == extra["mail_production_access_use_case"]
    assert converge(aws_env, extra).changed == 0


def test_a_single_sender_address_without_a_domain(emulator, converged, aws_env, aws):
    emulator.reset()
    extra = {"mail_domain": "", "mail_sender_address": f"noreply@{DOMAIN}"}
    first = converge(aws_env, extra)
    assert first.rc == 0, first.stdout[-4000:]
    assert first.changed > 0
    assert aws("ses").list_identities()["Identities"] == [f"noreply@{DOMAIN}"]
    assert aws("route53").list_hosted_zones()["HostedZones"] == []  # no zone needed, none looked for
    policy = aws("iam").get_user_policy(UserName=USER, PolicyName="ses-send-raw-email")["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Resource"][0].endswith(f":identity/noreply@{DOMAIN}")
    outputs = first.outputs["mail_outputs"]
    assert (outputs["smtp_domain"], outputs["identity"]) == (DOMAIN, f"noreply@{DOMAIN}")
    assert converge(aws_env, extra).changed == 0
    assert converge(aws_env, extra, check=True).changed == 0


def test_check_mode_on_a_fresh_account_creates_nothing(emulator, converged, aws_env, aws):
    emulator.reset()
    make_zone(aws_env)
    check = converge(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed > 0
    assert aws("ses").list_identities()["Identities"] == []
    assert aws("iam").list_users()["Users"] == []
    assert aws("ssm").describe_parameters()["Parameters"] == []


def test_a_missing_public_zone_is_named(emulator, converged, aws_env):
    emulator.reset()
    result = converge(aws_env)
    assert result.rc != 0
    assert f"No public Route 53 zone named {DOMAIN} (mail_zone_name)" in result.stdout


def test_without_a_domain_or_a_sender_address_mail_is_off(emulator, converged, aws_env, aws, recording):
    """stack_domain "" (the AWS inventory's default) and no mail_sender_address: nothing to send from,
    so the role makes nothing, says so, and publishes empty SMTP values; on any run, and in check mode."""
    emulator.reset()
    extra = {"stack_domain": ""}
    with recording() as rec:
        first = converge(aws_env, extra)
    assert first.rc == 0, first.stdout[-4000:]
    assert first.changed == 0, first.changed_tasks()
    assert "Mail is off: mail_domain (by default stack_domain) and mail_sender_address are both empty" in flat(
        first.stdout)
    outputs = first.outputs["mail_outputs"]
    assert {k: v for k, v in outputs.items() if k not in ("smtp_port", "sandbox")} == {
        "smtp_domain": "", "domain": "", "smtp_address": "", "identity": "", "username_parameter": "",
        "password_parameter": "", "smtp_user_name": "sample-smtp"}
    assert outputs["sandbox"] is True
    assert rec.writes() == {}
    assert aws("ses").list_identities()["Identities"] == []
    assert aws("iam").list_users()["Users"] == []
    assert aws("ssm").describe_parameters()["Parameters"] == []
    again = converge(aws_env, extra)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    assert again.outputs["mail_outputs"] == outputs
    check = converge(aws_env, extra, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()
