"""A minimal network for the database and cache role tests, made with boto3 the way the network role
names and tags it (what roles/network/tasks/lookup.yml finds): the VPC, two public and two private
subnets in two zones, the web/db/cache security groups with the db and cache ports open to web only,
and the private zone `home` attached to the VPC. Building it directly keeps these tests to the role
under test (a network converge takes minutes); test_network.py covers the network role itself."""

from __future__ import annotations

STACK = "sample"  # inventories/local/group_vars/all/stack.yml
REGION = "ap-northeast-2"


def build_network(aws, stack: str = STACK) -> dict:
    ec2 = aws("ec2")
    tags = [{"Key": "Stack", "Value": stack}, {"Key": "ManagedBy", "Value": "aws_intro.stack"}]

    def tagged(resource_type, name, extra=()):
        return [{"ResourceType": resource_type, "Tags": [*tags, {"Key": "Name", "Value": name}, *extra]}]

    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=tagged("vpc", f"{stack}-vpc"))["Vpc"]["VpcId"]
    subnets = {"public": [], "private": []}
    plan = [("public", "10.0.0.0/24", "a"), ("public", "10.0.1.0/24", "b"),
            ("private", "10.0.10.0/24", "a"), ("private", "10.0.11.0/24", "b")]
    for tier, cidr, zone in plan:
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=f"{REGION}{zone}",
                                   TagSpecifications=tagged("subnet", f"{stack}-{tier}-{zone}",
                                                            [{"Key": "Tier", "Value": tier}]))
        subnets[tier].append(subnet["Subnet"]["SubnetId"])
    groups = {}
    for purpose in ("alb", "bastion", "web", "db", "cache"):
        groups[purpose] = ec2.create_security_group(
            GroupName=f"{stack}-{purpose}", Description=f"{stack} {purpose}", VpcId=vpc,
            TagSpecifications=tagged("security-group", f"{stack}-{purpose}"))["GroupId"]
    for purpose, port in (("db", 3306), ("cache", 6379)):
        ec2.authorize_security_group_ingress(GroupId=groups[purpose], IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": port, "ToPort": port, "UserIdGroupPairs": [{"GroupId": groups["web"]}]}])
    zone = aws("route53").create_hosted_zone(
        Name="home", CallerReference=f"{stack}-home", VPC={"VPCRegion": REGION, "VPCId": vpc},
        HostedZoneConfig={"Comment": f"{stack} private zone", "PrivateZone": True})
    return {"vpc_id": vpc, "public_subnet_ids": subnets["public"], "private_subnet_ids": subnets["private"],
            "security_group_ids": groups, "private_zone_id": zone["HostedZone"]["Id"].split("/")[-1]}
