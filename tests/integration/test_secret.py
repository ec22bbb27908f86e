"""The secret role: generated once, kept in SSM as a SecureString, never shown, never replaced."""

from __future__ import annotations

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"
NAME = "/sample/test/password"


@pytest.fixture(scope="module")
def first(emulator, aws_env):
    emulator.reset()
    result = run_playbook("secret.yml", aws_env, inventory=INVENTORY, args=("-vvv",))
    assert result.rc == 0, result.stdout[-3000:]
    return result


def test_first_run_stores_a_generated_secure_string(first, aws):
    assert first.changed == 1
    parameter = aws("ssm").get_parameter(Name=NAME, WithDecryption=True)["Parameter"]
    assert parameter["Type"] == "SecureString"
    assert parameter["Value"] == first.outputs["test_password"]
    assert len(parameter["Value"]) == 32
    assert parameter["Value"].isalnum()


def test_the_secret_never_shows_in_verbose_output(first):
    assert first.outputs["test_password"] not in first.stdout


def test_second_run_keeps_the_same_secret_reading_it_once(first, aws_env, recording):
    with recording() as rec:
        again = run_playbook("secret.yml", aws_env, inventory=INVENTORY)
    assert again.rc == 0, again.stdout[-3000:]
    assert again.changed == 0, again.changed_tasks()
    assert again.outputs["test_password"] == first.outputs["test_password"]
    # The parameter is found by the one read; ssm_parameter, which would change nothing on it, does not run.
    assert rec.summary()["by_call"] == {"ssm:GetParameter": 1}, rec.summary()["by_call"]


def test_a_kept_secret_of_another_description_is_left_as_it_is(first, aws_env, aws):
    """overwrite_value: never. The module changes nothing on a parameter that exists, not even its description."""
    aws("ssm").put_parameter(Name=NAME, Value=first.outputs["test_password"], Type="SecureString",
                             Description="set by hand", Overwrite=True)
    again = run_playbook("secret.yml", aws_env, inventory=INVENTORY)
    assert again.rc == 0, again.stdout[-3000:]
    assert again.changed == 0, again.changed_tasks()
    parameter = aws("ssm").describe_parameters(
        ParameterFilters=[{"Key": "Name", "Values": [NAME]}])["Parameters"][0]
    assert parameter["Description"] == "set by hand"


def test_check_mode_on_a_fresh_account_creates_nothing(emulator, aws_env, aws, first):
    emulator.reset()
    check = run_playbook("secret.yml", aws_env, inventory=INVENTORY, check=True)
    assert check.rc == 0, check.stdout[-3000:]
    assert check.changed == 1
    assert aws("ssm").describe_parameters()["Parameters"] == []
