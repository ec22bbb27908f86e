"""`playbooks/cloud.yml --check --diff` on an empty account, the first thing a careful user runs: it
runs through every cloud role (the network's ids are "(known after apply)" for the roles after it),
predicts a change in each, and makes no mutating AWS call. Each role's settings are checked once, in the
play's pre_tasks: the roles are told so (<role>_settings_checked) and do not check them again."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.integration.ansible_runner import run_playbook
from tests.integration.bad_inputs import INVENTORY

# One predicted creation per role at least (task name prefixes).
PREDICTED = [
    "aws_intro.stack.network : Create the VPC",
    "aws_intro.stack.network : Predict each resource the network role would create",
    "aws_intro.stack.storage : IAM role of the web instances",
    "aws_intro.stack.database : DB subnet group over the private subnets",
    "aws_intro.stack.database : RDS MySQL instance",
    "aws_intro.stack.cache : Cache subnet group over the private subnets",
    "aws_intro.stack.cache : Redis replication group",
    "aws_intro.stack.dns : Public hosted zone of stack_domain",
    "aws_intro.stack.mail : Domain identity with Easy DKIM",
    "aws_intro.stack.monitoring : Predict the SNS topic and its email subscriptions",
    "aws_intro.stack.monitoring : Dashboard of the stack",
]

ROLES = Path(__file__).resolve().parents[2] / "roles"
CLOUD_ROLES = ("storage", "network", "database", "cache", "dns", "mail", "monitoring")
# The read-only AWS checks of the settings (tasks/offerings.yml): asked once too.
OFFERINGS = ["aws_intro.stack.network : Ask EC2 whether it offers the instance types here (read only)",
             "aws_intro.stack.database : Ask RDS whether it offers database_instance_class for the engine version here"]


def settings_checks() -> list[str]:
    """The task names of every cloud role's tasks/validate.yml, as the default callback prints them."""
    names = []
    for role in CLOUD_ROLES:
        tasks = yaml.safe_load((ROLES / role / "tasks" / "validate.yml").read_text(encoding="utf-8"))
        names += [f"aws_intro.stack.{role} : {task['name']}" for task in tasks if "{{" not in task["name"]]
    return names


def test_check_mode_on_an_empty_account_runs_through_and_predicts_each_role(emulator, aws_env, recording):
    emulator.reset()
    with recording() as rec:
        plan = run_playbook("playbooks/cloud.yml", aws_env, inventory=INVENTORY, check=True)
    assert plan.rc == 0, plan.stdout[-4000:]
    changed = plan.changed_tasks()
    assert [p for p in PREDICTED if not any(task.startswith(p) for task in changed)] == [], changed
    assert rec.writes() == {}, rec.summary()
    headers = re.findall(r"^TASK \[(.+?)\] \*", plan.stdout, re.MULTILINE)
    checks = settings_checks()
    assert len(checks) >= len(CLOUD_ROLES), checks
    counts = {name: headers.count(name) for name in checks}
    counts |= {name: sum(1 for header in headers if header.startswith(name)) for name in OFFERINGS}
    # Each once: in the pre_tasks, not again in its role.
    assert {name: n for name, n in counts.items() if n != 1} == {}, counts
