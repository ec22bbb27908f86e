"""rails_app's SECRET_KEY_BASE in SSM: generated once (128 hex digits, what `rails secret` prints),
kept as a SecureString under /<stack_name>/, never shown, never regenerated on a re-run."""

from __future__ import annotations

import re

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"


@pytest.fixture(scope="module")
def first(emulator, aws_env):
    emulator.reset()
    result = run_playbook("rails_app_secret.yml", aws_env, inventory=INVENTORY, args=("-vvv",))
    assert result.rc == 0, result.stdout[-3000:]
    return result


def _parameter(aws, name):
    return aws("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]


def _name(aws):
    names = [p["Name"] for p in aws("ssm").describe_parameters()["Parameters"]]
    assert len(names) == 1, names
    assert names[0].endswith("/secret_key_base"), names
    return names[0]


def test_first_run_keeps_a_generated_secret_key_base(first, aws):
    assert first.changed == 1, first.changed_tasks()
    parameter = _parameter(aws, _name(aws))
    assert parameter["Type"] == "SecureString"
    assert re.fullmatch(r"[0-9a-f]{128}", parameter["Value"])
    assert first.outputs["test_secret_key_base"] == parameter["Value"]


def test_the_secret_never_shows_in_verbose_output(first):
    assert first.outputs["test_secret_key_base"] not in first.stdout


def test_second_run_reads_the_same_secret_back(first, aws_env, aws):
    again = run_playbook("rails_app_secret.yml", aws_env, inventory=INVENTORY)
    assert again.rc == 0, again.stdout[-3000:]
    assert again.changed == 0, again.changed_tasks()
    assert again.outputs["test_secret_key_base"] == first.outputs["test_secret_key_base"]


def test_check_mode_on_the_kept_secret_changes_nothing(first, aws_env):
    check = run_playbook("rails_app_secret.yml", aws_env, inventory=INVENTORY, check=True)
    assert check.rc == 0, check.stdout[-3000:]
    assert check.changed == 0, check.changed_tasks()
