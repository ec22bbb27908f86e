"""local/emulator/layer.py in-process (moto's mock_aws): after a load balancer or a DB instance is deleted, its
security groups and subnets answer DependencyViolation for LAYER_ENI_LINGER_SECONDS, then delete."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local.emulator import layer

LINGER = 0.5


@pytest.fixture
def ec2_world(monkeypatch):
    from moto.ec2.models.security_groups import SecurityGroupBackend
    from moto.ec2.models.subnets import SubnetBackend
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elbv2.models import ELBv2Backend
    from moto.rds.models import RDSBackend

    for cls, name in ((SecurityGroupBackend, "delete_security_group"), (SubnetBackend, "delete_subnet"),
                      (ELBv2Backend, "delete_load_balancer"), (RDSBackend, "delete_db_instance"),
                      (ElastiCacheBackend, "delete_replication_group")):
        monkeypatch.setattr(cls, name, getattr(cls, name))
    monkeypatch.setenv("LAYER_ENI_LINGER_SECONDS", str(LINGER))
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    layer.fix_lingering_network_interfaces()
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="ap-northeast-2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"ap-northeast-2{z}")
                   ["Subnet"]["SubnetId"] for i, z in ((0, "a"), (1, "b"))]
        group = ec2.create_security_group(GroupName="g", Description="g", VpcId=vpc)["GroupId"]
        yield ec2, subnets, group


def code(call) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def held_then_freed(ec2, group: str, subnet: str) -> None:
    """The group and the subnet refuse deletion (DependencyViolation), then delete once the linger is over."""
    assert code(lambda: ec2.delete_security_group(GroupId=group)) == "DependencyViolation"
    assert code(lambda: ec2.delete_subnet(SubnetId=subnet)) == "DependencyViolation"
    time.sleep(LINGER + 0.1)
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnet)


def test_a_deleted_load_balancer_holds_its_group_and_subnets_a_while(ec2_world):
    ec2, subnets, group = ec2_world
    elb = boto3.client("elbv2", region_name="ap-northeast-2")
    arn = elb.create_load_balancer(Name="alb", Subnets=subnets, SecurityGroups=[group])["LoadBalancers"][0][
        "LoadBalancerArn"]
    elb.delete_load_balancer(LoadBalancerArn=arn)
    held_then_freed(ec2, group, subnets[0])


def test_a_deleted_db_instance_holds_its_group_and_subnets_a_while(ec2_world):
    ec2, subnets, group = ec2_world
    rds = boto3.client("rds", region_name="ap-northeast-2")
    rds.create_db_subnet_group(DBSubnetGroupName="db", DBSubnetGroupDescription="db", SubnetIds=subnets)
    rds.create_db_instance(DBInstanceIdentifier="db", Engine="mysql", DBInstanceClass="db.t3.micro",
                           MasterUsername="admin", MasterUserPassword="secret-password", AllocatedStorage=20,
                           DBSubnetGroupName="db", VpcSecurityGroupIds=[group])
    rds.delete_db_instance(DBInstanceIdentifier="db", SkipFinalSnapshot=True)
    rds.delete_db_subnet_group(DBSubnetGroupName="db")
    held_then_freed(ec2, group, subnets[1])


def test_groups_and_subnets_of_no_deleted_resource_delete_at_once(ec2_world):
    ec2, subnets, group = ec2_world
    ec2.delete_security_group(GroupId=group)
    ec2.delete_subnet(SubnetId=subnets[0])
