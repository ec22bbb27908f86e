"""The ses_smtp_credentials module against moto server over HTTP: the four-run pattern, the only
policy the user holds, the SecureString parameters, rotation (new key first, old key gone), -vvv
output without secrets, and absent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"
USER = "sample-module-smtp"
PATH = "/sample/test/smtp"
REGION = "ap-northeast-2"


def four_runs(aws_env, extra_vars=None, args=()):
    results = [run_playbook("ses_smtp_credentials.yml", aws_env, extra_vars=extra_vars, inventory=INVENTORY,
                            check=check, args=args) for check in (True, False, True, False)]
    for result in results:
        assert result.rc == 0, result.stdout[-3000:]
    assert [r.changed for r in results] == [1, 1, 0, 0], [r.changed_tasks() for r in results]
    return results


def stored(aws, name):
    return aws("ssm").get_parameter(Name=f"{PATH}/{name}", WithDecryption=True)["Parameter"]


def access_keys(aws):
    """The SMTP user's access keys from every page (the emulator pages ListAccessKeys as IAM may)."""
    pages = aws("iam").get_paginator("list_access_keys").paginate(UserName=USER)
    return pages.build_full_result()["AccessKeyMetadata"]


def smtp_password(secret, region):
    """The SES Developer Guide's derivation, written here again (not imported from the module)."""
    key = ("AWS4" + secret).encode()
    for message in ("11111111", region, "ses", "aws4_request", "SendRawEmail"):
        key = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.b64encode(b"\x04" + key).decode()


def no_secret_in(text, password):
    """Neither the password nor any 40-character string that derives to it (the secret key) is in text."""
    assert password not in text
    candidates = set(re.findall(r"(?=([A-Za-z0-9/+]{40}))", text))
    assert candidates, "the scan must look at something"
    for candidate in candidates:
        assert smtp_password(candidate, REGION) != password, "the secret access key is in the output"


@pytest.fixture(scope="module")
def created(emulator, aws_env):
    emulator.reset()
    return four_runs(aws_env, args=("-vvv",))


def test_credentials_are_stored_as_secure_strings(created, aws):
    result = created[1].outputs["result"]
    username, password = stored(aws, "username"), stored(aws, "password")
    assert username["Type"] == password["Type"] == "SecureString"
    assert username["Value"] == result["smtp_username"]
    keys = access_keys(aws)
    assert [k["AccessKeyId"] for k in keys] == [username["Value"]]
    assert password["Value"].startswith("B")  # base64 of the version byte 0x04
    assert len(password["Value"]) == 44
    assert result["smtp_endpoint"] == f"email-smtp.{REGION}.amazonaws.com"
    assert created[3].outputs["result"]["smtp_username"] == username["Value"]


def test_credentials_on_later_pages_are_kept_not_rotated(created, aws_env, aws, recording, busy_parameter_store):
    # In a busy account the emulator pages as AWS may (local/emulator/layer.py): a filtered DescribeParameters
    # and ListAccessKeys answer an empty first page that says there is more.
    name_filter = [{"Key": "Name", "Option": "Equals", "Values": [f"{PATH}/password"]}]
    first = aws("ssm").describe_parameters(ParameterFilters=name_filter)
    assert (first["Parameters"], bool(first.get("NextToken"))) == ([], True)
    first_keys = aws("iam").list_access_keys(UserName=USER)
    assert (first_keys["AccessKeyMetadata"], first_keys["IsTruncated"]) == ([], True)
    before = stored(aws, "username")["Value"]
    with recording() as rec:
        again = run_playbook("ses_smtp_credentials.yml", aws_env, inventory=INVENTORY)
    assert again.rc == 0, again.stdout[-3000:]
    assert again.changed == 0, again.changed_tasks()
    assert again.outputs["result"]["rotated"] is False
    calls = rec.summary()["by_call"]
    assert calls.get("ssm:DescribeParameters", 0) >= 2, calls
    assert calls.get("iam:ListAccessKeys", 0) >= 2, calls
    assert not {"iam:CreateAccessKey", "iam:DeleteAccessKey", "ssm:PutParameter"} & set(calls), calls
    # The identities' ARNs take the account and partition from the user's ARN (GetUser): STS is not asked.
    assert "sts:GetCallerIdentity" not in calls, calls
    assert stored(aws, "username")["Value"] == before
    assert [k["AccessKeyId"] for k in access_keys(aws)] == [before]


def test_the_user_may_only_send_raw_email_from_the_identity(created, aws):
    iam = aws("iam")
    assert iam.list_user_policies(UserName=USER)["PolicyNames"] == ["ses-send-raw-email"]
    assert iam.list_attached_user_policies(UserName=USER)["AttachedPolicies"] == []
    statements = iam.get_user_policy(UserName=USER, PolicyName="ses-send-raw-email")["PolicyDocument"]["Statement"]
    assert len(statements) == 1
    assert statements[0]["Effect"] == "Allow"
    assert statements[0]["Action"] == "ses:SendRawEmail"
    (resource,) = statements[0]["Resource"]
    assert re.fullmatch(rf"arn:aws:ses:{REGION}:\d{{12}}:identity/sample-module\.example", resource)


def test_verbose_output_holds_no_secret(created, aws):
    password = stored(aws, "password")["Value"]
    for result in created:
        no_secret_in(result.stdout, password)


def test_rotation_replaces_the_key(created, aws_env, aws):
    before = stored(aws, "username")["Value"]
    rotated = run_playbook("ses_smtp_credentials.yml", aws_env, inventory=INVENTORY, extra_vars={"test_rotate": True},
                           args=("-vvv",))
    assert rotated.rc == 0, rotated.stdout[-3000:]
    assert rotated.changed == 1
    after = stored(aws, "username")["Value"]
    assert after != before
    assert rotated.outputs["result"]["rotated"] is True
    keys = access_keys(aws)
    assert [k["AccessKeyId"] for k in keys] == [after]
    no_secret_in(rotated.stdout, stored(aws, "password")["Value"])
    again = run_playbook("ses_smtp_credentials.yml", aws_env, inventory=INVENTORY)
    assert again.changed == 0


def test_absent_removes_user_and_parameters(created, aws_env, aws):
    four_runs(aws_env, {"test_state": "absent"})
    assert [u for u in aws("iam").list_users()["Users"] if u["UserName"] == USER] == []
    assert aws("ssm").describe_parameters()["Parameters"] == []


def test_the_scan_would_find_a_leaked_secret_key():
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # noqa: S105 - AWS's documented example key
    password = smtp_password(secret, REGION)
    with pytest.raises(AssertionError, match="secret access key"):
        no_secret_in(f"ok: [localhost] => {{'key': '{secret}'}}", password)
    with pytest.raises(AssertionError):
        no_secret_in(f"password={password}", password)
