"""local/emulator/layer.py in-process (moto's mock_aws): a target group's LoadBalancerArns names the load balancers
whose listeners forward to it now, once each (moto appended one per listener and never took it out)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from local.emulator import layer

REGION = "ap-northeast-2"


@pytest.fixture
def elb(monkeypatch):
    from moto.elbv2.models import ELBv2Backend

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setattr(ELBv2Backend, "describe_target_groups", ELBv2Backend.describe_target_groups)
    layer.fix_elbv2_target_group_load_balancer_arns()
    with mock_aws():
        yield boto3.client("elbv2", region_name=REGION)


def stack(elb) -> tuple[str, str]:
    """A load balancer and a target group (no listener yet)."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")["Subnet"]
               ["SubnetId"] for i, az in enumerate("ac")]
    balancer = elb.create_load_balancer(Name="alb", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    group = elb.create_target_group(Name="web", Protocol="HTTP", Port=3000, VpcId=vpc)["TargetGroups"][0]
    return balancer, group["TargetGroupArn"]


def forward(group: str) -> list:
    return [{"Type": "forward", "TargetGroupArn": group}]


def balancers_of(elb, group: str) -> list:
    return elb.describe_target_groups(TargetGroupArns=[group])["TargetGroups"][0]["LoadBalancerArns"]


def test_two_listeners_forwarding_name_the_load_balancer_once(elb):
    balancer, group = stack(elb)
    assert balancers_of(elb, group) == []
    elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=forward(group))
    elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=8080, DefaultActions=forward(group))
    assert balancers_of(elb, group) == [balancer]


def test_a_listener_that_no_longer_forwards_or_is_gone_lets_the_group_go(elb):
    balancer, group = stack(elb)
    listener = elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80,
                                   DefaultActions=forward(group))["Listeners"][0]["ListenerArn"]
    elb.modify_listener(ListenerArn=listener, DefaultActions=[
        {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "503"}}])
    assert balancers_of(elb, group) == []
    elb.modify_listener(ListenerArn=listener, DefaultActions=forward(group))
    assert balancers_of(elb, group) == [balancer]
    elb.delete_listener(ListenerArn=listener)
    assert balancers_of(elb, group) == []


def test_a_deleted_load_balancer_is_not_named(elb):
    balancer, group = stack(elb)
    elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=forward(group))
    elb.delete_load_balancer(LoadBalancerArn=balancer)
    assert balancers_of(elb, group) == []
    assert elb.describe_target_groups(Names=["web"])["TargetGroups"][0]["LoadBalancerArns"] == []
