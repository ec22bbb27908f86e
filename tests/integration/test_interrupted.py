"""The cloud play killed part way, three times, then run to the end: it completes,
leaves no second resource of any kind, and a further run changes nothing.

Each kill is SIGKILL to the play's whole process group, as a lost SSH session or a CI job's timeout
does, some seconds after a task started (KILLS): 10 s and 30 s after the first role's first task (the checks
before it only read, and take from 20 s to a minute depending on the machine's load), then 3 s into the
cache role, which a third run, on a stack the first two made most of, reaches sooner or later on any machine
(60 s after the first role missed it once the play got faster: it ended 50 s into the roles). Which task each
kill interrupted depends on the machine; it is printed. Two windows too narrow for a timer, between two
calls of one task, are staged by hand first (interrupted.stop_inside_two_calls). COUNTS is what one
uninterrupted converge of the same variables leaves (`python -m tests.integration.interrupted` prints it)."""

from __future__ import annotations

import pytest

from tests.integration.interrupted import FIRST_ROLE_TASK, cloud, count_resources, stop_inside_two_calls

# (seconds, after the first task, once the roles started, whose header starts with this)
KILLS = ((10, FIRST_ROLE_TASK), (30, FIRST_ROLE_TASK), (3, "TASK [aws_intro.stack.cache :"))

# python -m tests.integration.interrupted, 2026-11-30 (one converge of VARS: drift.SMALL and a NAT gateway)
COUNTS = {
    "ec2 VPCs": 1,
    "ec2 subnets": 4,
    "ec2 route tables": 3,
    "ec2 internet gateways (attached or not)": 1,
    "ec2 NAT gateways (pending, available)": 1,
    "ec2 Elastic IPs": 1,
    "ec2 security groups": 6,
    "ec2 VPC endpoints (pending, available)": 1,
    "ec2 key pairs": 1,
    "ec2 instances (not terminated)": 2,
    "elbv2 load balancers": 1,
    "elbv2 target groups": 1,
    "elbv2 listeners": 2,
    "rds DB instances": 1,
    "rds parameter groups": 1,
    "rds option groups": 1,
    "rds subnet groups": 1,
    "elasticache replication groups": 1,
    "elasticache clusters": 2,
    "elasticache subnet groups": 1,
    "iam roles": 1,
    "iam instance profiles": 1,
    "iam customer managed policies": 0,
    "iam users": 1,
    "iam access keys": 1,
    "s3 buckets": 1,
    "kms keys (customer managed)": 1,
    "kms aliases (customer)": 0,
    "acm certificates": 1,
    "route53 hosted zones": 2,
    "route53 record sets": 16,
    "sns topics": 1,
    "sns subscriptions": 0,
    "cloudwatch alarms": 19,
    "cloudwatch dashboards": 1,
    "ssm parameters": 5,  # the database's two passwords, the SMTP user's two, the cache AUTH token
    "ses identities": 1,
    "logs log groups": 0,
    "secretsmanager secrets": 0,
}


@pytest.fixture(scope="module")
def staged(emulator, aws):
    emulator.reset()
    return stop_inside_two_calls(aws)


@pytest.fixture(scope="module")
def killed(staged, emulator):
    return [cloud(emulator, kill_after=seconds, after=after) for seconds, after in KILLS]


@pytest.fixture(scope="module")
def completed(killed, emulator):
    return cloud(emulator)


def test_each_kill_stopped_the_play_part_way(killed, capsys):
    report = [f"killed {run.killed_at:.0f} s in ({seconds} s after {after}) during: {run.interrupted_task()}"
              f" (processes the kill left, then killed: {len(run.survivors)})"
              if run.killed_at else f"not killed: the play ended (rc={run.rc}) before {seconds} s after {after}"
              for (seconds, after), run in zip(KILLS, killed, strict=True)]
    with capsys.disabled():
        print("\n" + "\n".join(report))
    for (seconds, after), run in zip(KILLS, killed, strict=True):
        assert run.roles_started is not None, run.stdout[-3000:]
        assert run.killed_at is not None, f"the play ended before {seconds} s after {after}:\n{run.stdout[-3000:]}"
        assert run.rc == -9
        assert run.result().recap == {}, "a killed play prints no recap"
        # Only Mitogen's multiplexer outlives a kill of the play's process group (it leaves the group), idle.
        assert all("ansible-playbook" in command for command in run.survivors.values()), run.survivors


def test_the_run_after_them_completes(completed):
    assert completed.rc == 0, completed.stdout[-4000:]
    assert completed.result().failed == 0


def test_no_resource_of_any_kind_is_made_twice(completed, staged, aws):
    assert count_resources(aws) == COUNTS
    ec2 = aws("ec2")
    igw = ec2.describe_internet_gateways(InternetGatewayIds=[staged["igw"]])["InternetGateways"][0]
    assert [a["VpcId"] for a in igw["Attachments"]] == [staged["vpc"]]
    nat = [n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] in ("pending", "available")]
    assert [a["AllocationId"] for n in nat for a in n["NatGatewayAddresses"]] == [staged["eip"]]


def test_a_further_run_changes_nothing(completed, emulator):
    again = cloud(emulator)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.result().changed == 0, again.result().changed_tasks()
