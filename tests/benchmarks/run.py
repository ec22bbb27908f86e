"""Benchmarks of the whole stack in the local emulator: a script, not a test. It prints numbers.

    python -m tests.benchmarks.run site                 # first converge and no-op re-run of site.yml
    python -m tests.benchmarks.run overlap --rds 60 --elasticache 60 --acm 45
    python -m tests.benchmarks.run hosts --counts 1 4   # the hosts play with 1 and 4 web containers
    python -m tests.benchmarks.run redeploy --counts 2 4  # a rolling redeploy under load, 2 and 4 web hosts
    python -m tests.benchmarks.run strategies           # the cloud play under linear and aws_intro_linear
    python -m tests.benchmarks.run accelerator          # the cloud play with the botocore model cache off and on
    python -m tests.benchmarks.run listing              # the cloud play, collections listed per module task or once
    python -m tests.benchmarks.run ruby                 # rbenv Ruby on a first host (builds) and a second (installs)
    python -m tests.benchmarks.run targets              # every speed target: measured, limit, ratio, met
    python -m tests.benchmarks.run floor                # what one task costs here, by kind, before it does anything

site:    wall time of the cloud play and of the hosts play (site.yml is the two), then of a no-op site.yml, per role
         (ansible.posix.profile_roles), the AWS API calls of each run counted with the emulator's
         recorder, and the resources the stack tags Stack=<name> (Resource Groups Tagging API).
overlap: the cloud play with the RDS instance, the replication group and the certificate kept
         `creating` / `PENDING_VALIDATION` for the given seconds (local/emulator/slow.py), against
         the slowest of them alone: the play should last about max(), not sum().
hosts:   the hosts play's wall time with N web instances (containers) each.
redeploy: with N web hosts deployed, `make demo-redeploy`'s play (a new revision, rolling) while a
         steady load (--rate requests/s) goes through the load balancer's stand-in: requests served,
         failed, and the longest time without a successful answer.
ruby:    the ruby role's rbenv path (molecule/ruby_rbenv: Debian 12 containers, Ruby 3.1.2 from a local mirror) on
         one host, which compiles Ruby and keeps the build on the controller, then on a second host, which checks
         and unpacks that build: each host's time in the role and in the tasks that get Ruby itself
         (roles/ruby/tasks/rbenv_build.yml), and the ratios second / first.
targets: site, hosts (1 and 4 web hosts) and ruby, then one line per speed target with
         the measured value, the limit and the ratio (the table on stderr, everything as JSON on stdout).
accelerator: the cloud play's first converge and no-op re-run under Mitogen with the venv's botocore model
         cache (accelerators/aws_intro_botocore_cache.py) off and on, each on a fresh emulator, and the ratios.
listing: the cloud play's first converge and no-op re-run under Mitogen with the installed collections listed for
         each module task (Mitogen's own) and once per play (strategy_plugins/aws_intro_linear.py), each on a fresh
         emulator, and the ratios.
floor:   a play on localhost of N copies of one task (skipped by `when`, set_fact, ansible.builtin.stat,
         amazon.aws.aws_caller_info against the emulator) less a play of none: what a task costs by kind. The plays'
         task results (ok and skipped, in site's and targets' JSON) times these give a no-op run's floor.
strategies: the cloud play's first converge and no-op re-run under Ansible's stock `linear` and under
         the checkout's `aws_intro_linear` (Mitogen for Ansible), each on a fresh emulator, and the
         ratios stock / Mitogen; the changed counts show both give the same result.

Every play runs under the checkout's strategy, `aws_intro_linear` (Mitogen for Ansible when installed, else Ansible's
`linear`), unless ANSIBLE_STRATEGY says otherwise (`strategies` compares the two); the results name it.
Needs Docker (make docker) for site, hosts and ruby. Each run starts its own emulator and removes the
stack's containers before and after. Results go to stdout and, with --json FILE, to a file.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import yaml

from local.emulator.recorder import Recording
from local.emulator.server import MotoServer
from local.steady_load import SteadyLoad
from tests.integration.ansible_runner import _RECAP

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STACK = "sample"
REGION = "ap-northeast-2"
# The plays run under the checkout's strategy, as `make integration` runs them: Mitogen for Ansible when it is
# installed, else Ansible's linear (strategy_plugins/aws_intro_linear.py). ANSIBLE_STRATEGY in the environment
# chooses another.
STRATEGY = os.environ.get("ANSIBLE_STRATEGY") or "aws_intro_linear"
MITOGEN = importlib.util.find_spec("ansible_mitogen") is not None
CORES = os.cpu_count() or 1
# profile_roles' recap: "network ---- 49.04s" (a role by its short name; modules run outside roles
# appear under their dotted names and are not roles).
_ROLE_LINE = re.compile(r"^([a-z][a-z0-9_]*)\s+-+\s+([\d.]+)s$")
_TASK_LINE = re.compile(r"^(.+ : .+?)\s+-+\s+([\d.]+)s$")


def remove_containers() -> None:
    ids = subprocess.run(["docker", "ps", "-aq", "--filter", f"label=aws_intro.stack={STACK}"],
                         capture_output=True, text=True, check=False).stdout.split()
    if ids:
        subprocess.run(["docker", "rm", "-f", *ids], capture_output=True, check=False)


def busy_cpu_s() -> float:
    """CPU time the whole machine has spent busy since boot (every core, every process, the containers' included):
    /proc/stat's first line, in USER_HZ ticks, less idle and iowait."""
    with open("/proc/stat", encoding="ascii") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def playbook(moto: MotoServer, path: str, *args: str, strategy: str | None = None,
             extra_env: dict[str, str] | None = None) -> dict:
    """Run one playbook against the emulator; wall time, per-role times, API calls, recap."""
    env = {**os.environ, **moto.environ(REGION), "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_roles,ansible.posix.profile_tasks",
           "PATH": f"{BIN}:{os.environ['PATH']}", **(extra_env or {})}
    env.update(ANSIBLE_STRATEGY=strategy or STRATEGY, ANSIBLE_STRATEGY_PLUGINS=str(ROOT / "strategy_plugins"))
    command = [str(BIN / "ansible-playbook"), "-i", "inventories/local", path, *args]
    with Recording(moto.url) as recording:
        started, cpu_before = time.monotonic(), busy_cpu_s()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall, cpu = time.monotonic() - started, busy_cpu_s() - cpu_before
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
    recap = {m["host"]: m.groupdict() for m in _RECAP.finditer(done.stdout)}
    # Task results of every host (a task run on two hosts counts twice), as the recap counts them.
    results = {key: sum(int(host[key]) for host in recap.values()) for key in ("ok", "skipped")}
    summary = recording.summary()
    by_service: dict[str, int] = {}
    for call, count in summary["by_call"].items():
        service = call.split(":", 1)[0]
        by_service[service] = by_service.get(service, 0) + count
    return {"playbook": path, "wall_s": round(wall, 1), "machine_cpu_s": round(cpu, 1), "roles_s": roles,
            "slowest_tasks_s": tasks[:8],
            "changed": {name: int(host["changed"]) for name, host in recap.items()}, "task_results": results,
            "api_calls": summary["total"],
            "api_calls_by_service": dict(sorted(by_service.items())),
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


def managed_resources(moto: MotoServer) -> dict[str, int]:
    """What the stack manages: the resources tagged Stack=<name>, and those the tagging API does not list (the
    alarms, the dashboard, the DNS records but SOA and NS, the IAM role, instance profile and users)."""
    def client(service: str):
        return boto3.client(service, endpoint_url=moto.url, region_name=REGION,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106

    kinds = tagged_resources(moto)
    cloudwatch = client("cloudwatch")
    kinds["cloudwatch:alarm"] = len(cloudwatch.describe_alarms(AlarmNamePrefix=f"{STACK}-")["MetricAlarms"])
    kinds["cloudwatch:dashboard"] = len(cloudwatch.list_dashboards(DashboardNamePrefix=STACK)["DashboardEntries"])
    route53, records = client("route53"), 0
    for zone in route53.list_hosted_zones()["HostedZones"]:
        found = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        records += sum(1 for record in found if record["Type"] not in ("SOA", "NS"))
    kinds["route53:record"] = records
    iam = client("iam")
    kinds["iam:role"] = sum(1 for r in iam.list_roles()["Roles"] if r["RoleName"].startswith(STACK))
    kinds["iam:instance-profile"] = sum(1 for p in iam.list_instance_profiles()["InstanceProfiles"]
                                        if p["InstanceProfileName"].startswith(STACK))
    kinds["iam:user"] = sum(1 for u in iam.list_users()["Users"] if u["UserName"].startswith(STACK))
    return dict(sorted((kind, n) for kind, n in kinds.items() if n))


# What `make demo` runs between the cloud play and the hosts play: containers for the EC2 instances, for RDS,
# ElastiCache and the load balancer, and the fixture app's repository (local/site.yml). Not the product's time:
# reported apart.
STANDINS = ("local/ec2.yml", "local/services.yml", "local/alb.yml", "local/fixture_app.yml")


def bench_site(_args) -> dict:
    remove_containers()
    with MotoServer() as moto:
        runs = {}
        for label in ("first", "again"):
            cloud = playbook(moto, "playbooks/cloud.yml")
            standins = playbook(moto, *STANDINS) if label == "first" else None
            runs[label] = {"cloud": cloud, "hosts": playbook(moto, "playbooks/hosts.yml"),
                           **({"local_standins_s": standins["wall_s"]} if standins else {})}
        # The no-op as it is run: site.yml, one ansible-playbook for both plays (the hosts play then takes the cloud
        # play's outputs instead of looking them up). A first converge cannot be one run here: the web instances'
        # containers start (STANDINS) between the two plays.
        runs["again"]["site"] = playbook(moto, "site.yml")
        resources = managed_resources(moto)
    remove_containers()
    return {"runs": runs, "managed_resources": resources, "managed_resources_total": sum(resources.values())}


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
    serial = ("-e", f"stack_web_serial={args.serial}") if args.serial else ()
    for count in args.counts:
        remove_containers()
        with MotoServer() as moto:
            playbook(moto, "playbooks/cloud.yml", "-e", f"network_web_instance_count={count}")
            playbook(moto, *STANDINS)
            first = playbook(moto, "playbooks/hosts.yml", *serial)
            again = playbook(moto, "playbooks/hosts.yml", *serial)
        results[str(count)] = {"first_s": first["wall_s"], "again_s": again["wall_s"],
                               "again_changed": again["changed"],
                               # The machine's busy CPU time during the play, and the least wall time that work
                               # could take on this machine's cores even if nothing waited.
                               "first_cpu_s": first["machine_cpu_s"], "again_cpu_s": again["machine_cpu_s"],
                               "first_cpu_bound_s": round(first["machine_cpu_s"] / CORES, 1),
                               "again_cpu_bound_s": round(again["machine_cpu_s"] / CORES, 1)}
        print(f"{count} web hosts: first deploy {first['wall_s']} s ({first['machine_cpu_s']} CPU-s), no-op "
              f"{again['wall_s']} s ({again['machine_cpu_s']} CPU-s) on {CORES} cores", file=sys.stderr)
    remove_containers()
    return {"serial": args.serial or "automatic (all at once when nothing serves, else 50%)", "web_hosts": results}


def bench_redeploy(args) -> dict:
    """A rolling redeploy of N web hosts under a steady load through the load balancer's stand-in."""
    results = {}
    for count in args.counts:
        remove_containers()
        with MotoServer() as moto:
            playbook(moto, "playbooks/cloud.yml", "-e", f"network_web_instance_count={count}")
            playbook(moto, *STANDINS)
            playbook(moto, "playbooks/hosts.yml")
            env = moto.environ(REGION)
            site = f"https://127.0.0.1:{env['AWS_INTRO_SITE_PORT']}/"
            with SteadyLoad(site, rate=args.rate, ca_file=f"{moto.workdir}/ca/ca.crt") as load:
                time.sleep(5)
                deploy = playbook(moto, "local/redeploy.yml", "-e", "demo_revision=benchmark")
                time.sleep(5)
        summary = load.summary()
        results[str(count)] = {"redeploy_s": deploy["wall_s"], "requests": summary.requests,
                               "failed": len(summary.failed), "longest_gap_s": round(summary.longest_gap, 2),
                               "answers_by_host": summary.hosts, "answers_by_revision": summary.revisions}
        print(f"{count} web hosts: redeploy {deploy['wall_s']} s, {summary}", file=sys.stderr)
    remove_containers()
    return {"rate_per_s": args.rate, "web_hosts": results}


def cloud_first_and_again(**how) -> dict:
    """The cloud play's first converge and its no-op re-run on a fresh emulator (`how`: playbook()'s keywords)."""
    with MotoServer() as moto:
        first = playbook(moto, "playbooks/cloud.yml", **how)
        again = playbook(moto, "playbooks/cloud.yml", **how)
    return {"first_s": first["wall_s"], "again_s": again["wall_s"], "changed": [first["changed"], again["changed"]],
            "api_calls": [first["api_calls"], again["api_calls"]]}


def ratios(slower: dict, faster: dict) -> dict:
    return {"first": round(slower["first_s"] / faster["first_s"], 2),
            "again": round(slower["again_s"] / faster["again_s"], 2)}


def bench_strategies(_args) -> dict:
    results = {strategy: cloud_first_and_again(strategy=strategy) for strategy in ("linear", "aws_intro_linear")}
    return {"cloud_play": results, "stock_over_mitogen": ratios(results["linear"], results["aws_intro_linear"])}


def cloud_switched_off_then_on(variable: str, what: str, off: str, on: str) -> dict:
    """The cloud play under Mitogen with the environment switch `variable` at 0 (labelled `off`), then at 1 (`on`),
    each on a fresh emulator; each pair of times is printed as `what <label>: ...`."""
    results = {}
    for label, switch in ((off, "0"), (on, "1")):
        results[label] = cloud_first_and_again(strategy="aws_intro_linear", extra_env={variable: switch})
        print(f"{what} {label.replace('_', ' ')}: first converge {results[label]['first_s']} s, "
              f"no-op {results[label]['again_s']} s", file=sys.stderr)
    return results


def bench_accelerator(_args) -> dict:
    """The cloud play under Mitogen with the venv's botocore model cache (accelerators/) off, then on."""
    if importlib.util.find_spec("aws_intro_botocore_cache") is None:
        raise SystemExit("the accelerator is not installed in this venv: run make setup")
    results = cloud_switched_off_then_on("AWS_INTRO_BOTOCORE_CACHE", "botocore model cache", "off", "on")
    return {"cloud_play": results, "off_over_on": ratios(results["off"], results["on"])}


def bench_listing(_args) -> dict:
    """The cloud play under Mitogen with the collections listed for each module task, then once per play."""
    results = cloud_switched_off_then_on("AWS_INTRO_MITOGEN_COLLECTIONS_ONCE", "collections listed", "per_task", "once")
    return {"cloud_play": results, "per_task_over_once": ratios(results["per_task"], results["once"])}


RUBY_SCENARIO = "ruby_rbenv"
RUBY_HOSTS = ("ruby_rbenv-debian12", "ruby_rbenv-debian12-b")  # molecule/ruby_rbenv/molecule.yml's platforms
# A line of Ansible's log file: "2026-12-04 12:00:00,123 p=1 u=root n=ansible INFO| <what the screen shows>".
_LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ .*?\| ")


def ruby_build_tasks() -> set[str]:
    """The names of the tasks that get Ruby itself onto a host: roles/ruby/tasks/rbenv_build.yml (the build and
    what keeps it, on the host that builds; the check and unpack of that build, on the others)."""
    names: set[str] = set()
    pending = yaml.safe_load((ROOT / "roles/ruby/tasks/rbenv_build.yml").read_text(encoding="utf-8"))
    while pending:
        task = pending.pop()
        names.add(task["name"])
        pending.extend(task.get("block", []))
    return names


def molecule(*args: str, log: Path | None = None) -> float:
    """One molecule command on the ruby_rbenv scenario; its wall time. With `log`, Ansible also writes what it
    shows, with the profile of every role and task, to that file (molecule's own screen output wraps lines)."""
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "MOLECULE_GLOB": "molecule/*/molecule.yml",
           "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_roles,ansible.posix.profile_tasks",
           "PROFILE_TASKS_TASK_OUTPUT_LIMIT": "all", "ANSIBLE_NOCOLOR": "1"}
    if log:
        env["ANSIBLE_LOG_PATH"] = str(log)
    started = time.monotonic()
    done = subprocess.run([str(BIN / "molecule"), *args[:1], "-s", RUBY_SCENARIO, *args[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-6000:] + done.stderr[-2000:])
        raise SystemExit(f"molecule {' '.join(args)} failed (rc {done.returncode})")
    return round(time.monotonic() - started, 1)


def ruby_times(log: Path) -> dict:
    """The ruby role's time and the Ruby tasks' time (sum) in one converge's Ansible log."""
    build_tasks = {f"aws_intro.stack.ruby : {name}" for name in ruby_build_tasks()}
    role_s, ruby_s = 0.0, 0.0
    for line in log.read_text(encoding="utf-8").splitlines():
        line = _LOG_PREFIX.sub("", line).strip()
        if (match := _ROLE_LINE.match(line)) and match.group(1) == "ruby":
            role_s = float(match.group(2))
        elif (match := _TASK_LINE.match(line)) and match.group(1) in build_tasks:
            ruby_s += float(match.group(2))
    return {"ruby_role_s": round(role_s, 1), "ruby_itself_s": round(ruby_s, 1)}


def bench_ruby(_args) -> dict:
    """rbenv Ruby on a first host, which builds it, then on a second, which installs the first host's build."""
    molecule("destroy")
    molecule("create")
    molecule("prepare")
    results = {}
    try:
        for label, host in zip(("first_host", "second_host"), RUBY_HOSTS, strict=True):
            log = ROOT / ".cache" / f"benchmark-ruby-{label}.log"
            log.parent.mkdir(exist_ok=True)
            log.unlink(missing_ok=True)
            wall = molecule("converge", "--", "--limit", host, log=log)
            results[label] = {"host": host, "converge_s": wall, **ruby_times(log)}
            print(f"{label.replace('_', ' ')} ({host}): ruby role {results[label]['ruby_role_s']} s, "
                  f"Ruby itself {results[label]['ruby_itself_s']} s", file=sys.stderr)
    finally:
        molecule("destroy")
    first, second = results["first_host"], results["second_host"]
    return {"hosts": results, "second_over_first": {
        "ruby_itself": round(second["ruby_itself_s"] / first["ruby_itself_s"], 3),
        "ruby_role": round(second["ruby_role_s"] / first["ruby_role_s"], 3)}}


# One task of each kind, as the plays' tasks are written (a task each, not a loop's items).
FLOOR_TASKS = {
    "skipped": {"ansible.builtin.debug": {"msg": "never"}, "when": False},
    "set_fact": {"ansible.builtin.set_fact": {"__floor": "{{ 6 * 7 }}"}},
    "builtin_module": {"ansible.builtin.stat": {"path": "/"}},
    "aws_module": {"amazon.aws.aws_caller_info": {}},
}


def bench_floor(args) -> dict:
    """What one task costs on this machine under the play's strategy, before it does any work: a play on localhost
    of N copies of one task, less a play of none. A no-op run's task results times these is its floor."""
    costs = {}
    with MotoServer() as moto, tempfile.TemporaryDirectory() as work:
        def play(task: dict | None, count: int) -> float:
            tasks = [{"name": f"Task {n}", **task} for n in range(count)] if task else []
            path = Path(work) / "floor.yml"
            path.write_text(yaml.safe_dump([{"name": "Floor", "hosts": "localhost", "connection": "local",
                                             "gather_facts": False, "tasks": tasks}], sort_keys=False))
            return playbook(moto, str(path))["wall_s"]

        empty = min(play(None, 0) for _ in range(2))
        for kind, task in FLOOR_TASKS.items():
            wall = play(task, args.tasks)
            costs[kind] = round((wall - empty) / args.tasks * 1000, 1)
            print(f"{kind:<15} {costs[kind]:>7} ms a task ({args.tasks} tasks {wall} s, empty play {empty} s)",
                  file=sys.stderr)
    return {"tasks_per_play": args.tasks, "empty_play_s": empty, "ms_per_task": costs}


# The cloud play's first converge on this 2-core machine when its speed targets were set: 157 s.
FIRST_CONVERGE_BEFORE_S = 157.0


def bench_targets(args) -> dict:
    """Every speed target, measured in this one run: value, limit, ratio, met or not."""
    site = bench_site(args)
    hosts = bench_hosts(argparse.Namespace(counts=[1, 4], serial=None))["web_hosts"] if not args.no_hosts else {}
    ruby = bench_ruby(args)["hosts"] if not args.no_ruby else {}
    first, again = site["runs"]["first"], site["runs"]["again"]
    site_first = round(first["cloud"]["wall_s"] + first["hosts"]["wall_s"], 1)
    site_again = again["site"]["wall_s"]
    resources = site["managed_resources_total"]
    rows = [
        ("no-op site.yml / first converge", f"{site_again} s / {site_first} s", "<= 0.25", site_again / site_first),
        ("no-op cloud play (s)", f"{again['cloud']['wall_s']} s", "<= 30", again["cloud"]["wall_s"]),
        ("API calls per managed resource, no-op cloud play", f"{again['cloud']['api_calls']} / {resources}", "<= 2",
         again["cloud"]["api_calls"] / resources),
        ("first cloud converge / before", f"{first['cloud']['wall_s']} s / {FIRST_CONVERGE_BEFORE_S} s", "<= 0.5",
         first["cloud"]["wall_s"] / FIRST_CONVERGE_BEFORE_S),
    ]
    if hosts:
        for phase, key in (("first deploy", "first_s"), ("no-op", "again_s")):
            rows.append((f"hosts play, 4 web hosts / 1, {phase}", f"{hosts['4'][key]} s / {hosts['1'][key]} s",
                         "<= 1.3", hosts["4"][key] / hosts["1"][key]))
    if ruby:
        rows.append(("Ruby on a second host / the first (rbenv, the first's build)",
                     f"{ruby['second_host']['ruby_itself_s']} s / {ruby['first_host']['ruby_itself_s']} s", "<= 0.2",
                     ruby["second_host"]["ruby_itself_s"] / ruby["first_host"]["ruby_itself_s"]))
    limit = {row[0]: float(row[2].split()[-1]) for row in rows}
    table = [{"target": name, "measured": measured, "limit": bound, "ratio": round(ratio, 2),
              "met": ratio <= limit[name]} for name, measured, bound, ratio in rows]
    width = max(len(row["target"]) for row in table)
    for row in table:
        print(f"{row['target']:<{width}}  {row['measured']:>24}  {row['limit']:>7}  {row['ratio']:>6}  "
              f"{'met' if row['met'] else 'NOT met'}", file=sys.stderr)
    if hosts:
        # What the cores allow: 4 hosts' work (the machine's busy CPU time during their play) spread over every
        # core with no wait, against the 1-host play's wall time.
        for phase, key in (("first deploy", "first"), ("no-op", "again")):
            bound = hosts["4"][f"{key}_cpu_bound_s"] / hosts["1"][f"{key}_s"]
            print(f"hosts play, 4 web hosts / 1, {phase}: the work of 4 hosts on {CORES} cores takes at least "
                  f"{hosts['4'][f'{key}_cpu_bound_s']} s, {bound:.2f} x the 1-host play", file=sys.stderr)
    return {"targets": table, "site": site, "hosts": hosts, "ruby": ruby}


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
    hosts.add_argument("--serial", help="stack_web_serial for the hosts play (default: the play chooses)")
    hosts.set_defaults(run=bench_hosts)
    redeploy = sub.add_parser("redeploy")
    redeploy.add_argument("--counts", type=int, nargs="+", default=[2, 4])
    redeploy.add_argument("--rate", type=float, default=20.0, help="requests per second (default 20)")
    redeploy.set_defaults(run=bench_redeploy)
    sub.add_parser("strategies").set_defaults(run=bench_strategies)
    sub.add_parser("accelerator").set_defaults(run=bench_accelerator)
    sub.add_parser("listing").set_defaults(run=bench_listing)
    sub.add_parser("ruby").set_defaults(run=bench_ruby)
    floor = sub.add_parser("floor")
    floor.add_argument("--tasks", type=int, default=60, help="tasks of each kind in a play (default 60)")
    floor.set_defaults(run=bench_floor)
    targets = sub.add_parser("targets")
    targets.add_argument("--no-hosts", action="store_true", help="leave out the 1 and 4 web hosts runs")
    targets.add_argument("--no-ruby", action="store_true", help="leave out the rbenv Ruby runs (molecule, ~10 min)")
    targets.set_defaults(run=bench_targets)
    args = parser.parse_args(argv)
    results = {"bench": args.bench, "strategy": STRATEGY, "mitogen_installed": MITOGEN, **args.run(args)}
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
