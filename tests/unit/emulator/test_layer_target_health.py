"""local/emulator/layer.py in-process (moto's mock_aws): a registered instance target is healthy only when an HTTP
check of its private address on the target group's path and port answers a success code."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from typing import ClassVar

import boto3
import pytest
from moto import mock_aws

from local.emulator import layer

REGION = "ap-northeast-2"


class Answer(http.server.BaseHTTPRequestHandler):
    code = 200
    paths: ClassVar[list] = []

    def do_GET(self):
        Answer.paths.append((self.path, self.headers.get("User-Agent")))
        self.send_response(Answer.code)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def app():
    """An HTTP server on 127.0.0.1 standing in for the app on the instance; yields its port."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Answer.code, Answer.paths[:] = 200, []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def aws(monkeypatch):
    from moto.elbv2.models import FakeTargetGroup

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setattr(FakeTargetGroup, "health_for", FakeTargetGroup.health_for)
    monkeypatch.setenv("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "0.01")
    layer.fix_elbv2_target_health_checks()
    with mock_aws():
        yield


def target_group(port: int, path: str = "/up", matcher: str = "200") -> tuple:
    """An instance at 127.0.0.1 (the loopback stands in for its private address), registered in a group."""
    ec2, elb = boto3.client("ec2", region_name=REGION), boto3.client("elbv2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="127.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="127.0.0.0/24")["Subnet"]["SubnetId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet,
                                 PrivateIpAddress="127.0.0.1")["Instances"][0]["InstanceId"]
    group = elb.create_target_group(Name="web", Protocol="HTTP", Port=port, VpcId=vpc, TargetType="instance",
                                    HealthCheckPath=path, Matcher={"HttpCode": matcher})["TargetGroups"][0]
    arn = group["TargetGroupArn"]
    elb.register_targets(TargetGroupArn=arn, Targets=[{"Id": instance, "Port": port}])
    return elb, arn


def health(elb, arn) -> tuple:
    found = elb.describe_target_health(TargetGroupArn=arn)["TargetHealthDescriptions"][0]["TargetHealth"]
    return found["State"], found.get("Reason")


def test_a_target_that_answers_the_check_is_healthy_on_the_groups_path(aws, app):
    elb, arn = target_group(app)
    assert health(elb, arn) == ("healthy", None)
    assert Answer.paths == [("/up", "ELB-HealthChecker/2.0")]


def test_a_target_with_nothing_listening_is_unhealthy(aws):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    elb, arn = target_group(closed)
    assert health(elb, arn) == ("unhealthy", "Target.FailedHealthChecks")


def test_an_answer_outside_the_matcher_is_a_response_code_mismatch_until_the_app_recovers(aws, app, monkeypatch):
    # An interval the second read surely falls within, on a loaded machine too (0.01 s did not, beside lint and sanity).
    monkeypatch.setenv("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "1")
    elb, arn = target_group(app, matcher="200-299")
    Answer.code = 500
    assert health(elb, arn) == ("unhealthy", "Target.ResponseCodeMismatch")
    Answer.code = 204
    assert health(elb, arn) == ("unhealthy", "Target.ResponseCodeMismatch")  # the last check, within its interval
    time.sleep(1.1)
    assert health(elb, arn) == ("healthy", None)


def test_the_check_is_off_at_zero_seconds_moto_reports_healthy(aws, app, monkeypatch):
    monkeypatch.setenv("LAYER_ELBV2_HEALTH_CHECK_SECONDS", "0")
    elb, arn = target_group(app)
    Answer.code = 500
    assert health(elb, arn) == ("healthy", None)
    assert Answer.paths == []


@pytest.mark.parametrize(("code", "matcher", "expected"), [
    (200, "200", True), (302, "200,302", True), (299, "200-299", True), (300, "200-299", False), (500, "", False)])
def test_the_matcher_reads_codes_lists_and_ranges(code, matcher, expected):
    assert layer._matches(code, matcher) is expected
