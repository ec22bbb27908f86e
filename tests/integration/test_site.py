"""`make demo` as a test: `ansible-playbook local/site.yml` from the repository root against the emulator.

The cloud play builds every AWS resource in moto, the stack's key pair included; local/ec2.yml
boots a container running sshd for each web instance and the bastion, at the instance's private
address, with the key pair's public key as cloud-init would put it; a MariaDB + Redis container
stands in for RDS and ElastiCache (db.home, cache.home). The real aws_ec2 inventory reaches the web
hosts over SSH through the bastion, as on AWS, and the hosts play deploys the offline fixture app
in batches, taking each host out of the ALB target group while puma restarts. Then: a request to
each host's nginx from the bastion (local/smoke.yml), a second run and a check run that change
nothing, each role's tag alone on the converged stack, and the aws inventory's SSH path.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.ansible_runner import REPO, ansible_env, run_playbook

CLOUD_TAGS = ["network", "storage", "database", "cache", "dns", "mail", "monitoring"]
HOST_TAGS = ["nginx", "ruby", "app", "cloudwatch_agent"]


def docker_engine() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def stack_containers() -> list[dict]:
    out = subprocess.run(["docker", "ps", "-a", "--filter", "label=aws_intro.stack=sample", "--format", "{{json .}}"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return [json.loads(line) for line in out.splitlines()]


def remove_stack_containers() -> None:
    names = [c["Names"] for c in stack_containers()]
    if names:
        subprocess.run(["docker", "rm", "-f", *names], capture_output=True, check=True, timeout=120)


def handler_results(stdout: str, name: str) -> list[str]:
    """The result lines ("changed: [i-...]") of every run of the handler or task called `name`."""
    results, inside = [], False
    for line in stdout.splitlines():
        if line.startswith(("TASK [", "RUNNING HANDLER [")):
            inside = name in line
        elif inside and re.match(r"^(ok|changed|skipping|failed|fatal): \[", line):
            results.append(line)
    return results


pytestmark = pytest.mark.skipif(not docker_engine(), reason="no Docker engine (make integration starts one)")


@pytest.fixture(scope="module")
def site(emulator, aws_env):
    emulator.reset()
    remove_stack_containers()
    first = run_playbook("local/site.yml", aws_env)
    yield first
    remove_stack_containers()


@pytest.fixture(scope="module")
def web_hosts(site):
    assert site.rc == 0, site.stdout[-6000:]
    return sorted(h for h in site.recap if h.startswith("i-"))


def instances(aws, role: str) -> list[dict]:
    pages = aws("ec2").describe_instances(Filters=[{"Name": "tag:Stack", "Values": ["sample"]},
                                                    {"Name": "tag:Role", "Values": [role]},
                                                    {"Name": "instance-state-name", "Values": ["running"]}])
    return [i for r in pages["Reservations"] for i in r["Instances"]]


def test_site_builds_the_stack_and_deploys_every_web_host(site, web_hosts, aws):
    assert len(web_hosts) == 2, site.recap
    for host in [*web_hosts, "localhost"]:
        assert site.count("failed", host) == 0, host
        assert site.count("unreachable", host) == 0, host
    bastion = [i["InstanceId"] for i in instances(aws, "bastion")]
    assert len(bastion) == 1
    running = {c["Names"]: c["State"] for c in stack_containers()}
    assert running == {**dict.fromkeys(web_hosts + bastion, "running"), "sample-services": "running"}
    # No warning on the way (the test run turns deprecation notices off).
    assert [line for line in site.stdout.splitlines() if line.startswith("[WARNING]")] == []
    # Every instance was launched with the stack's key pair, which the web containers trust.
    assert {i["KeyName"] for i in instances(aws, "web") + instances(aws, "bastion")} == {"sample"}


def test_the_web_hosts_are_reached_over_ssh_through_the_bastion_and_become_root(site, web_hosts, aws_env, aws):
    probe = run_playbook("ssh_path.yml", aws_env)
    assert probe.rc == 0, probe.stdout[-4000:]
    facts = probe.outputs["hosts"]
    bastion_ip = instances(aws, "bastion")[0]["PrivateIpAddress"]
    web_ips = {i["InstanceId"]: i["PrivateIpAddress"] for i in instances(aws, "web")}
    assert sorted(facts) == web_hosts
    for host, seen in facts.items():
        # sshd saw the connection come from the bastion's address, to the instance's private address.
        client, _, server, _ = seen["ssh_connection"].split()
        assert (client, server) == (bastion_ip, web_ips[host]), seen
        assert seen["connection"] == "ssh"
        assert seen["user"] == "admin"
        assert seen["become_user"] == "root"


def composed_connection(aws_env: dict, home: Path, *extra: str) -> dict:
    """What `-i inventories/aws` composes for each web host, read with an ad hoc debug (no connection made)."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ansible"), "web", "-i", "inventories/aws", *extra,
         "-m", "ansible.builtin.debug", "-a",
         "msg={{ [ansible_host, ansible_user, ansible_ssh_common_args, ansible_ssh_private_key_file,"
         " ansible_connection] | to_json }}"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env=ansible_env({**aws_env, "HOME": str(home), "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
                         "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json"}))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    results = json.loads(proc.stdout)["plays"][0]["tasks"][0]["hosts"]
    return {host: json.loads(result["msg"]) for host, result in results.items()}


def test_the_aws_inventory_composes_the_same_ssh_path(site, web_hosts, aws_env, aws, tmp_path):
    """inventories/aws, pointed at the emulator, reaches the web hosts through the bastion's public address."""
    bastion = instances(aws, "bastion")[0]
    home = tmp_path / "home"
    home.mkdir()
    composed = composed_connection(aws_env, home)
    assert sorted(composed) == web_hosts, composed
    key = str(home / ".ssh" / "aws_intro-sample-ap-northeast-2.pem")
    for host, (address, user, ssh_args, key_file, connection) in composed.items():
        assert connection == "ssh"
        assert address == next(i["PrivateIpAddress"] for i in instances(aws, "web") if i["InstanceId"] == host)
        assert user == "admin"
        assert key_file in (key, "~/.ssh/aws_intro-sample-ap-northeast-2.pem")
        assert f"-p 22 -i {key} " in ssh_args, ssh_args
        assert ssh_args.endswith(f' admin@{bastion["PublicIpAddress"]}"'), ssh_args
    # stack_connection ssm: Session Manager instead, no bastion hop.
    ssm = composed_connection(aws_env, home, "-e", "stack_connection=ssm")
    assert {connection for *_, connection in ssm.values()} == {"amazon.aws.aws_ssm"}


def tasks_run(stdout: str) -> list[str]:
    """The tasks, in order, that ran on some host (not skipped everywhere)."""
    tasks, current = [], None
    for line in stdout.splitlines():
        if line.startswith("TASK ["):
            current = line[6:].split("]")[0]
        elif current and re.match(r"^(ok|changed): \[", line) and (not tasks or tasks[-1] != current):
            tasks.append(current)
    return tasks


def test_the_slow_resources_are_started_then_awaited_together(site):
    order = tasks_run(site.stdout)

    def first(prefix: str) -> int:
        return next(i for i, task in enumerate(order) if task.startswith(prefix))

    started = [first("aws_intro.stack.database : RDS MySQL instance (creation is started"),
               first("aws_intro.stack.cache : Redis replication group (creation is started"),
               first("aws_intro.stack.dns : Certificate for the site's names"),
               first("aws_intro.stack.mail :")]
    awaited = [first("aws_intro.stack.database : Wait until the instance is available"),
               first("aws_intro.stack.cache : Redis replication group (awaited until available)")]
    assert max(started) < min(awaited), (started, awaited)


def test_the_app_answers_through_nginx_after_using_mysql_and_redis(site, web_hosts, aws_env):
    smoke = run_playbook("local/smoke.yml", aws_env)
    assert smoke.rc == 0, smoke.stdout[-4000:]
    pages = re.findall(r"(http://[\d.]+:3000/) used MySQL and Redis: mysql_visits=\d+ redis_visits=\d+", smoke.stdout)
    assert len(set(pages)) == len(web_hosts), smoke.stdout[-3000:]


def test_each_host_left_the_target_group_during_its_deploy_and_came_back_healthy(site, web_hosts, aws):
    # Two batches of one host (stack_web_serial 50%): one host out of the load balancer at a time.
    assert site.stdout.count("PLAY [Configure the web hosts]") == 2
    left = handler_results(site.stdout, "Take the host out of the load balancer before puma restarts")
    back = handler_results(site.stdout, "Put the host back into the load balancer and wait until it is healthy")
    assert sorted(re.findall(r"\[(i-\w+) -> localhost\]", "\n".join(left))) == web_hosts, left
    assert all(line.startswith("changed:") for line in left + back), left + back
    groups = aws("elbv2").describe_target_groups(Names=["sample-web"])["TargetGroups"]
    health = aws("elbv2").describe_target_health(TargetGroupArn=groups[0]["TargetGroupArn"])
    states = {t["Target"]["Id"]: t["TargetHealth"]["State"] for t in health["TargetHealthDescriptions"]}
    assert states == dict.fromkeys(web_hosts, "healthy")


def test_second_run_changes_nothing(site, web_hosts, aws_env):
    again = run_playbook("local/site.yml", aws_env)
    assert again.rc == 0, again.stdout[-4000:]
    changed = {host: again.count("changed", host) for host in again.recap}
    assert changed == dict.fromkeys(again.recap, 0), again.changed_tasks()
    # Nothing restarted, so no host left the load balancer.
    assert all(not line.startswith("changed") for line in
               handler_results(again.stdout, "Take the host out of the load balancer before puma restarts"))


def test_check_mode_on_the_converged_stack_changes_nothing(site, web_hosts, aws_env):
    # Both hosts in one batch: the serial deploy is proved above, and this halves the run.
    check = run_playbook("local/site.yml", aws_env, check=True, args=("-e", "stack_web_serial=100%"))
    assert check.rc == 0, check.stdout[-4000:]
    assert {host: check.count("changed", host) for host in check.recap} == dict.fromkeys(check.recap, 0), \
        check.changed_tasks()


@pytest.mark.parametrize("tag", CLOUD_TAGS + HOST_TAGS)
def test_each_role_tag_works_alone_on_the_converged_stack(site, web_hosts, aws_env, tag):
    alone = run_playbook("local/site.yml", aws_env, args=("--tags", tag, "-e", "stack_web_serial=100%"))
    assert alone.rc == 0, alone.stdout[-4000:]
    assert {host: alone.count("changed", host) for host in alone.recap} == dict.fromkeys(alone.recap, 0), \
        alone.changed_tasks()
    # Role argument validation runs under every tag (ansible tags it `always`): not counted.
    roles_run = {m.group(1) for m in re.finditer(r"^aws_intro\.stack\.(\w+) : (?!Validating arguments)",
                                                   "\n".join(tasks_run(alone.stdout)), re.M)}
    role = "rails_app" if tag == "app" else tag
    assert role in roles_run
    # The host roles run only under their own tag (cloud roles may run their lookups for others).
    host_roles = {"nginx", "ruby", "rails_app", "cloudwatch_agent"}
    assert roles_run & host_roles == ({role} if role in host_roles else set())
