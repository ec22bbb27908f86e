"""`make demo` as a test: the README's first command, run as a newcomer runs it, from nothing.

`make demo` starts its own emulator (state in a temporary DEMO_DIR), then `local/site.yml`: the cloud
play builds every AWS resource in moto, the stack's key pair included; local/ec2.yml boots a container
running sshd for each web instance and the bastion, at the instance's private address, with the key
pair's public key as cloud-init would put it; a MariaDB + Redis container stands in for RDS and
ElastiCache (db.home, cache.home), HAProxy for the load balancer (on one loopback port, with the listeners
ELBv2 holds; the emulator gives it the target group's targets and reports its health checks). The real
aws_ec2 inventory reaches the web hosts over SSH through the bastion, as on AWS, and the hosts play deploys
the offline fixture app to every host at once (no target serves yet). Then `local/smoke.yml` (a request to
each host's nginx from the bastion, then the site through the load balancer's stand-in) and
`playbooks/report.yml`; the last line names the site. It must pass and print no warning. Then, under a steady
load through the stand-in, `make demo-redeploy` ships a revision that does not boot (the deploy stops at the
first host, which stays out of the target group), then a good one, rolling: no request may fail. Then, on
that stack: a second run and a check run of the hosts play that change nothing, what each role's tag
selects (the host roles' tags, and the app's run alone through local/site.yml, which runs every stand-in's
play again and changes nothing), the aws inventory's SSH path, and the report's content (what AWS holds, a
box per instance, no secret, a second report only reads).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from local.emulator.recorder import Recording
from local.emulator.server import DEFAULT_REGION, _bastion_port, environ_for
from local.steady_load import SteadyLoad
from tests.integration.ansible_runner import _RECAP, REPO, PlayResult, ansible_env, handler_results, run_playbook
from tests.integration.report_files import PARTS, STACK, boxes, files, only_reads, parts, report, web_instance_ids

CLOUD_TAGS = ["network", "storage", "database", "cache", "dns", "mail", "monitoring"]
HOST_TAGS = ["nginx", "ruby", "app", "cloudwatch_agent"]
# Deprecation notices that are not ours to fix, let through by their exact text: amazon.aws 10.1.2's
# iam_role and iam_role_info announce on every call that their assume_role_policy_document_raw return
# value will go, and route53_info with query record_sets / hosted_zone that its CamelCase
# ResourceRecordSets / HostedZones will (unconditional module.deprecate calls; the stack reads none of these
# values). With them comes Ansible's hint.
UPSTREAM_NOTICES = ("iam_role.assume_role_policy_document_raw will no longer be returned",
                    "The 'CamelCase' return values with key 'ResourceRecordSets' and 'list' are deprecated",
                    "The 'CamelCase' return values with key 'HostedZones' and 'list' are deprecated",
                    "[WARNING]: Deprecation warnings can be disabled by setting")


def docker_engine() -> bool:
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def stack_containers() -> list[dict]:
    out = subprocess.run(["docker", "ps", "-a", "--filter", "label=aws_intro.stack=sample", "--format", "{{json .}}"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return [json.loads(line) for line in out.splitlines()]


def warnings(stdout: str) -> list[str]:
    """The warning and deprecation lines of an output, but the upstream notices above."""
    return [line for line in stdout.splitlines() if line.startswith(("[WARNING]", "[DEPRECATION WARNING]"))
            and not any(notice in line for notice in UPSTREAM_NOTICES)]


pytestmark = pytest.mark.skipif(not docker_engine(), reason="no Docker engine (make integration starts one)")


@dataclass
class Demo:
    rc: int
    stdout: str
    plays: list[PlayResult]  # site, smoke, report: one per PLAY RECAP
    env: dict
    state: Path  # DEMO_DIR
    out: str  # the standard output alone (Ansible writes its warnings to the standard error)


def make(*args: str, timeout: int = 3600) -> subprocess.CompletedProcess:
    """make in the repository root with the user's environment (deprecation notices on, no test settings)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "ANSIBLE_"))}
    if "ANSIBLE_COLLECTIONS_PATH" in os.environ:  # CI points Ansible at the checkout's collections only
        env["ANSIBLE_COLLECTIONS_PATH"] = os.environ["ANSIBLE_COLLECTIONS_PATH"]
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(["make", "--no-print-directory", *args], cwd=REPO, env={**env, "ANSIBLE_NOCOLOR": "1"},
                          capture_output=True, text=True, timeout=timeout, check=False)


def split_plays(stdout: str) -> list[PlayResult]:
    """One PlayResult per ansible-playbook run in a make output (each ends with its PLAY RECAP)."""
    chunks = re.split(r"(?=^PLAY RECAP \*)", stdout, flags=re.MULTILINE)
    results, before = [], chunks[0]
    for chunk in chunks[1:]:
        recap_end = re.search(r"^\S+\s+: ok=.*\n(?!\S+\s+: ok=)", chunk, re.MULTILINE)
        recap, rest = (chunk[:recap_end.end()], chunk[recap_end.end():]) if recap_end else (chunk, "")
        text = before + recap
        results.append(PlayResult(rc=0, stdout=text, recap={m["host"]: m.groupdict() for m in _RECAP.finditer(recap)}))
        before = rest
    return results


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make demo` from nothing: its own emulator and state, no stack container left from an earlier run."""
    state = tmp_path_factory.mktemp("demo")
    make("demo-down", f"DEMO_DIR={state}")
    proc = make("demo", f"DEMO_DIR={state}")
    port = (state / "moto.port").read_text().strip() if (state / "moto.port").exists() else "0"
    env = environ_for(f"http://127.0.0.1:{port}", DEFAULT_REGION, str(state), _bastion_port(str(state)))
    yield Demo(rc=proc.returncode, stdout=proc.stdout + proc.stderr, plays=split_plays(proc.stdout), env=env,
               state=state, out=proc.stdout)
    make("demo-down", f"DEMO_DIR={state}")


@pytest.fixture(scope="module")
def aws_env(demo):
    """The demo emulator's environment (this module's tests all work on the demo's stack)."""
    return demo.env


@pytest.fixture(scope="module")
def aws(demo):
    def client(service: str, region: str = DEFAULT_REGION):
        return boto3.client(service, endpoint_url=demo.env["AWS_ENDPOINT_URL"], region_name=region,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106

    return client


@pytest.fixture(scope="module")
def site(demo):
    assert demo.rc == 0, demo.stdout[-6000:]
    assert len(demo.plays) == 3, [p.recap for p in demo.plays]
    return demo.plays[0]


@pytest.fixture(scope="module")
def web_hosts(site):
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
    assert running == {**dict.fromkeys(web_hosts + bastion, "running"), "sample-services": "running",
                       "sample-alb": "running"}
    # Every instance was launched with the stack's key pair, which the web containers trust.
    assert {i["KeyName"] for i in instances(aws, "web") + instances(aws, "bastion")} == {"sample"}


def test_make_demo_prints_no_warning(demo, site):
    assert warnings(demo.stdout) == []


def test_make_demo_ends_with_the_smoke_test_and_the_report(demo, site, web_hosts):
    _site, smoke, report = demo.plays
    for play in (smoke, report):
        assert {host: (play.count("failed", host), play.count("unreachable", host)) for host in play.recap} == \
            dict.fromkeys(play.recap, (0, 0))
    # Each web host answered from its nginx, after the app used MySQL and Redis (local/smoke.yml, from the bastion).
    pages = re.findall(r"(http://[\d.]+:3000/) used MySQL and Redis: mysql_visits=\d+ redis_visits=\d+", smoke.stdout)
    assert len(set(pages)) == len(web_hosts), smoke.stdout[-3000:]
    assert "The stack's report and diagram are in reports/." in demo.stdout


def test_make_demo_ends_with_the_site_and_the_smoke_test_saw_every_host_through_it(demo, site, aws):
    _site, smoke, _report = demo.plays
    assert demo.out.rstrip().splitlines()[-1] == f"site: http://127.0.0.1:{demo.env['AWS_INTRO_SITE_PORT']}/"
    served = re.search(r"http://127\.0\.0\.1:\d+/ is served by (\S+) and (\S+)$", smoke.stdout, re.M)
    assert served, smoke.stdout[-3000:]
    assert sorted(served.groups()) == sorted(hostnames(aws).values())


def test_the_stand_ins_http_listener_redirects_to_https_as_the_dns_role_set_it(demo, site):
    # The stack has a domain: port 80 redirects to 443, both on the one loopback port standing for the load
    # balancer's address (HTTP or TLS told apart by the client's first bytes).
    port = int(demo.env["AWS_INTRO_SITE_PORT"])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/visits?x=1", headers={"Host": "aws-intro-sample.com"})
    answer = connection.getresponse()
    assert (answer.status, answer.getheader("Location")) == (301, f"https://aws-intro-sample.com:{port}/visits?x=1")
    # The HTTPS listener on the same port, its certificate from the local CA, for 127.0.0.1 too.
    tls = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                      context=ssl.create_default_context(cafile=str(demo.state / "ca" / "ca.crt")))
    tls.request("GET", "/", headers={"Host": "aws-intro-sample.com"})
    assert tls.getresponse().status == 200


def test_the_app_reaches_redis_over_tls_with_the_auth_token(site, web_hosts, aws):
    # The cache role's defaults: TLS in transit and an AUTH token. Each host's app gets the rediss:// address
    # of the group's endpoint with the token from SSM; the Redis stand-in takes TLS only, and only with the
    # token, so the smoke test's redis_visits (above) went that way.
    token = aws("ssm").get_parameter(Name="/sample/cache/auth_token", WithDecryption=True)["Parameter"]["Value"]
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId="sample-cache")["ReplicationGroups"][0]
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    for host in web_hosts:
        env = subprocess.run(["docker", "exec", host, "cat", "/etc/aws-intro-sample/env"], capture_output=True,
                             text=True, check=True, timeout=60).stdout
        assert f"AWS_INTRO_SAMPLE_REDIS_ADDRESS='rediss://:{token}@{primary}:6379/0'" in env.splitlines(), host
        # The SMTP credentials too come from SSM, by the names mail_outputs gives (the outputs hold no secret).
        for key, name in (("USERNAME", "username"), ("PASSWORD", "password")):
            parameter = aws("ssm").get_parameter(Name=f"/sample/mail/smtp/{name}", WithDecryption=True)["Parameter"]
            value = parameter["Value"]
            assert f"AWS_INTRO_SAMPLE_SMTP_{key}='{value}'" in env.splitlines(), (host, key)

    def ping(*args: str, auth: str = "") -> str:
        command = ["docker", "exec", "-e", f"REDISCLI_AUTH={auth}", "sample-services", "redis-cli", *args, "PING"]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
        return (done.stdout + done.stderr).strip()

    tls = ("--tls", "--cacert", "/run/redis/ca.crt", "-h", primary)
    assert ping("-h", primary) != "PONG"  # plain TCP: refused by the TLS port
    assert "NOAUTH" in ping(*tls)
    assert ping(*tls, auth=token) == "PONG"


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
                         "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json",
                         # Under Mitogen's strategy the json callback of an ad hoc run lists one host only.
                         "ANSIBLE_STRATEGY": "linear"}))
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


def target_states(aws) -> dict:
    """{instance id: state} of the target group, as the emulator's health checks of the hosts find them."""
    groups = aws("elbv2").describe_target_groups(Names=["sample-web"])["TargetGroups"]
    health = aws("elbv2").describe_target_health(TargetGroupArn=groups[0]["TargetGroupArn"])
    return {t["Target"]["Id"]: t["TargetHealth"]["State"] for t in health["TargetHealthDescriptions"]}


def test_the_first_deploy_does_every_host_at_once_with_nothing_to_drain(site, web_hosts, aws):
    # No target passed its health check before the hosts play (nothing served): one batch, and no host
    # left the target group. Afterwards every host passes it (the emulator checks each host's nginx).
    assert site.stdout.count("PLAY [Configure the web hosts]") == 1
    left = handler_results(site.stdout, "Take the host out of the load balancer before puma restarts")
    assert left, "the handler never ran"
    assert all(line.startswith("skipping:") for line in left), left
    assert target_states(aws) == dict.fromkeys(web_hosts, "healthy")


def hostnames(aws) -> dict:
    """{instance id: host name} of the web instances (the fixture app's page names its host)."""
    return {i["InstanceId"]: i["PrivateDnsName"].split(".")[0] for i in instances(aws, "web")}


@dataclass
class Redeploy:
    play: PlayResult
    load: SteadyLoad
    deploy: tuple[float, float]  # when `make demo-redeploy` started and ended, in the load's seconds


def redeploy_under_load(demo, *args: str) -> Redeploy:
    """`make demo-redeploy DEMO_ARGS=...` while 20 requests a second go to the site through the load balancer's
    stand-in (its HTTPS listener, the local CA's certificate), from 5 s before to 5 s after."""
    site_url = f"https://127.0.0.1:{demo.env['AWS_INTRO_SITE_PORT']}/"
    with SteadyLoad(site_url, ca_file=str(demo.state / "ca" / "ca.crt")) as load:
        time.sleep(5)
        start = load.now()
        proc = make("demo-redeploy", f"DEMO_DIR={demo.state}", f"DEMO_ARGS={' '.join(args)}")
        end = load.now()
        time.sleep(5)
    play = PlayResult(rc=proc.returncode, stdout=proc.stdout + proc.stderr,
                      recap={m["host"]: m.groupdict() for m in _RECAP.finditer(proc.stdout)})
    print(f"make demo-redeploy {' '.join(args)}: {load.summary()}")  # the figures, with -s or on a failure
    return Redeploy(play, load, (start, end))


@pytest.fixture(scope="module")
def broken(demo, site):
    """`make demo-redeploy` of a revision that does not boot (its config.ru raises), while both hosts serve."""
    return redeploy_under_load(demo, "-e demo_revision=broken", "-e demo_broken=true",
                               "-e rails_app_health_check_timeout=15")


@pytest.fixture(scope="module")
def redeploy(demo, broken):
    """Then a good revision, which repairs the host the broken one stopped at and rolls to the other."""
    return redeploy_under_load(demo, "-e demo_revision=second")


def test_a_broken_revision_stops_at_the_first_host_which_stays_out_and_no_request_fails(broken, aws):
    names = hostnames(aws)
    assert broken.play.rc != 0, broken.play.stdout[-6000:]
    assert broken.play.stdout.count("PLAY [Configure the web hosts]") == 1  # the next batch did not start
    # The rescued request's failure, then the message that names the host and the check.
    failed = re.findall(r"^\[ERROR\]: Task failed: Action failed: (i-\w+): (.*)$", broken.play.stdout, re.M)
    assert len(failed) == 1, broken.play.stdout[-6000:]
    host, message = failed[0]
    assert message.startswith("the app did not answer 200 at http://127.0.0.1:3000/ within 15 s (last answer: "), \
        message
    assert "The host stays out of the load balancer's target group." in message
    (other,) = set(names) - {host}
    assert target_states(aws) == {other: "healthy"}
    load = broken.load
    assert load.summary().failed == [], load.summary().failed[:5]
    assert set(load.summary(until=broken.deploy[0]).hosts) == set(names.values())  # both served before
    after = load.summary(since=broken.deploy[1])
    assert (set(after.hosts), set(after.revisions)) == ({names[other]}, {"fixture-1"}), after


def test_a_redeploy_rolls_one_host_at_a_time_with_no_failed_request_to_the_new_revision(redeploy, web_hosts, aws):
    assert redeploy.play.rc == 0, redeploy.play.stdout[-6000:]
    # Two batches of one host (stack_web_serial 50%): one host out of the load balancer at a time. The host
    # the broken revision stopped at is out already; it comes back first.
    assert redeploy.play.stdout.count("PLAY [Configure the web hosts]") == 2
    left = handler_results(redeploy.play.stdout, "Take the host out of the load balancer before puma restarts")
    back = handler_results(redeploy.play.stdout,
                           "Put the host back into the load balancer and wait until it is healthy")
    assert sorted(re.findall(r"\[(i-\w+) -> localhost\]", "\n".join(left))) == web_hosts, left
    assert [line.split(":")[0] for line in back] == ["changed", "changed"], back
    assert target_states(aws) == dict.fromkeys(web_hosts, "healthy")
    for instance in instances(aws, "web"):  # the hosts' private addresses are reachable from this machine
        with urllib.request.urlopen(f"http://{instance['PrivateIpAddress']}:3000/", timeout=30) as page:
            assert page.read().decode().rstrip().endswith("revision=second"), instance["InstanceId"]
    load = redeploy.load
    assert load.summary().failed == [], load.summary().failed[:5]
    after = load.summary(since=redeploy.deploy[1])
    assert (set(after.hosts), set(after.revisions)) == (set(hostnames(aws).values()), {"second"}), after
    assert warnings(redeploy.play.stdout) == []


def test_a_second_hosts_run_changes_nothing(site, web_hosts, aws_env):
    # The demo converged under Ansible's stock strategy; the hosts play under Mitogen (aws_intro_linear) finds
    # nothing to do either, in two batches (the hosts serve). The whole cloud play's second run is
    # test_interrupted.py's (and each cloud role's file's), the stand-ins' the app tag's run below.
    again = run_playbook("playbooks/hosts.yml", {**aws_env, "ANSIBLE_STRATEGY": "aws_intro_linear"})
    assert again.rc == 0, again.stdout[-4000:]
    changed = {host: again.count("changed", host) for host in again.recap}
    assert changed == dict.fromkeys(again.recap, 0), again.changed_tasks()
    assert again.stdout.count("PLAY [Configure the web hosts]") == 2
    # The facts are read once, for both hosts at once, before the batches (which reuse them).
    assert again.stdout.count("TASK [Gathering Facts]") == 1, again.stdout[-4000:]
    # Nothing restarted, so no host left the load balancer.
    assert all(not line.startswith("changed") for line in
               handler_results(again.stdout, "Take the host out of the load balancer before puma restarts"))


def test_a_bad_setting_on_one_web_host_stops_every_host_before_the_first_batch(site, web_hosts, aws_env):
    # One host's rails_app_service_name is not a unit name (an extra var templated per host); the other's is the
    # default. The settings of every host are checked at once before any batch, and one failure stops them all:
    # no batch starts, nothing changes on either host.
    bad, good = web_hosts
    service = "{{ 'aws intro' if inventory_hostname == '%s' else 'aws-intro-sample' }}" % bad
    run = run_playbook("playbooks/hosts.yml", aws_env, {"rails_app_service_name": service})
    assert run.rc != 0, run.stdout[-4000:]
    assert "PLAY [Configure the web hosts]" not in run.stdout, run.stdout[-4000:]
    # The bad host's failure (its result, up to the blank line after it) names the variable.
    fatal = re.search(rf"^fatal: \[{bad}\]: FAILED!.*?(?:\n\n|\Z)", run.stdout, re.M | re.S)
    assert fatal, run.stdout[-4000:]
    assert "rails_app_service_name" in fatal.group(0), run.stdout[-4000:]
    assert (run.count("failed", bad), run.count("failed", good)) == (1, 0), run.recap
    assert {host: run.count("changed", host) for host in web_hosts} == dict.fromkeys(web_hosts, 0), run.changed_tasks()


def test_check_mode_on_the_converged_hosts_changes_nothing(site, web_hosts, aws_env):
    # The hosts play: each cloud role's check mode on its converged resources is its own test file's. Both hosts
    # in one batch: the serial deploy is proved above.
    check = run_playbook("playbooks/hosts.yml", aws_env, check=True, args=("-e", "stack_web_serial=100%"))
    assert check.rc == 0, check.stdout[-4000:]
    assert {host: check.count("changed", host) for host in check.recap} == dict.fromkeys(check.recap, 0), \
        check.changed_tasks()


HOST_ROLES = {"nginx", "ruby", "rails_app", "cloudwatch_agent"}


def role_of(tag: str) -> str:
    return "rails_app" if tag == "app" else tag


@pytest.mark.parametrize("tag", CLOUD_TAGS + HOST_TAGS)
def test_each_role_tag_selects_its_role_and_no_other_host_role(site, aws_env, tag):
    """What `--tags TAG` would run, listed without running it (--list-tasks): the role's own tasks, and of
    the host roles only that one. The cloud roles' tags run alone in their own test files (each converges
    with `--tags <role>` and asserts a second run changes nothing); below, the host roles' tags and the
    database's run alone on the demo's stack."""
    listed = run_playbook("local/site.yml", aws_env, args=("--tags", tag, "--list-tasks"))
    assert listed.rc == 0, listed.stdout[-4000:]
    roles = {m.group(1) for m in re.finditer(r"^\s+aws_intro\.stack\.(\w+) : (?!Validating arguments)",
                                             listed.stdout, re.M)}
    assert role_of(tag) in roles, listed.stdout[-4000:]
    assert roles & HOST_ROLES == ({role_of(tag)} if role_of(tag) in HOST_ROLES else set())


# The app (the host role that needs the others' work: nginx's site, Ruby, the database and cache addresses)
# alone on the converged stack changes nothing and runs no other host role. What every other tag selects is
# listed above (--list-tasks); each cloud role alone is run by its own test file.
@pytest.mark.parametrize("tag", ["app"])
def test_a_role_tag_works_alone_on_the_converged_stack(site, web_hosts, aws_env, tag):
    alone = run_playbook("local/site.yml", aws_env, args=("--tags", tag, "-e", "stack_web_serial=100%"))
    assert alone.rc == 0, alone.stdout[-4000:]
    assert {host: alone.count("changed", host) for host in alone.recap} == dict.fromkeys(alone.recap, 0), \
        alone.changed_tasks()
    # Role argument validation runs under every tag (ansible tags it `always`): not counted.
    roles_run = {m.group(1) for m in re.finditer(r"^aws_intro\.stack\.(\w+) : (?!Validating arguments)",
                                                   "\n".join(tasks_run(alone.stdout)), re.M)}
    assert role_of(tag) in roles_run
    # The host roles run only under their own tag (cloud roles may run their checks and lookups for others).
    assert roles_run & HOST_ROLES == ({role_of(tag)} if role_of(tag) in HOST_ROLES else set())
    # os_packages includes its apt path: the included tasks keep the calling role's tag, so they run.
    assert "aws_intro.stack.os_packages : Install the packages (Debian family, apt)" in tasks_run(alone.stdout), \
        tasks_run(alone.stdout)


# The report of the demo's stack (playbooks/report.yml, as make demo runs it).
@pytest.fixture(scope="module")
def reported(site, aws_env, tmp_path_factory):
    """A first report of the demo's stack into a directory of its own, run with -v (its output is checked for
    secrets)."""
    report_dir = tmp_path_factory.mktemp("report")
    result = report(aws_env, report_dir, "-v", inventory="inventories/local")
    assert result.rc == 0, result.stdout[-4000:]
    return result, report_dir


def test_a_first_report_writes_the_two_files(reported):
    result, report_dir = reported
    assert result.changed == 3, result.changed_tasks()  # the directory and the two files
    markdown, _svg = files(report_dir)
    assert f"![Diagram of stack {STACK}]({STACK}-diagram.svg)" in markdown
    assert parts(markdown) == dict.fromkeys(PARTS, "present")


def test_report_names_what_aws_holds(reported, aws):
    _result, report_dir = reported
    markdown, _svg = files(report_dir)
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [f"{STACK}-vpc"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
    alb = aws("elbv2").describe_load_balancers(Names=[f"{STACK}-alb"])["LoadBalancers"][0]
    db = aws("rds").describe_db_instances(DBInstanceIdentifier=f"{STACK}-db")["DBInstances"][0]
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId=f"{STACK}-cache")["ReplicationGroups"][0]
    buckets = [b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith(f"{STACK}-")]
    certificates = [c["CertificateArn"] for c in aws("acm").list_certificates()["CertificateSummaryList"]]
    zones = [z["Id"].split("/")[-1] for z in aws("route53").list_hosted_zones()["HostedZones"]]
    topic = [t["TopicArn"] for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":{STACK}-alarms")]
    expected = {
        "VPC id": vpc,
        "load balancer DNS name": alb["DNSName"],
        "load balancer ARN": alb["LoadBalancerArn"],
        "RDS endpoint": db["Endpoint"]["Address"],
        "RDS ARN": db["DBInstanceArn"],
        "Redis primary endpoint": group["NodeGroups"][0]["PrimaryEndpoint"]["Address"],
        "Redis reader endpoint": group["NodeGroups"][0]["ReaderEndpoint"]["Address"],
        "SNS topic": topic[0],
        "site URL": "https://aws-intro-sample.com",  # stack_domain of the local inventory
        "dashboard": "#dashboards/dashboard/sample",
    }
    expected.update({f"subnet {s}": s for s in subnets})
    expected.update({f"bucket {b}": b for b in buckets})
    expected.update({f"certificate {c}": c for c in certificates})
    expected.update({f"zone {z}": z for z in zones})
    expected.update({f"web instance {i}": i for i in web_instance_ids(aws)})
    missing = {what: value for what, value in expected.items() if value not in markdown}
    assert missing == {}
    assert len(buckets) == 1
    assert f"nodes ({len(group['MemberClusters'])})" in markdown
    alarms = aws("cloudwatch").describe_alarms(AlarmNamePrefix=f"{STACK}-alarm-")["MetricAlarms"]
    assert alarms
    assert all(f"`{a['AlarmName']}`" in markdown for a in alarms)


def test_diagram_has_a_box_per_web_instance(reported, aws):
    _result, report_dir = reported
    _markdown, svg = files(report_dir)
    drawn = boxes(svg)
    web = web_instance_ids(aws)
    assert len(web) == 2
    assert sorted(drawn["web-instance"]) == web
    assert set(drawn) == {"users", "zone", "certificate", "vpc", "subnet", "alb", "target-group", "web-instance",
                          "bastion", "database", "cache", "bucket", "mail", "monitoring"}  # the bastion: on by default
    bastion = aws("ec2").describe_instances(Filters=[
        {"Name": "tag:Stack", "Values": [STACK]}, {"Name": "tag:Role", "Values": ["bastion"]},
        {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
    assert drawn["bastion"] == [i["InstanceId"] for r in bastion for i in r["Instances"]]
    assert drawn["database"] == [f"{STACK}-db"]
    assert drawn["cache"] == [f"{STACK}-cache"]


def test_no_secret_in_the_report_or_the_output(reported, aws):
    result, report_dir = reported
    markdown, svg = files(report_dir)
    pages = aws("ssm").get_paginator("get_parameters_by_path").paginate(
        Path=f"/{STACK}", Recursive=True, WithDecryption=True)
    secrets = {p["Name"]: p["Value"] for page in pages for p in page["Parameters"] if p["Type"] == "SecureString"}
    # database master and app passwords, the SMTP user's access key id and password; and the app's
    # secret_key_base, which the hosts play keeps (rails_app) and the report, of the cloud parts, does not list
    app_secret = f"/{STACK}/secret_key_base"
    assert app_secret in secrets
    assert len(secrets) >= 5, sorted(secrets)
    for name, value in secrets.items():
        assert len(value) >= 8
        assert value not in markdown, name
        assert value not in svg, name
        assert value not in result.stdout, name
        assert name == app_secret or f"`{name}`" in markdown  # the parameter's name is shown instead


def test_the_cloud_plays_summary_shows_each_roles_outputs_and_no_secret(demo, site, aws):
    """The cloud play's last task prints every <role>_outputs (not the task's own __outputs), without a secret."""
    after = demo.stdout.split("TASK [Show what the stack is made of", 1)[1]
    lines = re.split(r"^(?:TASK|PLAY) ", after, maxsplit=1, flags=re.M)[0].splitlines()
    shown = [line.strip().rstrip(":") for line in lines if re.match(r"^ {8}\w+:$", line)]
    assert sorted(shown) == [f"{role}_outputs" for role in sorted(CLOUD_TAGS)], shown
    pages = aws("ssm").get_paginator("get_parameters_by_path").paginate(
        Path=f"/{STACK}", Recursive=True, WithDecryption=True)
    secrets = [p for page in pages for p in page["Parameters"] if p["Type"] == "SecureString"]
    assert len(secrets) >= 4
    summary = "\n".join(lines)
    for parameter in secrets:
        assert parameter["Value"] not in summary, parameter["Name"]
    assert "master_password_parameter" in summary  # a parameter's name is shown, its value never


def test_second_report_only_reads_and_changes_nothing(reported, aws_env):
    _first, report_dir = reported
    before = files(report_dir)
    with Recording(aws_env["AWS_ENDPOINT_URL"]) as rec:
        again = report(aws_env, report_dir, inventory="inventories/local")
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    assert files(report_dir) == before
    assert only_reads(rec) == []
