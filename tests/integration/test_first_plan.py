"""`playbooks/cloud.yml --check --diff` on an empty account, the first thing a careful user runs: it
runs through every cloud role (the network's ids are "(known after apply)" for the roles after it),
predicts a change in each, and makes no mutating AWS call."""

from __future__ import annotations

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


def test_check_mode_on_an_empty_account_runs_through_and_predicts_each_role(emulator, aws_env, recording):
    emulator.reset()
    with recording() as rec:
        plan = run_playbook("playbooks/cloud.yml", aws_env, inventory=INVENTORY, check=True)
    assert plan.rc == 0, plan.stdout[-4000:]
    changed = plan.changed_tasks()
    assert [p for p in PREDICTED if not any(task.startswith(p) for task in changed)] == [], changed
    assert rec.writes() == {}, rec.summary()
