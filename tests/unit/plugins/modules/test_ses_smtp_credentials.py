"""Unit tests of the ses_smtp_credentials module and the SMTP password derivation.

The expected SMTP passwords below were NOT computed with the code under test. They come from
openssl alone, following the algorithm of the SES Developer Guide ("Obtaining Amazon SES SMTP
credentials": HMAC-SHA256 keyed by "AWS4" + secret over "11111111", then chained over the region,
"ses", "aws4_request" and "SendRawEmail"; version byte 0x04 prepended; base64):

    secret=...; region=...
    hmac_hex() { printf '%s' "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$1" -binary \
                 | od -An -v -tx1 | tr -d ' \\n'; }
    k=$(printf '%s' "AWS4$secret" | od -An -v -tx1 | tr -d ' \\n')
    for m in 11111111 "$region" ses aws4_request SendRawEmail; do k=$(hmac_hex "$k" "$m"); done
    printf '04%s' "$k" | xxd -r -p | base64

(OpenSSL 3.0.19 on Debian 12, 2026-11-25.) The secret is AWS's documented example secret key.
"""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
import yaml
from ansible_collections.aws_intro.stack.plugins.module_utils import ses
from ansible_collections.aws_intro.stack.plugins.modules import ses_smtp_credentials as module
from moto import mock_aws

EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # noqa: S105 - AWS's documented example key
REPO = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize(
    ("secret", "region", "expected"),
    [
        pytest.param(EXAMPLE_SECRET, "us-east-1", "BLBM/9hSUELfq8Gw+rU1YcBjkOxGbhT2XG763xVLGWL9", id="us-east-1"),
        pytest.param(EXAMPLE_SECRET, "ap-northeast-2", "BFrwSu3BsGr8nvY2bDCyObUpnNCGFtmAY0j+5nSYn0ZQ", id="seoul"),
        pytest.param(EXAMPLE_SECRET, "eu-west-1", "BMW5RDrXmmVs0lV7GpI4oLkHXpZ4stDsk6q91z1g38Pk", id="ireland"),
    ],
)
def test_smtp_password_matches_an_openssl_derivation(secret, region, expected):
    assert ses.smtp_password(secret, region) == expected


def test_smtp_password_depends_on_the_region_and_the_secret():
    passwords = {ses.smtp_password(s, r) for s in (EXAMPLE_SECRET, EXAMPLE_SECRET[:-1] + "X")
                 for r in ("us-east-1", "eu-west-1")}
    assert len(passwords) == 4


@pytest.mark.parametrize("region", ["us-west-1x", "mars-north-1", ""])
def test_smtp_password_refuses_a_region_without_an_smtp_endpoint(region):
    with pytest.raises(ValueError, match="has no Amazon SES SMTP endpoint"):
        ses.smtp_password(EXAMPLE_SECRET, region)


def test_the_role_knows_the_same_smtp_regions_as_the_module():
    role_vars = yaml.safe_load((REPO / "roles/mail/vars/main.yml").read_text())
    assert tuple(role_vars["__mail_smtp_regions"]) == ses.SMTP_REGIONS


def _params(**overrides):
    params = {
        "state": "present", "user_name": "sample-smtp", "path": "/", "identities": ["sample.example"],
        "policy_name": "ses-send-raw-email", "smtp_region": "ap-northeast-2", "parameter_path": "/sample/mail/smtp",
        "kms_key_id": None, "rotate": False, "tags": {"Stack": "sample"}, "purge_tags": True,
    }
    params.update(overrides)
    return params


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        pytest.param({"smtp_region": "xx-nowhere-1"}, "smtp_region", id="unknown-region"),
        pytest.param({"identities": []}, "identities", id="no-identity"),
        pytest.param({"parameter_path": "sample/mail"}, "parameter_path", id="relative-path"),
        pytest.param({"parameter_path": "/aws/mail"}, "parameter_path", id="reserved-path"),
        pytest.param({"user_name": "bad name!"}, "user", id="bad-user-name"),
        pytest.param({}, None, id="valid"),
        pytest.param({"state": "absent", "identities": None, "smtp_region": "xx"}, None, id="absent-needs-less"),
    ],
)
def test_validate_names_the_bad_option(overrides, named):
    problem = module.validate(_params(**overrides))
    if named is None:
        assert problem is None
    else:
        assert named in problem


@pytest.fixture
def clients():
    with mock_aws():
        yield (boto3.client("iam", region_name="us-east-1"), boto3.client("ssm", region_name="ap-northeast-2"))


@pytest.fixture
def created(monkeypatch):
    """Record the secrets create_access_key hands out (the module never returns them)."""
    secrets = {}
    original = module.create_access_key

    def recording(iam, name):
        key_id, secret = original(iam, name)
        secrets[key_id] = secret
        return key_id, secret

    monkeypatch.setattr(module, "create_access_key", recording)
    return secrets


ARNS = ["arn:aws:ses:ap-northeast-2:000000000000:identity/sample.example"]


def _converge(iam, ssm, params, check_mode=False, hidden=None):
    original = module.read_state(iam, ssm, params)
    hide = (hidden if hidden is not None else set()).add
    return module.ensure_present(iam, ssm, original, params, ARNS, check_mode, hide)


def _stored(ssm, name):
    return ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]


def test_first_run_creates_user_policy_key_and_stores_the_derived_password(clients, created):
    iam, ssm = clients
    hidden = set()
    changed, _state, rotated = _converge(iam, ssm, _params(), hidden=hidden)
    assert changed
    assert rotated
    (key_id, secret), = created.items()
    username = _stored(ssm, "/sample/mail/smtp/username")
    password = _stored(ssm, "/sample/mail/smtp/password")
    assert (username["Type"], username["Value"]) == ("SecureString", key_id)
    assert (password["Type"], password["Value"]) == ("SecureString", ses.smtp_password(secret, "ap-northeast-2"))
    assert hidden == {secret, password["Value"]}
    policy = iam.get_user_policy(UserName="sample-smtp", PolicyName="ses-send-raw-email")["PolicyDocument"]
    assert policy["Statement"] == [{"Sid": "SendRawEmailOnly", "Effect": "Allow", "Action": "ses:SendRawEmail",
                                    "Resource": ARNS}]


def test_second_run_keeps_the_stored_credential(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    changed, state, rotated = _converge(iam, ssm, _params())
    assert (changed, rotated) == (False, False)
    assert len(created) == 1
    assert state["key_ids"] == list(created)


def test_rotation_makes_the_new_key_first_and_deletes_the_old_one_after(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    old_key = next(iter(created))
    calls = []
    real_delete = module.delete_access_key
    real_put = module.put_secure_parameter
    module.delete_access_key = lambda *a: calls.append(("delete", a[2])) or real_delete(*a)
    module.put_secure_parameter = lambda *a: calls.append(("store", a[1])) or real_put(*a)
    try:
        changed, _state, rotated = _converge(iam, ssm, _params(rotate=True))
    finally:
        module.delete_access_key, module.put_secure_parameter = real_delete, real_put
    new_key = next(k for k in created if k != old_key)
    assert changed
    assert rotated
    assert calls == [("store", "/sample/mail/smtp/password"), ("store", "/sample/mail/smtp/username"),
                     ("delete", old_key)]
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName="sample-smtp")["AccessKeyMetadata"]] == [new_key]
    assert _stored(ssm, "/sample/mail/smtp/username")["Value"] == new_key


def test_a_password_for_another_region_is_replaced(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    changed, _state, rotated = _converge(iam, ssm, _params(smtp_region="eu-west-1"))
    assert changed
    assert rotated
    new_key = list(created)[-1]
    assert _stored(ssm, "/sample/mail/smtp/password")["Value"] == ses.smtp_password(created[new_key], "eu-west-1")


def test_keys_nobody_stored_and_foreign_policies_are_removed(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    stray = iam.create_access_key(UserName="sample-smtp")["AccessKey"]["AccessKeyId"]
    iam.put_user_policy(UserName="sample-smtp", PolicyName="admin", PolicyDocument=(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'))
    arn = iam.create_policy(PolicyName="extra", PolicyDocument=(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'
    ))["Policy"]["Arn"]
    iam.attach_user_policy(UserName="sample-smtp", PolicyArn=arn)
    changed, _state, rotated = _converge(iam, ssm, _params())
    assert changed
    assert not rotated
    keys = [k["AccessKeyId"] for k in iam.list_access_keys(UserName="sample-smtp")["AccessKeyMetadata"]]
    assert stray not in keys
    assert keys == list(created)
    assert iam.list_user_policies(UserName="sample-smtp")["PolicyNames"] == ["ses-send-raw-email"]
    assert iam.list_attached_user_policies(UserName="sample-smtp")["AttachedPolicies"] == []


def test_check_mode_predicts_a_new_credential_and_changes_nothing(clients, created):
    iam, ssm = clients
    changed, state, rotated = _converge(iam, ssm, _params(), check_mode=True)
    assert changed
    assert rotated
    assert state["user"]["arn"] is None
    assert created == {}
    assert iam.list_users()["Users"] == []
    assert ssm.describe_parameters()["Parameters"] == []


def test_absent_removes_user_keys_and_parameters(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    params = _params(state="absent")
    assert module.ensure_absent(iam, ssm, module.read_state(iam, ssm, params), params, False) is True
    assert iam.list_users()["Users"] == []
    assert ssm.describe_parameters()["Parameters"] == []
    assert module.ensure_absent(iam, ssm, module.read_state(iam, ssm, params), params, False) is False


def test_the_result_holds_no_secret(clients, created):
    iam, ssm = clients
    _changed, _state, rotated = _converge(iam, ssm, _params())
    result = repr(module.to_result(module.read_state(iam, ssm, _params()), _params(), rotated))
    (key_id, secret), = created.items()
    assert key_id in result
    assert secret not in result
    assert ses.smtp_password(secret, "ap-northeast-2") not in result


def _count_calls(*clients_):
    """The API calls the clients make from now on, by operation name."""
    calls = []
    for client in clients_:
        client.meta.events.register("before-call", lambda model, **_: calls.append(model.name))
    return calls


def test_a_run_that_changes_nothing_returns_the_state_it_read_without_reading_again(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    original = module.read_state(iam, ssm, _params())
    changed, predicted, _rotated = module.ensure_present(iam, ssm, original, _params(), ARNS, False, set().add)
    calls = _count_calls(iam, ssm)
    final = module.final_state(iam, ssm, _params(), original, changed, predicted, False)
    assert (changed, calls) == (False, [])
    assert final == original
    assert module.to_result(final, _params(), False)["smtp_username"] == next(iter(created))


def test_a_run_that_changed_something_reads_the_state_again(clients, created):
    iam, ssm = clients
    original = module.read_state(iam, ssm, _params())
    changed, predicted, _rotated = module.ensure_present(iam, ssm, original, _params(), ARNS, False, set().add)
    calls = _count_calls(iam, ssm)
    final = module.final_state(iam, ssm, _params(), original, changed, predicted, False)
    assert changed
    assert "GetUser" in calls
    assert final == module.read_state(iam, ssm, _params())
    assert final["key_ids"] == list(created)


def test_check_mode_returns_the_prediction_without_reading(clients, created):
    iam, ssm = clients
    original = module.read_state(iam, ssm, _params())
    changed, predicted, _rotated = module.ensure_present(iam, ssm, original, _params(), ARNS, True, set().add)
    calls = _count_calls(iam, ssm)
    assert module.final_state(iam, ssm, _params(), original, changed, predicted, True) is predicted
    assert (changed, calls, created) == (True, [], {})


def _sts_not_called():
    raise AssertionError("STS must not be asked when the user's ARN names the account")


def test_the_account_comes_from_the_user_read_without_asking_sts(clients, created):
    iam, ssm = clients
    _converge(iam, ssm, _params())
    original = module.read_state(iam, ssm, _params())
    assert original["user"]["arn"].startswith("arn:aws:iam::123456789012:user/")
    assert module.account_of(original, _sts_not_called) == ("123456789012", "aws")


@pytest.mark.parametrize("arn", ["arn:aws-cn:iam::210987654321:user/ses/smtp",
                                 "arn:aws-us-gov:iam::210987654321:user/x"])
def test_the_partition_comes_from_the_user_arn(arn):
    assert module.account_of({"user": {"arn": arn}}, _sts_not_called) == ("210987654321", arn.split(":")[1])


@pytest.mark.parametrize("original", [None, {"user": None}, {"user": {"arn": None}}, {"user": {"arn": "not an arn"}}])
def test_without_a_user_arn_sts_is_asked(original):
    asked = []
    assert module.account_of(original, lambda: asked.append(1) or ("111122223333", "aws")) == ("111122223333", "aws")
    assert asked == [1]
