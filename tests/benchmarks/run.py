"""Benchmarks of the whole stack in the local emulator: a script, not a test. It prints numbers.

    python -m tests.benchmarks.run site                 # first converge and no-op re-run of site.yml
    python -m tests.benchmarks.run overlap --rds 60 --elasticache 60 --acm 45
    python -m tests.benchmarks.run hosts --counts 1 4   # the hosts play with 1 and 4 web containers
    python -m tests.benchmarks.run strategies           # the cloud play under linear and aws_intro_linear

site:    wall time of the cloud play and of the hosts play (site.yml is the two), per role
         (ansible.posix.profile_roles), the AWS API calls of each run counted with the emulator's
         recorder, and the resources the stack tags Stack=<name> (Resource Groups Tagging API).
overlap: the cloud play with the RDS instance, the replication group and the certificate kept
         `creating` / `PENDING_VALIDATION` for the given seconds (local/emulator/slow.py), against
         the slowest of them alone: the play should last about max(), not sum().
hosts:   the hosts play's wall time with N web instances (containers) each.
strategies: the cloud play's first converge and no-op re-run under Ansible's stock `linear` and under
         the checkout's `aws_intro_linear` (Mitogen for Ansible), each on a fresh emulator, and the
         ratios stock / Mitogen; the changed counts show both give the same result.

Needs Docker (make docker) for site and hosts. Each run starts its own emulator and removes the
stack's containers before and after. Results go to stdout and, with --json FILE, to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import boto3

from local.emulator.recorder import Recording
from local.emulator.server import MotoServer

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STACK = "sample"
REGION = "ap-northeast-2"
# profile_roles' recap: "network ---- 49.04s" (a role by its short name; modules run outside roles
# appear under their dotted names and are not roles).
_ROLE_LINE = re.compile(r"^([a-z][a-z0-9_]*)\s+-+\s+([\d.]+)s$")
_TASK_LINE = re.compile(r"^(.+ : .+?)\s+-+\s+([\d.]+)s$")


def remove_containers() -> None:
    ids = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=aws_intro.stack={STACK}"],
                         capture_output=True, text=True, check=False).stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True, check=False)


def playbook(moto: MotoServer, path: str, *args: str, strategy: str | None = None) -> dict:
    """Run one playbook against the emulator; wall time, per-role times, API calls, recap."""
    env = {**os.environ, **moto.environ(REGION), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_roles,ansible.posix.profile_tasks",
           "PATH": f"{BIN}:{os.environ['PATH']}"}
    if strategy:
        env.update(ANSIBLE_STRATEGY=strategy, ANSIBLE_STRATEGY_PLUGINS=str(ROOT / "strategy_plugins"))
    command = [str(BIN / "ansible-playbook"), "-i", "inventories/local", path, *args]
    with Recording(moto.url) as recording:
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall = time.monotonic() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-6000:] + done.stderr[-2000:])
        raise SystemExit(f"{path} failed (rc {done.returncode})")
    roles: dict[str, float] = {}
    tasks: list[tuple[str, float]] = []
    for line in done.stdout.splitlines():
        match = _ROLE_LINE.match(line.strip())
        if match and match.group(1) != "total":
            roles[match.group(1)] = float(match.group(2))
        elif match := _TASK_LINE.match(line.strip()):
            tasks.append((match.group(1), float(match.group(2))))
    recap = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", done.stdout, re.M)}
    summary = recording.summary()
    by_service: dict[str, int] = {}
    for call, count in summary["by_call"].items():
        service = call.split(":", 1)[0]
        by_service[service] = by_service.get(service, 0) + count
    return {"playbook": path, "wall_s": round(wall, 1), "roles_s": roles, "slowest_tasks_s": tasks[:8],
            "changed": recap, "api_calls": summary["total"], "api_calls_by_service": dict(sorted(by_service.items())),
            "api_calls_most": dict(list(summary["by_call"].items())[:15])}


def tagged_resources(moto: MotoServer) -> dict[str, int]:
    tagging = boto3.client("resourcegroupstaggingapi", endpoint_url=moto.url, region_name=REGION,
                           aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106
    kinds: dict[str, int] = {}
    for page in tagging.get_paginator("get_resources").paginate(TagFilters=[{"Key": "Stack", "Values": [STACK]}]):
        for resource in page["ResourceTagMappingList"]:
            arn = resource["ResourceARN"].split(":")
            kind = f"{arn[2]}:{arn[5].split('/')[0]}" if len(arn) > 5 else arn[2]
            kinds[kind] = kinds.get(kind, 0) + 1
    return dict(sorted(kinds.items()))


def bench_site(_args) -> dict:
    remove_containers()
    with MotoServer() as moto:
        runs = {}
        for label in ("first", "again"):
            runs[label] = {"cloud": playbook(moto, "playbooks/cloud.yml"),
                           "hosts": playbook(moto, "playbooks/hosts.yml")}
        resources = tagged_resources(moto)
    remove_containers()
    return {"runs": runs, "tagged_resources": resources, "tagged_resources_total": sum(resources.values())}


def bench_overlap(args) -> dict:
    slow = {"AWS_INTRO_SLOW_RDS": str(args.rds), "AWS_INTRO_SLOW_ELASTICACHE": str(args.elasticache),
            "MOTO_ACM_VALIDATION_WAIT": str(args.acm)}
    with MotoServer(env=slow) as moto:
        cloud = playbook(moto, "playbooks/cloud.yml")
    slowest = max(args.rds, args.elasticache, args.acm)
    with MotoServer() as moto:  # the same play with nothing slow: what the play costs by itself
        baseline = playbook(moto, "playbooks/cloud.yml")
    return {"delays_s": {"rds": args.rds, "elasticache": args.elasticache, "acm": args.acm},
            "cloud_play_s": cloud["wall_s"], "cloud_play_without_delays_s": baseline["wall_s"],
            "slowest_resource_s": slowest, "sum_of_delays_s": args.rds + args.elasticache + args.acm,
            "overhead_over_slowest_s": round(cloud["wall_s"] - baseline["wall_s"] - slowest, 1)}


def bench_hosts(args) -> dict:
    results = {}
    for count in args.counts:
        remove_containers()
        with MotoServer() as moto:
            playbook(moto, "playbooks/cloud.yml", "-e", f"network_web_instance_count={count}")
            first = playbook(moto, "playbooks/hosts.yml", "-e", f"stack_web_serial={args.serial}")
            again = playbook(moto, "playbooks/hosts.yml", "-e", f"stack_web_serial={args.serial}")
        results[str(count)] = {"first_s": first["wall_s"], "again_s": again["wall_s"],
                               "again_changed": again["changed"]}
    remove_containers()
    return {"serial": args.serial, "web_hosts": results}


def bench_strategies(_args) -> dict:
    results = {}
    for strategy in ("linear", "aws_intro_linear"):
        with MotoServer() as moto:
            first = playbook(moto, "playbooks/cloud.yml", strategy=strategy)
            again = playbook(moto, "playbooks/cloud.yml", strategy=strategy)
        results[strategy] = {"first_s": first["wall_s"], "again_s": again["wall_s"],
                             "changed": [first["changed"], again["changed"]],
                             "api_calls": [first["api_calls"], again["api_calls"]]}
    stock, mitogen = results["linear"], results["aws_intro_linear"]
    return {"cloud_play": results,
            "stock_over_mitogen": {"first": round(stock["first_s"] / mitogen["first_s"], 2),
                                   "again": round(stock["again_s"] / mitogen["again_s"], 2)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    sub = parser.add_subparsers(dest="bench", required=True)
    sub.add_parser("site").set_defaults(run=bench_site)
    overlap = sub.add_parser("overlap")
    overlap.add_argument("--rds", type=int, default=60)
    overlap.add_argument("--elasticache", type=int, default=60)
    overlap.add_argument("--acm", type=int, default=45)
    overlap.set_defaults(run=bench_overlap)
    hosts = sub.add_parser("hosts")
    hosts.add_argument("--counts", type=int, nargs="+", default=[1, 4])
    hosts.add_argument("--serial", default="100%", help="stack_web_serial for the hosts play")
    hosts.set_defaults(run=bench_hosts)
    sub.add_parser("strategies").set_defaults(run=bench_strategies)
    args = parser.parse_args(argv)
    results = {"bench": args.bench, **args.run(args)}
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
