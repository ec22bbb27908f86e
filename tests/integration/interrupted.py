"""The cloud play killed part way, and what the emulator holds afterwards.

    python -m tests.integration.interrupted     # one uninterrupted converge on a fresh emulator: when each
                                                # task started, then the count of every resource type

test_interrupted.py kills the play (SIGKILL to its whole process group, as a lost SSH session or a
CI job's timeout does) at several points, runs it again, and compares the resources with the counts this
command prints after one uninterrupted converge of the same variables (VARS: drift.py's small stack, with
the NAT gateway and its Elastic IP).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from local.emulator.server import DEFAULT_REGION, MotoServer
from tests.integration.ansible_runner import _RECAP, REPO, PlayResult, ansible_env
from tests.integration.bad_inputs import INVENTORY
from tests.integration.drift import SMALL, clients

PLAYBOOK = REPO / "playbooks" / "cloud.yml"
VARS = {**SMALL, "network_nat_gateway_enabled": True}
# The first task of the first role: the checks before it (pre_tasks) only read, and on a loaded machine
# take from 20 s to a minute, so the kills are timed from here.
FIRST_ROLE_TASK = "TASK [aws_intro.stack.network : Look up the key pair"


@dataclass
class Run:
    """One ansible-playbook run: its output lines with the second each came at, from the start."""

    lines: list[tuple[float, str]] = field(default_factory=list)
    rc: int | None = None
    killed_at: float | None = None
    roles_started: float | None = None
    survivors: dict[int, str] = field(default_factory=dict)  # left by the kill (then killed by cloud())

    @property
    def stdout(self) -> str:
        return "\n".join(line for _, line in self.lines)

    def result(self) -> PlayResult:
        """As ansible_runner.run_playbook reads a run: rc, output, recap (none when killed)."""
        return PlayResult(rc=self.rc, stdout=self.stdout,
                          recap={m["host"]: m.groupdict() for m in _RECAP.finditer(self.stdout)})

    def tasks(self) -> list[tuple[float, str]]:
        """(second, name) of each task as it started."""
        return [(t, line[6:].split("]")[0]) for t, line in self.lines if line.startswith("TASK [")]

    def interrupted_task(self) -> str:
        """The task that was running when the run was killed (the last one that started)."""
        started = self.tasks()
        return started[-1][1] if started else "(before the first task)"


def _read(stream, run: Run, start: float, anchor: str, anchored: threading.Event) -> None:
    for line in stream:
        run.lines.append((time.monotonic() - start, line.rstrip("\n")))
        if run.roles_started is None and line.startswith(FIRST_ROLE_TASK):
            run.roles_started = run.lines[-1][0]
        if run.roles_started is not None and line.startswith(anchor) and not anchored.is_set():
            anchored.set()


def _marked_processes(marker: str) -> dict[int, str]:
    """{pid: command} of the live processes whose environment holds the run's marker, wherever they are:
    Mitogen's connection multiplexer leaves the run's session (setsid), so a SIGKILL to the run's process
    group does not reach it, and it stays, idle, once its parent is gone."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() not in (proc / "environ").read_bytes() or (proc / "stat").read_text().split()[2] == "Z":
                continue
            found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
        except OSError:
            continue
    return found


def cloud(moto: MotoServer, kill_after: float | None = None, timeout: float = 1200,
          after: str = FIRST_ROLE_TASK) -> Run:
    """Run playbooks/cloud.yml with VARS and the test inventory. With kill_after, SIGKILL its whole process
    group (ansible-playbook, its workers, Mitogen's and the modules' processes) that many seconds after the
    first task whose header starts with `after` once the roles started (default: the first role's first task),
    unless the play ended before."""
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", INVENTORY,
               "-e", json.dumps(VARS), str(PLAYBOOK)]
    marker = f"AWS_INTRO_INTERRUPTED_RUN={uuid.uuid4().hex}"
    env = ansible_env({**moto.environ(DEFAULT_REGION), marker.split("=")[0]: marker.split("=")[1]})
    start = time.monotonic()
    proc = subprocess.Popen(command, cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    run, anchored = Run(), threading.Event()
    reader = threading.Thread(target=_read, args=(proc.stdout, run, start, after, anchored), daemon=True)
    reader.start()
    if kill_after is None:
        proc.wait(timeout=timeout)
    else:
        while not anchored.wait(0.2) and proc.poll() is None:
            if time.monotonic() - start > timeout:
                break
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            run.killed_at = time.monotonic() - start
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            time.sleep(0.5)
            run.survivors = _marked_processes(marker)
            for pid in run.survivors:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    reader.join(timeout=30)
    run.rc = proc.returncode
    return run


def _tags(kind: str, name: str, stack: str) -> list:
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}, {"Key": "Stack", "Value": stack},
                                            {"Key": "ManagedBy", "Value": "aws_intro.stack"}]}]


def leave_gateway_and_address(ec2, stack: str) -> tuple[str, str]:
    """What a network run stopped inside two calls leaves, tagged as the role tags it: an internet gateway
    created but attached to no VPC, and the NAT gateway's Elastic IP allocated but used by no gateway.
    Returns (internet gateway id, allocation id)."""
    igw = ec2.create_internet_gateway(TagSpecifications=_tags("internet-gateway", f"{stack}-igw", stack))
    eip = ec2.allocate_address(Domain="vpc", TagSpecifications=_tags("elastic-ip", f"{stack}-nat", stack))
    return igw["InternetGateway"]["InternetGatewayId"], eip["AllocationId"]


def stop_inside_two_calls(aws: Callable) -> dict:
    """The state a kill leaves inside two windows of milliseconds that no timer hits: ec2_vpc_igw has created
    the stack's internet gateway (tagged) but not attached it to the VPC yet; the network role has allocated
    the NAT gateway's Elastic IP (tagged) but not created the gateway yet. Made by hand, as the role would
    have: the VPC, the gateway and the address."""
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=_tags("vpc", "sample-vpc", "sample"))["Vpc"]
    igw, eip = leave_gateway_and_address(ec2, "sample")
    return {"vpc": vpc["VpcId"], "igw": igw, "eip": eip}


# --- What the emulator holds ------------------------------------------------------------------

def _pages(client, method: str, key: str, **kwargs) -> list:
    return [item for page in client.get_paginator(method).paginate(**kwargs) for item in page[key]]


def count_resources(aws: Callable) -> dict[str, int]:
    """The number of resources of each type the stack makes, read from the emulator. The default VPC and
    its parts, AWS's own policies, groups and keys are left out."""
    ec2, elb, rds, cache = aws("ec2"), aws("elbv2"), aws("rds"), aws("elasticache")
    iam, r53, cw = aws("iam"), aws("route53"), aws("cloudwatch")
    vpcs = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v["IsDefault"]]
    in_vpcs = [{"Name": "vpc-id", "Values": vpcs or ["none"]}]
    live = {"pending", "running", "stopping", "stopped"}
    instances = [i for r in _pages(ec2, "describe_instances", "Reservations") for i in r["Instances"]
                 if i["State"]["Name"] in live]
    balancers = _pages(elb, "describe_load_balancers", "LoadBalancers")
    zones = _pages(r53, "list_hosted_zones", "HostedZones")
    topics = _pages(aws("sns"), "list_topics", "Topics")
    users = _pages(iam, "list_users", "Users")
    counts = {
        "ec2 VPCs": len(vpcs),
        "ec2 subnets": len(ec2.describe_subnets(Filters=in_vpcs)["Subnets"]),
        "ec2 route tables": len(ec2.describe_route_tables(Filters=in_vpcs)["RouteTables"]),
        "ec2 internet gateways (attached or not)": len([
            g for g in ec2.describe_internet_gateways()["InternetGateways"]
            if not g["Attachments"] or g["Attachments"][0]["VpcId"] in vpcs]),
        "ec2 NAT gateways (pending, available)": len([
            n for n in ec2.describe_nat_gateways()["NatGateways"] if n["State"] in ("pending", "available")]),
        "ec2 Elastic IPs": len(ec2.describe_addresses()["Addresses"]),
        "ec2 security groups": len(ec2.describe_security_groups(Filters=in_vpcs)["SecurityGroups"]),
        "ec2 VPC endpoints (pending, available)": len([
            e for e in ec2.describe_vpc_endpoints()["VpcEndpoints"] if e["State"].lower() in ("pending", "available")]),
        "ec2 key pairs": len(ec2.describe_key_pairs()["KeyPairs"]),
        "ec2 instances (not terminated)": len(instances),
        "elbv2 load balancers": len(balancers),
        "elbv2 target groups": len(_pages(elb, "describe_target_groups", "TargetGroups")),
        "elbv2 listeners": sum(len(elb.describe_listeners(LoadBalancerArn=b["LoadBalancerArn"])["Listeners"])
                               for b in balancers),
        "rds DB instances": len(_pages(rds, "describe_db_instances", "DBInstances")),
        "rds parameter groups": len([g for g in _pages(rds, "describe_db_parameter_groups", "DBParameterGroups")
                                     if not g["DBParameterGroupName"].startswith("default.")]),
        "rds option groups": len([g for g in _pages(rds, "describe_option_groups", "OptionGroupsList")
                                  if not g["OptionGroupName"].startswith("default:")]),
        "rds subnet groups": len([g for g in _pages(rds, "describe_db_subnet_groups", "DBSubnetGroups")
                                  if g["DBSubnetGroupName"] != "default"]),
        "elasticache replication groups": len(_pages(cache, "describe_replication_groups", "ReplicationGroups")),
        "elasticache clusters": len(_pages(cache, "describe_cache_clusters", "CacheClusters")),
        "elasticache subnet groups": len([g for g in _pages(cache, "describe_cache_subnet_groups", "CacheSubnetGroups")
                                          if g["CacheSubnetGroupName"] != "default"]),
        "iam roles": len([r for r in _pages(iam, "list_roles", "Roles")
                          if not r["Path"].startswith("/aws-service-role/")]),
        "iam instance profiles": len(_pages(iam, "list_instance_profiles", "InstanceProfiles")),
        "iam customer managed policies": len(_pages(iam, "list_policies", "Policies", Scope="Local")),
        "iam users": len(users),
        "iam access keys": sum(len(_pages(iam, "list_access_keys", "AccessKeyMetadata", UserName=u["UserName"]))
                               for u in users),
        "s3 buckets": len(aws("s3").list_buckets()["Buckets"]),
        "kms keys (customer managed)": len([
            k for k in _pages(aws("kms"), "list_keys", "Keys")
            if aws("kms").describe_key(KeyId=k["KeyId"])["KeyMetadata"].get("KeyManager") == "CUSTOMER"]),
        "kms aliases (customer)": len([a for a in _pages(aws("kms"), "list_aliases", "Aliases")
                                       if not a["AliasName"].startswith("alias/aws/")]),
        "acm certificates": len(_pages(aws("acm"), "list_certificates", "CertificateSummaryList")),
        "route53 hosted zones": len(zones),
        "route53 record sets": sum(len(_pages(r53, "list_resource_record_sets", "ResourceRecordSets",
                                              HostedZoneId=z["Id"])) for z in zones),
        "sns topics": len(topics),
        "sns subscriptions": len(_pages(aws("sns"), "list_subscriptions", "Subscriptions")),
        "cloudwatch alarms": len(_pages(cw, "describe_alarms", "MetricAlarms")),
        "cloudwatch dashboards": len(_pages(cw, "list_dashboards", "DashboardEntries")),
        "ssm parameters": len(_pages(aws("ssm"), "describe_parameters", "Parameters")),
        "ses identities": len(_pages(aws("ses"), "list_identities", "Identities")),
        "logs log groups": len(_pages(aws("logs"), "describe_log_groups", "logGroups")),
        "secretsmanager secrets": len(_pages(aws("secretsmanager"), "list_secrets", "SecretList")),
    }
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.integration.interrupted", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    with MotoServer() as moto:
        run = cloud(moto)
        for second, task in run.tasks():
            print(f"{second:6.1f}  {task}")
        if run.rc != 0:
            print(run.stdout[-4000:])
            return 2
        print(f"rc={run.rc} in {run.lines[-1][0]:.0f} s\n\nCOUNTS = {{")
        for kind, number in count_resources(clients(moto)).items():
            print(f"    {kind!r}: {number},")
        print("}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
