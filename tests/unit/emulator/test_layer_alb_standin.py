"""local/emulator/layer.py in-process (moto's mock_aws) driving the load balancer's stand-in: the target group's
registered targets become HAProxy servers that take no request before their checks pass, deregistered ones
drain then go, and DescribeTargetHealth reports what HAProxy's checks found.

HAProxy here is a stand-in of its runtime API on a Unix socket, answering as HAProxy 2.6 does (its `show stat`
header is the one HAProxy 2.6.12 printed); tests/integration/test_site.py drives the real HAProxy container."""

from __future__ import annotations

import socket
import threading
import time

import boto3
import pytest
from moto import mock_aws

from local.emulator import layer
from local.emulator.alb_standin import ServerState, target_health

REGION = "ap-northeast-2"
# The first columns of HAProxy 2.6.12's `show stat` header, in its order (the rest is not read).
SHOW_STAT_HEADER = ("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,"
                    "status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,"
                    "type,rate,rate_lim,rate_max,check_status,check_code,check_duration,addr")


class RuntimeApiStandIn:
    """HAProxy's runtime API for one backend: the commands it was sent, and servers whose state a test sets."""

    def __init__(self, path: str, backend: str) -> None:
        self.backend = backend
        self.sessions: list[list[str]] = []
        self.servers: dict[str, dict] = {}
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                commands = [c.strip() for c in connection.recv(65536).decode().strip().split(";")]
                self.sessions.append(commands)
                connection.sendall("".join(self.answer(c) for c in commands).encode())

    def answer(self, command: str) -> str:
        words = command.split()
        if command == "show stat":
            # A backend has its BACKEND row, servers or not.
            servers = [*self.servers.items(), ("BACKEND", {"status": "UP", "check_status": "", "check_code": "",
                                                           "addr": ""})]
            rows = [",".join([self.backend, name, *[""] * 15, s["status"], *[""] * 18, s["check_status"],
                              s["check_code"], "", s["addr"]]) for name, s in servers]
            return "\n".join([SHOW_STAT_HEADER, *rows, ""]) + "\n"
        backend, _, name = words[2].partition("/")
        if backend != self.backend:
            return f"No such backend '{backend}'.\n"
        if words[:2] == ["add", "server"]:
            self.servers[name] = {"status": "MAINT", "check_status": "", "check_code": "", "addr": words[3]}
            return "New server registered.\n"
        if words[:2] == ["del", "server"]:
            if self.servers[name]["status"] != "MAINT":
                return "Only servers in maintenance mode can be deleted.\n"
            del self.servers[name]
            return "Server deleted.\n"
        server = self.servers[name]
        if words[:2] == ["enable", "server"]:
            server["status"] = "UP"  # as HAProxy 2.6 does: out of maintenance, a server starts up
        elif words[-2:] == ["health", "down"]:
            server.update(status="DOWN", check_status="INI")
        elif words[-2:] == ["state", "drain"]:
            server["status"] = "DRAIN"
        elif words[-2:] == ["state", "maint"]:
            server["status"] = "MAINT"
        elif words[-2:] == ["state", "ready"]:
            server["status"] = "UP"
        return "\n"

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def aws(monkeypatch, tmp_path):
    """moto in-process with the draining fix and the stand-in's fix; HAProxy's socket path in the environment."""
    from moto.elbv2.models import ELBv2Backend, FakeTargetGroup

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("register", "deregister", "health_for"):
        monkeypatch.setattr(FakeTargetGroup, name, getattr(FakeTargetGroup, name))
    for name in ("register_targets", "deregister_targets", "describe_target_health"):
        monkeypatch.setattr(ELBv2Backend, name, getattr(ELBv2Backend, name))
    monkeypatch.setenv("LAYER_ELBV2_DRAINING_SECONDS", "0.3")
    monkeypatch.setenv("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "2")
    socket_path = tmp_path / "admin.sock"
    monkeypatch.setenv("LAYER_ELBV2_STANDIN_SOCKET", str(socket_path))
    layer.fix_elbv2_deregistration_draining()
    layer.fix_elbv2_alb_standin()
    with mock_aws():
        yield socket_path


@pytest.fixture
def haproxy(aws):
    stand_in = RuntimeApiStandIn(str(aws), "web")
    yield stand_in
    stand_in.close()


def target_group(instances: int = 1) -> tuple:
    """Instances at 10.0.0.10, .11, ... in a group with a 30 s interval and thresholds 3 / 2."""
    ec2, elb = boto3.client("ec2", region_name=REGION), boto3.client("elbv2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ids = [ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                             PrivateIpAddress=f"10.0.0.{10 + n}")["Instances"][0]["InstanceId"]
           for n in range(instances)]
    arn = elb.create_target_group(Name="web", Protocol="HTTP", Port=3000, VpcId=vpc, TargetType="instance",
                                  HealthCheckIntervalSeconds=30, HealthyThresholdCount=3,
                                  UnhealthyThresholdCount=2)["TargetGroups"][0]["TargetGroupArn"]
    return elb, arn, ids


def states(elb, arn) -> dict:
    found = elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"]
    return {t["Target"]["Id"]: (t["TargetHealth"]["State"], t["TargetHealth"].get("Reason")) for t in found}


def test_a_registered_target_becomes_a_server_that_waits_for_its_checks(haproxy):
    elb, arn, (instance,) = target_group()
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
    # One session: added (in maintenance), enabled and forced down at once, so no request reaches it before
    # `rise` checks pass; the interval is the group's 30 s shortened to LAYER_ELBV2_HEALTH_CHECK_SECONDS.
    assert [f"add server web/{instance} 10.0.0.10:3000 check port 3000 inter 2000 rise 3 fall 2",
            f"enable server web/{instance}", f"set server web/{instance} health down",
            f"enable health web/{instance}"] in haproxy.sessions
    assert states(elb, arn) == {instance: ("initial", "Elb.InitialHealthChecking")}
    haproxy.servers[instance].update(status="UP", check_status="L7OK", check_code="200")
    assert states(elb, arn) == {instance: ("healthy", None)}


def test_describe_target_health_reports_the_failed_checks(haproxy):
    elb, arn, (instance,) = target_group()
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
    haproxy.servers[instance].update(status="UP", check_status="L7OK", check_code="200")
    assert states(elb, arn) == {instance: ("healthy", None)}
    haproxy.servers[instance].update(status="DOWN", check_status="L7STS", check_code="502")
    assert states(elb, arn) == {instance: ("unhealthy", "Target.ResponseCodeMismatch")}
    haproxy.servers[instance].update(status="DOWN", check_status="L4CON", check_code="")
    assert states(elb, arn) == {instance: ("unhealthy", "Target.FailedHealthChecks")}


def test_a_new_target_whose_checks_fail_stays_initial_until_the_unhealthy_threshold(aws, monkeypatch):
    # UnhealthyThresholdCount 2 at an interval shortened to 0.2 s: failed checks decide after 0.4 s.
    monkeypatch.setenv("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "0.2")
    haproxy = RuntimeApiStandIn(str(aws), "web")
    try:
        elb, arn, (instance,) = target_group()
        elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
        haproxy.servers[instance].update(status="DOWN", check_status="L7STS", check_code="502")
        assert states(elb, arn) == {instance: ("initial", "Elb.InitialHealthChecking")}
        time.sleep(0.45)
        assert states(elb, arn) == {instance: ("unhealthy", "Target.ResponseCodeMismatch")}
    finally:
        haproxy.close()


def test_a_deregistered_target_drains_then_its_server_is_deleted(haproxy):
    elb, arn, (instance, other) = target_group(2)
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": i, "Port": 3000} for i in (instance, other)])
    for server in haproxy.servers.values():
        server.update(status="UP", check_status="L7OK", check_code="200")
    elb.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
    assert haproxy.servers[instance]["status"] == "DRAIN"  # no new request from the deregistration on
    assert states(elb, arn) == {instance: ("draining", "Target.DeregistrationInProgress"), other: ("healthy", None)}
    time.sleep(0.35)  # the deregistration delay (LAYER_ELBV2_DRAINING_SECONDS)
    assert states(elb, arn) == {other: ("healthy", None)}
    assert instance not in haproxy.servers
    assert [f"set server web/{instance} state maint", f"del server web/{instance}"] in haproxy.sessions


def test_a_target_registered_again_while_it_drains_waits_for_its_checks_again(haproxy):
    elb, arn, (instance,) = target_group()
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
    haproxy.servers[instance].update(status="UP", check_status="L7OK", check_code="200")
    elb.deregister_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
    assert [f"set server web/{instance} state ready", f"set server web/{instance} health down"] in haproxy.sessions
    assert states(elb, arn)[instance][0] == "initial"


def test_a_new_stand_in_gets_the_registered_targets_when_their_health_is_asked(aws):
    elb, arn, (instance,) = target_group()
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])  # no HAProxy yet
    haproxy = RuntimeApiStandIn(str(aws), "web")
    try:
        assert states(elb, arn) == {instance: ("initial", "Elb.InitialHealthChecking")}
        assert list(haproxy.servers) == [instance]
    finally:
        haproxy.close()


def test_without_a_backend_for_the_group_the_layers_own_check_answers(aws, monkeypatch):
    haproxy = RuntimeApiStandIn(str(aws), "another-group")
    monkeypatch.setenv("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "0")  # the health check fix is off: moto's answer
    try:
        elb, arn, (instance,) = target_group()
        elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": 3000}])
        assert states(elb, arn) == {instance: ("healthy", None)}
        assert haproxy.servers == {}
    finally:
        haproxy.close()


@pytest.mark.parametrize(("status", "check", "code", "expected"), [
    ("DOWN", "INI", "", ("initial", "Elb.InitialHealthChecking")),
    ("DOWN 1/3", "L7OK", "200", ("initial", "Elb.InitialHealthChecking")),
    ("UP", "L7OK", "200", ("healthy", None)),
    ("UP 1/2", "L7STS", "500", ("healthy", None)),  # one failed check, below the unhealthy threshold
    ("DOWN", "L7STS", "500", ("unhealthy", "Target.ResponseCodeMismatch")),
    ("DOWN", "L4TOUT", "", ("unhealthy", "Target.Timeout")),
    ("DOWN", "L7TOUT", "", ("unhealthy", "Target.Timeout")),
    ("DOWN", "L4CON", "", ("unhealthy", "Target.FailedHealthChecks")),
])
def test_haproxys_check_states_are_elbs_target_states(status, check, code, expected):
    assert target_health(ServerState("i-1", "10.0.0.10:3000", status, check, code))[:2] == expected


@pytest.mark.parametrize(("status", "check", "expected"), [
    ("DOWN", "L7STS", "initial"),  # failed checks of a new target: not enough of them yet
    ("DOWN", "L4CON", "initial"),
    ("UP", "L7OK", "healthy"),
])
def test_a_new_targets_checks_decide_only_after_the_threshold(status, check, expected):
    assert target_health(ServerState("i-1", "10.0.0.10:3000", status, check, ""), deciding=True)[0] == expected
