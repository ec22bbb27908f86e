"""Out-of-band changes to a converged stack, and what the cloud play does with them: `--check --diff` must
report every one without a mutating call, a normal run must put every one back, and a further run must
report changed=0.

    python -m tests.integration.drift        # converges the cloud play on a fresh emulator, prints the table

The four changes are those a console user makes by mistake: MySQL opened to the world on the database's
security group, one S3 public access block setting off, an alarm deleted, an RDS parameter changed.
The suite tests each change on its own, in the test file that already converges the owning role:
test_network (the security group rule), test_storage (the public access block), test_monitoring (the
alarm), test_database (a parameter). test_interrupted.py uses this module's small stack (SMALL).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import boto3

from local.emulator.recorder import Recording
from local.emulator.server import DEFAULT_REGION, MotoServer
from tests.integration.ansible_runner import run_playbook
from tests.integration.bad_inputs import INVENTORY

STACK = "sample"
DB_GROUP = f"{STACK}-db"
PARAMETER_GROUP = f"{STACK}-db-mysql84"
SMALL = {"network_web_instance_count": 1, "network_nat_gateway_enabled": False}


@dataclass
class Drift:
    name: str
    make: Callable  # (aws) -> None: the change by hand
    reported_by: str  # a task name prefix that reports it in check mode
    repaired: Callable  # (aws) -> bool


def db_security_group(aws) -> dict:
    found = aws("ec2").describe_security_groups(Filters=[{"Name": "group-name", "Values": [DB_GROUP]}])
    return found["SecurityGroups"][0]


def open_mysql(aws) -> None:
    aws("ec2").authorize_security_group_ingress(
        GroupId=db_security_group(aws)["GroupId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])


def mysql_closed(aws) -> bool:
    return not [r for p in db_security_group(aws)["IpPermissions"] for r in p.get("IpRanges", [])
                if r["CidrIp"] == "0.0.0.0/0"]


def bucket(aws) -> str:
    return next(b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith(STACK))


def block_off(aws) -> None:
    s3 = aws("s3")
    config = s3.get_public_access_block(Bucket=bucket(aws))["PublicAccessBlockConfiguration"]
    s3.put_public_access_block(Bucket=bucket(aws),
                               PublicAccessBlockConfiguration={**config, "BlockPublicPolicy": False})


def block_on(aws) -> bool:
    config = aws("s3").get_public_access_block(Bucket=bucket(aws))["PublicAccessBlockConfiguration"]
    return all(config.values())


def alarms(aws) -> list[str]:
    return sorted(a["AlarmName"] for a in aws("cloudwatch").describe_alarms(AlarmNamePrefix=STACK)["MetricAlarms"])


class AlarmDrift:
    """Deletes the first of the stack's alarms and remembers it."""

    deleted = ""

    @classmethod
    def make(cls, aws) -> None:
        cls.deleted = alarms(aws)[0]
        aws("cloudwatch").delete_alarms(AlarmNames=[cls.deleted])

    @classmethod
    def repaired(cls, aws) -> bool:
        return cls.deleted in alarms(aws)


def parameter(aws) -> str | None:
    found = aws("rds").describe_db_parameters(DBParameterGroupName=PARAMETER_GROUP, Source="user")["Parameters"]
    return {p["ParameterName"]: p.get("ParameterValue") for p in found}.get("time_zone")


def time_zone_utc(aws) -> None:
    aws("rds").modify_db_parameter_group(DBParameterGroupName=PARAMETER_GROUP, Parameters=[
        {"ParameterName": "time_zone", "ParameterValue": "UTC", "ApplyMethod": "immediate"}])


DRIFTS = [
    Drift("MySQL 3306 open to 0.0.0.0/0 (db SG)", open_mysql,
          "aws_intro.stack.network : Create the security groups, or change the ones that differ", mysql_closed),
    Drift("S3 BlockPublicPolicy off", block_off, "aws_intro.stack.storage : Predict the bucket (check mode)", block_on),
    Drift("an alarm deleted", AlarmDrift.make,
          "aws_intro.stack.monitoring : Create or update the alarms", AlarmDrift.repaired),
    Drift("RDS time_zone set to UTC", time_zone_utc,
          "aws_intro.stack.database : Predict the parameter values a run would set", lambda aws: parameter(aws) ==
          "Asia/Seoul"),
]


def clients(moto: MotoServer) -> Callable:
    def client(service: str):
        return boto3.client(service, endpoint_url=moto.url, region_name=DEFAULT_REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106
    return client


def cloud(moto: MotoServer, check: bool = False):
    with Recording(moto.url) as rec:
        result = run_playbook("playbooks/cloud.yml", moto.environ(DEFAULT_REGION), extra_vars=SMALL,
                              inventory=INVENTORY, check=check)
    return result, list(rec.writes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.integration.drift", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    with MotoServer() as moto:
        aws = clients(moto)
        start = time.monotonic()
        first, _ = cloud(moto)
        if first.rc != 0:
            print(first.stdout[-4000:])
            return 2
        print(f"converged in {time.monotonic() - start:.0f} s (changed={first.changed})")
        for drift in DRIFTS:
            drift.make(aws)
        start = time.monotonic()
        check, check_writes = cloud(moto, check=True)
        print(f"--check --diff in {time.monotonic() - start:.0f} s: rc={check.rc}, changed={check.changed}, "
              f"mutating calls {check_writes or 'none'}")
        changed = check.changed_tasks()
        start = time.monotonic()
        repair, _ = cloud(moto)
        print(f"repair run in {time.monotonic() - start:.0f} s: rc={repair.rc}, changed={repair.changed}")
        again, _ = cloud(moto)
        print(f"further run: rc={again.rc}, changed={again.changed} {again.changed_tasks() or ''}\n")
        print(f"{'out-of-band change':40} {'--check reports it':19} {'the run repairs it'}")
        good = 0
        for drift in DRIFTS:
            reported = any(task.startswith(drift.reported_by) for task in changed)
            repaired = drift.repaired(aws)
            good += reported and repaired
            print(f"{drift.name:40} {'yes' if reported else 'NO':19} {'yes' if repaired else 'NO'}")
        extra = [t for t in changed if not any(t.startswith(d.reported_by) for d in DRIFTS)]
        print(f"\n{good} of {len(DRIFTS)} changes reported by check mode and repaired; "
              f"other changes check mode reported: {extra or 'none'}")
        ok = (good == len(DRIFTS) and not check_writes and check.rc == 0 and again.changed == 0 and not extra)
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
