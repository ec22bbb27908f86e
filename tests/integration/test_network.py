"""The network role against the emulator: converge, idempotence, check mode, the exact
security-group rules, the S3 gateway endpoint, the published outputs, the local inventory, and (in
this order, each changing the stack) a newer AMI with and without replacement, changed network
tags, a duplicate web host and a smaller count."""

from __future__ import annotations

import base64
import datetime
import json
import re
import subprocess
import sys
import urllib.parse

import pytest

from local.emulator.recorder import Recording, call_name
from tests.integration.ansible_runner import REPO, ansible_env, handler_results, run_playbook
from tests.integration.images import DEBIAN_OWNER, DEBIAN_SOURCE, publish_image

TEST_INVENTORY = "tests/integration/inventory"
# cloud.yml runs every cloud role; these tests are about the network role alone.
NETWORK_ONLY = ("--tags", "network")
ADMIN_CIDR = "203.0.113.0/24"  # inventories/local/group_vars/all/network.yml


def _ingress(permissions: list, purpose_of: dict) -> set:
    """IpPermissions as a set of (protocol, from, to, source) with SG sources named by purpose."""
    rules = set()
    for perm in permissions:
        key = (perm["IpProtocol"], perm.get("FromPort"), perm.get("ToPort"))
        rules.update((*key, "cidr", r["CidrIp"]) for r in perm.get("IpRanges", []))
        rules.update((*key, "sg", purpose_of.get(p["GroupId"], p["GroupId"])) for p in perm.get("UserIdGroupPairs", []))
    return rules


@pytest.fixture(scope="module")
def converged(emulator, aws_env):
    """A fresh emulator and one converge of the real cloud play (network tag) with the local inventory."""
    emulator.reset()
    result = run_playbook("network.yml", aws_env, args=("--tags", "network"))
    assert result.rc == 0, result.stdout[-4000:]
    return result


@pytest.fixture(scope="module")
def outputs(converged):
    return converged.outputs["network_outputs"]


def test_converge_makes_changes_and_publishes_outputs(converged, outputs):
    assert converged.failed == 0
    assert converged.changed > 0
    for key in ("vpc_id", "alb_arn", "alb_dns_name", "alb_zone_id", "target_group_arn",
                "private_zone_id", "alb_http_listener_arn"):
        assert outputs[key], key
    # No certificate given (no dns role in this run): HTTP alone.
    assert outputs["alb_https_listener_arn"] == outputs["alb_certificate_arn"] == ""
    assert len(outputs["public_subnet_ids"]) == 2
    assert len(outputs["private_subnet_ids"]) == 2
    assert set(outputs["security_group_ids"]) == {"alb", "web", "db", "cache", "bastion"}
    assert len(outputs["web_instance_ids"]) == 2


def test_vpc_subnets_and_routes(aws, outputs):
    ec2 = aws("ec2")
    vpc = ec2.describe_vpcs(VpcIds=[outputs["vpc_id"]])["Vpcs"][0]
    assert vpc["CidrBlock"] == "10.0.0.0/16"
    subnets = {s["SubnetId"]: s for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["Subnets"]}
    public = [subnets[i] for i in outputs["public_subnet_ids"]]
    private = [subnets[i] for i in outputs["private_subnet_ids"]]
    assert sorted(s["CidrBlock"] for s in public) == ["10.0.0.0/24", "10.0.1.0/24"]
    assert sorted(s["CidrBlock"] for s in private) == ["10.0.10.0/24", "10.0.11.0/24"]
    assert len({s["AvailabilityZone"] for s in public}) == 2
    assert {s["AvailabilityZone"] for s in public} == {s["AvailabilityZone"] for s in private}
    assert all(s["MapPublicIpOnLaunch"] for s in public)
    assert not any(s["MapPublicIpOnLaunch"] for s in private)

    igw = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [outputs["vpc_id"]]}])["InternetGateways"]
    assert len(igw) == 1
    nat = ec2.describe_nat_gateways(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["NatGateways"]
    assert [n["SubnetId"] for n in nat if n["State"] in ("pending", "available")] == [outputs["public_subnet_ids"][0]]

    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["RouteTables"]

    def default_route(subnet_id):
        table = next(t for t in tables if any(a.get("SubnetId") == subnet_id for a in t["Associations"]))
        return next(r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0")

    for subnet_id in outputs["public_subnet_ids"]:
        assert default_route(subnet_id)["GatewayId"] == igw[0]["InternetGatewayId"]
    for subnet_id in outputs["private_subnet_ids"]:
        assert default_route(subnet_id)["NatGatewayId"] == nat[0]["NatGatewayId"]


def test_security_group_rules_are_exactly_as_specified(aws, outputs):
    ids = outputs["security_group_ids"]
    purpose_of = {v: k for k, v in ids.items()}
    groups = {purpose_of[g["GroupId"]]: g for g in aws("ec2").describe_security_groups(GroupIds=list(ids.values()))[
        "SecurityGroups"]}
    expected = {
        "alb": {("tcp", 80, 80, "cidr", "0.0.0.0/0"), ("tcp", 443, 443, "cidr", "0.0.0.0/0")},
        "bastion": {("tcp", 22, 22, "cidr", ADMIN_CIDR)},
        # The bastion is on by default (stack_connection ssh): SSH to the web hosts comes from it only.
        "web": {("tcp", 3000, 3000, "sg", "alb"), ("tcp", 22, 22, "sg", "bastion")},
        "db": {("tcp", 3306, 3306, "sg", "web")},
        "cache": {("tcp", 6379, 6379, "sg", "web")},
    }
    assert {k: _ingress(g["IpPermissions"], purpose_of) for k, g in groups.items()} == expected
    for group in groups.values():
        assert _ingress(group["IpPermissionsEgress"], purpose_of) == {("-1", None, None, "cidr", "0.0.0.0/0")}


def test_web_instances_spread_over_private_subnets(aws, outputs):
    reservations = aws("ec2").describe_instances(InstanceIds=outputs["web_instance_ids"])["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    assert sorted(i["SubnetId"] for i in instances) == sorted(outputs["private_subnet_ids"])
    assert all(i["State"]["Name"] == "running" for i in instances)
    assert all([g["GroupId"] for g in i["SecurityGroups"]] == [outputs["security_group_ids"]["web"]]
               for i in instances)
    assert all(i["MetadataOptions"]["HttpTokens"] == "required" for i in instances)
    images = aws("ec2").describe_images(ImageIds=list({i["ImageId"] for i in instances}))["Images"]
    assert [img["Name"] for img in images] == ["debian-12-amd64-20261020-2270"]  # the newest Debian 12


def test_load_balancer_forwards_http_to_the_web_target_group(aws, outputs):
    elb = aws("elbv2")
    alb = elb.describe_load_balancers(LoadBalancerArns=[outputs["alb_arn"]])["LoadBalancers"][0]
    assert alb["Scheme"] == "internet-facing"
    assert sorted(az["SubnetId"] for az in alb["AvailabilityZones"]) == sorted(outputs["public_subnet_ids"])
    assert alb["SecurityGroups"] == [outputs["security_group_ids"]["alb"]]
    listeners = elb.describe_listeners(LoadBalancerArn=outputs["alb_arn"])["Listeners"]
    assert [(entry["Port"], entry["Protocol"]) for entry in listeners] == [(80, "HTTP")]
    assert listeners[0]["DefaultActions"][0]["TargetGroupArn"] == outputs["target_group_arn"]
    group = elb.describe_target_groups(TargetGroupArns=[outputs["target_group_arn"]])["TargetGroups"][0]
    assert (group["Port"], group["HealthCheckPath"]) == (3000, "/")
    targets = elb.describe_target_health(TargetGroupArn=outputs["target_group_arn"])["TargetHealthDescriptions"]
    assert sorted(t["Target"]["Id"] for t in targets) == sorted(outputs["web_instance_ids"])
    assert {t["Target"]["Port"] for t in targets} == {3000}


def test_private_zone_home_is_attached_to_the_vpc(aws, outputs):
    zone = aws("route53").get_hosted_zone(Id=outputs["private_zone_id"])
    assert zone["HostedZone"]["Name"] == "home."
    assert zone["HostedZone"]["Config"]["PrivateZone"] is True
    assert [v["VPCId"] for v in zone["VPCs"]] == [outputs["vpc_id"]]


LOOKUP_READS = ("Look up the VPC", "Look up the subnets", "Look up the security groups", "Look up the target group",
                "Look up the load balancer the target group serves", "Look up the S3 gateway endpoints of the VPC",
                "List the hosted zones")


def test_second_run_changes_nothing(converged, outputs, aws_env, recording):
    with recording() as rec:
        again = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    # The closing lookup publishes what the role has just made or found, as the modules returned it, and reads
    # only the instances: the same outputs as the first run's (which test_lookup_alone_finds_the_same_outputs
    # compares with a lookup that reads everything).
    assert again.outputs["network_outputs"] == outputs
    for read in LOOKUP_READS:
        assert handler_results(again.stdout, f"network : {read}]") == ["skipping: [localhost]"], read
    assert handler_results(again.stdout, "network : Look up the web instances and the bastion]") == ["ok: [localhost]"]
    # Read once each, by the role.
    calls = rec.summary()["by_call"]
    expected = {"ec2:DescribeVpcs": 1, "ec2:DescribeSubnets": 1, "ec2:DescribeVpcEndpoints": 1}
    assert {read: calls.get(read) for read in expected} == expected, calls


def test_check_mode_on_the_converged_network_reports_no_change(converged, outputs, aws_env):
    check = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()
    # Check mode reads everything back (the modules predict, they return no resource): the same outputs.
    assert check.outputs["network_outputs"] == outputs


SG_TASKS = [f"aws_intro.stack.network : Create the security groups, or change the ones that differ, {step}"
            for step in ("alb, bastion", "web", "db, cache")]
SG_TASK = SG_TASKS[2]
MYSQL_TO_THE_WORLD = {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def task_output(stdout: str, task: str) -> str:
    """What the play printed under the banner of that task (its results, and its diff in --diff mode)."""
    start = stdout.index(f"TASK [{task}]")
    end = stdout.find("\nTASK [", start + 1)
    return stdout[start:end if end > 0 else None]


def test_mysql_opened_to_the_world_is_reported_by_check_mode_then_closed(converged, outputs, aws, aws_env,
                                                                           recording):
    """Out-of-band change of tests/integration/drift.py: 3306 from 0.0.0.0/0 added on the db group by hand."""
    ec2, db = aws("ec2"), outputs["security_group_ids"]["db"]
    purpose_of = {v: k for k, v in outputs["security_group_ids"].items()}

    def db_rules() -> set:
        return _ingress(ec2.describe_security_groups(GroupIds=[db])["SecurityGroups"][0]["IpPermissions"], purpose_of)

    before = db_rules()
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[MYSQL_TO_THE_WORLD])
    opened = before | {("tcp", 3306, 3306, "cidr", "0.0.0.0/0")}
    assert db_rules() == opened
    with recording() as rec:
        check = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed_tasks() == [SG_TASK], check.changed_tasks()
    assert "0.0.0.0/0" in task_output(check.stdout, SG_TASK), task_output(check.stdout, SG_TASK)
    assert rec.writes() == {}, "check mode must not change anything"
    assert db_rules() == opened
    repair = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY)
    assert repair.rc == 0, repair.stdout[-4000:]
    assert repair.changed_tasks() == [SG_TASK], repair.changed_tasks()
    # The module ran for the db group alone (the filter left out the cache group, and the other steps' groups).
    items = re.findall(r"^(\w+): \[localhost\] => \(item=(.+)\)$", task_output(repair.stdout, SG_TASK), re.MULTILINE)
    assert items == [("changed", "sample-db")], items
    assert db_rules() == before == {("tcp", 3306, 3306, "sg", "web")}


VPC_TASK = "aws_intro.stack.network : Create the VPC, or change it where it differs"
SUBNET_TASK = "aws_intro.stack.network : Create the public and private subnets, or change the ones that differ"
ROUTE_TABLE_TASK = ("aws_intro.stack.network : Route the public subnets to the internet gateway and the private ones "
                    "through the NAT gateway")
HAND_ROUTE = {"DestinationCidrBlock": "198.51.100.0/24"}
WEB_TASK = "aws_intro.stack.network : Launch the web host in the private subnets in turn"
WEB_2_TASK = f"{WEB_TASK}, sample-web-2"
BASTION_TASK = "aws_intro.stack.network : Launch the bastion in the first public subnet, or terminate it when it is off"
IGW_TASK = "aws_intro.stack.network : Attach an internet gateway"
NAT_TASK = "aws_intro.stack.network : Create the NAT gateway in the first public subnet"
S3_TASK = "aws_intro.stack.network : S3 gateway endpoint on the private route table"
DRIFTED_TASKS = [VPC_TASK, SUBNET_TASK, IGW_TASK, NAT_TASK, ROUTE_TABLE_TASK, S3_TASK, WEB_2_TASK]


def test_the_vpc_subnets_route_tables_and_security_groups_are_read_once_and_drifted_ones_alone_are_put_back(
        converged, outputs, aws, aws_env, recording):
    """ec2_vpc_net runs only when the VPC read first differs, ec2_vpc_subnet, ec2_vpc_route_table and
    ec2_security_group only for a subnet, table or group that differs in one read of each, ec2_vpc_igw,
    ec2_vpc_nat_gateway and ec2_vpc_endpoint only when the gateway or endpoint read first is tagged otherwise. Here
    DNS hostnames turned off on the VPC, the second public subnet's MapPublicIpOnLaunch turned off and its Tier tag
    changed, a route added to the public route table, and the ManagedBy tag of the gateways and the endpoint
    changed, by hand (a group's drift: test_mysql_opened_to_the_world_...)."""
    ec2 = aws("ec2")
    vpc_id, drifted = outputs["vpc_id"], outputs["public_subnet_ids"][1]
    public_table = _route_table_of(ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])[
        "RouteTables"], drifted)["RouteTableId"]

    gateways = [_internet_gateway_of(ec2, vpc_id), ec2.describe_nat_gateways(Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "state", "Values": ["available"]}])[
        "NatGateways"][0]["NatGatewayId"], outputs["s3_endpoint_id"]]

    def managed_by() -> set:
        found = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": gateways},
                                           {"Name": "key", "Values": ["ManagedBy"]}])["Tags"]
        return {(t["ResourceId"], t["Value"]) for t in found}

    def state() -> tuple:
        subnet = ec2.describe_subnets(SubnetIds=[drifted])["Subnets"][0]
        hostnames = ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]
        routes = ec2.describe_route_tables(RouteTableIds=[public_table])["RouteTables"][0]["Routes"]
        return (hostnames["Value"], subnet["MapPublicIpOnLaunch"],
                {t["Key"]: t["Value"] for t in subnet["Tags"]}["Tier"],
                any(route.get("DestinationCidrBlock") == HAND_ROUTE["DestinationCidrBlock"] for route in routes))

    with recording() as rec:
        again = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    calls = rec.summary()["by_call"]
    # The VPC: the role's read (7 DescribeVpcs and 8 DescribeVpcAttribute when the module ran; the closing lookup
    # takes the role's).
    assert (calls.get("ec2:DescribeVpcs"), calls.get("ec2:DescribeVpcAttribute")) == (1, 2), calls
    # One DescribeSubnets for the four subnets (22 before: the module read each one four times, each route table
    # module once; 4 more when ec2_instance ran for each of the three instances).
    assert calls.get("ec2:DescribeSubnets") == 1, calls
    # One DescribeRouteTables for the VPC's tables (9 when the module read each of the stack's two four times).
    assert calls.get("ec2:DescribeRouteTables") == 1, calls
    # One DescribeSecurityGroups for the five groups (20 before: the module read each group three times, once
    # with every group of the region), and the load balancer's (3 more when ec2_instance ran for each instance).
    assert calls.get("ec2:DescribeSecurityGroups") == 2, calls
    # The gateways and the endpoint are read once each (3 DescribeInternetGateways, 2 DescribeNatGateways and 2
    # DescribeVpcEndpoints, with 4 DescribeTags, when their modules ran).
    for read in ("ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeVpcEndpoints"):
        assert calls.get(read) == 1, (read, calls)
    for task in (IGW_TASK, NAT_TASK, S3_TASK):
        assert "skipping: [localhost]" in task_output(again.stdout, task), task
    # The instances are read once by the role and once by the lookup; ec2_instance read each one's attributes twice.
    assert calls.get("ec2:DescribeInstanceAttribute") is None, calls
    assert "skipping: [localhost]" in task_output(again.stdout, VPC_TASK)
    for task in (SUBNET_TASK, ROUTE_TABLE_TASK, *SG_TASKS):
        assert "ok: [localhost] => (item=" not in task_output(again.stdout, task)
    # Neither a web host's launch nor the bastion's ran.
    assert f"TASK [{WEB_TASK}" not in again.stdout
    assert "skipping: [localhost]" in task_output(again.stdout, BASTION_TASK)

    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": False})
    ec2.create_tags(Resources=[outputs["web_instance_ids"][1]], Tags=[{"Key": "ManagedBy", "Value": "hand"}])
    ec2.modify_subnet_attribute(SubnetId=drifted, MapPublicIpOnLaunch={"Value": False})
    ec2.create_tags(Resources=[drifted], Tags=[{"Key": "Tier", "Value": "private"}])
    ec2.create_route(RouteTableId=public_table, GatewayId=_internet_gateway_of(ec2, vpc_id), **HAND_ROUTE)
    ec2.create_tags(Resources=gateways, Tags=[{"Key": "ManagedBy", "Value": "hand"}])
    with recording() as rec:
        check = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed_tasks() == DRIFTED_TASKS, check.changed_tasks()
    assert rec.writes() == {}, "check mode must not change anything"
    assert state() == (False, False, "private", True)
    assert managed_by() == {(resource, "hand") for resource in gateways}
    with recording() as rec:
        repair = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY)
    assert repair.rc == 0, repair.stdout[-4000:]
    # ec2_instance ran for the drifted web host alone.
    assert repair.changed_tasks() == DRIFTED_TASKS, repair.changed_tasks()
    assert f"TASK [{WEB_TASK}, sample-web-1]" not in repair.stdout
    web_2 = ec2.describe_instances(InstanceIds=[outputs["web_instance_ids"][1]])["Reservations"][0]["Instances"][0]
    assert {t["Key"]: t["Value"] for t in web_2["Tags"]}["ManagedBy"] == "aws_intro.stack"
    # The modules ran for the drifted subnet and route table alone.
    for task in (SUBNET_TASK, ROUTE_TABLE_TASK):
        assert task_output(repair.stdout, task).count("changed: [localhost] => (item=") == 1, task
    assert state() == (True, True, "public", False)
    assert managed_by() == {(resource, "aws_intro.stack") for resource in gateways}
    assert repair.outputs["network_outputs"] == outputs
    assert rec.writes() == {"ec2:ModifyVpcAttribute": 1, "ec2:ModifySubnetAttribute": 1, "ec2:CreateTags": 5,
                            "ec2:DeleteRoute": 1}, rec.writes()


@pytest.mark.parametrize(("change", "check", "refusal"), [
    ("public subnet", True, "A subnet's CIDR cannot change"),
    ("public subnet", False, "A subnet's CIDR cannot change"),
    ("vpc", False, "A VPC's CIDR cannot change"),
])
def test_a_changed_vpc_or_subnet_cidr_is_refused_before_any_change(converged, outputs, aws, aws_env, recording,
                                                                   change, check, refusal):
    """ec2_vpc_subnet and ec2_vpc_net find a subnet and a VPC by CIDR: a changed CIDR would make a second one beside
    the first (or, in check mode, a subnet without an id that the route tables cannot name)."""
    first_public = aws("ec2").describe_subnets(SubnetIds=outputs["public_subnet_ids"][:1])["Subnets"][0]["CidrBlock"]
    settings = ({"network_public_subnet_cidrs": [first_public, "10.0.2.0/24"]} if change == "public subnet"
                else {"network_vpc_cidr": "10.0.0.0/17"})
    with recording() as rec:
        refused = run_playbook("network.yml", aws_env, extra_vars=settings, args=NETWORK_ONLY,
                               inventory=TEST_INVENTORY, check=check)
    assert refused.rc != 0, refused.stdout[-4000:]
    assert refusal in refused.stdout, refused.stdout[-4000:]
    assert rec.writes() == {}, rec.writes()


def _internet_gateway_of(ec2, vpc_id: str) -> str:
    """The internet gateway attached to the VPC."""
    gateways = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])
    return gateways["InternetGateways"][0]["InternetGatewayId"]


def test_lookup_alone_finds_the_same_outputs(outputs, aws_env, recording):
    with recording() as rec:
        found = run_playbook("network_lookup.yml", aws_env, inventory=TEST_INVENTORY)
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["network_outputs"] == outputs
    assert rec.writes() == {}, "the lookup must not change anything"


def test_local_inventory_lists_the_web_instances(outputs, aws_env):
    proc = subprocess.run([f"{sys.executable[:-len('python')]}ansible-inventory", "-i", "inventories/local", "--list"],
                          cwd=REPO, env=ansible_env(aws_env), capture_output=True, text=True, check=True, timeout=300)
    # ansible-inventory marks composed values as {"__ansible_unsafe": value}.
    inventory = json.loads(proc.stdout, object_hook=lambda d: d.get("__ansible_unsafe", d) if len(d) == 1 else d)
    assert sorted(inventory["web"]["hosts"]) == sorted(outputs["web_instance_ids"])
    assert inventory["bastion"]["hosts"] == [outputs["bastion_instance_id"]]
    assert sorted(inventory["stack_sample"]["hosts"]) == sorted([*outputs["web_instance_ids"],
                                                                 outputs["bastion_instance_id"]])
    hostvars = inventory["_meta"]["hostvars"]
    # The same composition as inventories/aws: the web hosts at their private address (reached through
    # the bastion), as the AMI's user; the instance's data under ec2_* (no `tags`, a reserved name).
    for instance_id, address in zip(outputs["web_instance_ids"], outputs["web_private_ips"], strict=True):
        assert hostvars[instance_id]["ansible_host"] == address
        assert hostvars[instance_id]["ansible_user"] == "admin"
        assert "tags" not in hostvars[instance_id]
        assert hostvars[instance_id]["ec2_tags"]["Role"] == "web"
    assert hostvars[outputs["bastion_instance_id"]]["ansible_host"] == "127.0.0.1"
    azs = {hostvars[i]["ec2_placement"]["availability_zone"] for i in outputs["web_instance_ids"]}
    assert all(sorted(inventory[f"az_{az.replace('-', '_')}"]["hosts"]) for az in azs)


def test_module_defaults_group_reaches_amazon_and_community_modules(outputs, aws_env):
    """Without AWS_ENDPOINT_URL/AWS_URL in the environment the modules reach the emulator only
    through `module_defaults: group/aws_intro.stack.aws` (meta/runtime.yml extends amazon.aws's
    and community.aws's groups); anything that escaped it would try real AWS and fail."""
    env = {k: v for k, v in aws_env.items() if k not in ("AWS_ENDPOINT_URL", "AWS_URL")}
    env.update({"AWS_ENDPOINT_URL": "", "AWS_URL": ""})
    found = run_playbook("network_lookup.yml", env, inventory=TEST_INVENTORY,
                         extra_vars={"stack_aws_endpoint_url": aws_env["AWS_ENDPOINT_URL"]})
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["network_outputs"] == outputs


# --- The S3 gateway endpoint -------------------------------------------------------------------

def _route_table_of(tables: list, subnet_id: str) -> dict:
    return next(t for t in tables if any(a.get("SubnetId") == subnet_id for a in t["Associations"]))


def test_s3_gateway_endpoint_serves_the_private_route_table(aws, outputs):
    ec2 = aws("ec2")
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["VpcEndpoints"]
    assert [e["VpcEndpointId"] for e in endpoints] == [outputs["s3_endpoint_id"]]
    endpoint = endpoints[0]
    assert endpoint["ServiceName"] == "com.amazonaws.ap-northeast-2.s3"
    assert endpoint["VpcEndpointType"] == "Gateway"
    tags = {t["Key"]: t["Value"] for t in endpoint["Tags"]}
    assert {k: tags.get(k) for k in ("Name", "Stack", "ManagedBy")} == \
        {"Name": "sample-s3", "Stack": "sample", "ManagedBy": "aws_intro.stack"}
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["RouteTables"]
    private = {_route_table_of(tables, s)["RouteTableId"] for s in outputs["private_subnet_ids"]}
    public = {_route_table_of(tables, s)["RouteTableId"] for s in outputs["public_subnet_ids"]}
    assert (len(private), len(public)) == (1, 1)
    assert endpoint["RouteTableIds"] == list(private)
    # The endpoint's route: S3's prefix list to the endpoint, in the private table only.
    s3_list = ec2.describe_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.ap-northeast-2.s3"]}])["PrefixLists"][0]
    for table in tables:
        routes = [r for r in table["Routes"] if r.get("GatewayId") == endpoint["VpcEndpointId"]]
        expected = [s3_list["PrefixListId"]] if table["RouteTableId"] in private else []
        assert [r["DestinationPrefixListId"] for r in routes] == expected, table["RouteTableId"]


# --- More than one page of private zones named home ---------------------------------------------

def test_lookup_finds_the_private_zone_beyond_the_first_page(outputs, aws, aws_env):
    """Every stack of an account has a private zone `home`. ListHostedZonesByName answers 100 zones a
    page (local/emulator/layer.py, by name then ID): zones of other stacks are added until at least
    100 come before this stack's, so a lookup that reads one page would miss it."""
    r53, ec2 = aws("route53"), aws("ec2")
    ours = outputs["private_zone_id"]
    other_vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    made: list[str] = []
    try:
        while sum(zone < ours for zone in made) < 100 and len(made) < 4000:
            zone = r53.create_hosted_zone(
                Name="home", CallerReference=f"other-stack-{len(made)}",
                VPC={"VPCRegion": "ap-northeast-2", "VPCId": other_vpc},
                HostedZoneConfig={"Comment": f"other{len(made)} private zone", "PrivateZone": True})
            made.append(zone["HostedZone"]["Id"].split("/")[-1])
        if sum(zone < ours for zone in made) < 100:
            pytest.skip(f"this run's zone id {ours} sorts before almost every other: 4000 zones were not enough")
        first_page = r53.list_hosted_zones_by_name(DNSName="home")
        assert ours not in [z["Id"].split("/")[-1] for z in first_page["HostedZones"]]
        assert first_page["IsTruncated"]
        found = run_playbook("network_lookup.yml", aws_env, inventory=TEST_INVENTORY)
        assert found.rc == 0, found.stdout[-4000:]
        assert found.outputs["network_outputs"]["private_zone_id"] == ours
    finally:
        for zone in made:
            r53.delete_hosted_zone(Id=zone)
        ec2.delete_vpc(VpcId=other_vpc)


# --- A newer AMI --------------------------------------------------------------------------------
# The order of these tests is the story: a new Debian image appears (nothing changes), check mode
# predicts the replacement, the replacement runs host by host, then a later image plus a duplicate
# web host of the kind older releases of the role made, and a smaller count.

REPLACE = {"network_web_replace_on_ami_change": True}
WRITES = ("ec2:RunInstances", "ec2:TerminateInstances", "elasticloadbalancing:DeregisterTargets",
          "elasticloadbalancing:RegisterTargets")


def publish_debian_image(aws, name: str) -> str:
    return publish_image(aws, DEBIAN_OWNER, DEBIAN_SOURCE, name)


def ids(instances: dict) -> dict:
    return {name: [i["InstanceId"] for i in found] for name, found in instances.items()}


def web_instances(aws) -> dict:
    """The stack's live web instances: Name -> [instance, ...] in launch order."""
    reservations = aws("ec2").describe_instances(Filters=[
        {"Name": "tag:Stack", "Values": ["sample"]}, {"Name": "tag:Role", "Values": ["web"]},
        {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}])["Reservations"]
    found: dict = {}
    for instance in sorted((i for r in reservations for i in r["Instances"]), key=lambda i: i["LaunchTime"]):
        name = next(t["Value"] for t in instance["Tags"] if t["Key"] == "Name")
        found.setdefault(name, []).append(instance)
    return found


def registered_targets(aws, outputs) -> set:
    health = aws("elbv2").describe_target_health(TargetGroupArn=outputs["target_group_arn"])["TargetHealthDescriptions"]
    return {t["Target"]["Id"] for t in health if t["TargetHealth"]["State"] not in ("draining", "unused")}


def recorded_writes(rec) -> list[tuple[str, str, float]]:
    """(call, instance id or Name tag, epoch seconds) of the recorded instance and target writes, in order."""
    calls = []
    for line in rec.lines:
        entry = json.loads(line)
        name = call_name(entry)
        if name not in WRITES:
            continue
        body = entry.get("body") or ""
        if entry.get("body_encoded"):
            body = base64.b64decode(body).decode()
        params = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
        if name == "ec2:RunInstances":
            key = next(k for k, v in params.items() if k.startswith("TagSpecification") and v == "Name")
            subject = params[key.replace(".Key", ".Value")]
        else:
            subject = params.get("InstanceId.1") or params.get("Targets.member.1.Id")
        headers = {k.lower(): v for k, v in entry["headers"].items()}
        stamp = datetime.datetime.strptime(headers["x-amz-date"], "%Y%m%dT%H%M%SZ").timestamp()
        calls.append((name.split(":")[1], subject, stamp))
    return calls


@pytest.fixture(scope="module")
def newer_ami(converged, aws):
    return publish_debian_image(aws, "debian-12-amd64-20261201-2300")


@pytest.fixture(scope="module")
def kept(newer_ami, emulator, aws, aws_env):
    before = web_instances(aws)
    with Recording(emulator.url) as rec:
        result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY)
    return before, result, rec


def test_a_newer_ami_changes_no_host(kept, newer_ami, aws, outputs):
    before, result, rec = kept
    assert result.rc == 0, result.stdout[-4000:]
    assert result.changed == 0, result.changed_tasks()
    assert rec.summary()["by_call"].get("ec2:RunInstances") is None
    assert recorded_writes(rec) == []
    after = web_instances(aws)
    assert ids(after) == ids(before)
    assert sorted(i["InstanceId"] for v in after.values() for i in v) == sorted(outputs["web_instance_ids"])
    assert result.outputs["network_outputs"]["web_instance_ids"] == outputs["web_instance_ids"]
    assert newer_ami not in {i["ImageId"] for v in after.values() for i in v}


def test_check_mode_predicts_the_replacement_and_changes_nothing(kept, aws, aws_env, recording):
    before = web_instances(aws)
    with recording() as rec:
        check = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY, check=True,
                             extra_vars=REPLACE)
    assert check.rc == 0, check.stdout[-4000:]
    would = check.changed_tasks()
    for host in ("sample-web-1", "sample-web-2"):
        assert f"aws_intro.stack.network : Terminate the host and wait until it is gone, {host}" in would, would
    assert recorded_writes(rec) == []
    assert ids(web_instances(aws)) == ids(before)


@pytest.fixture(scope="module")
def replaced(kept, newer_ami, emulator, aws, aws_env):
    """The replacement run. It also adds a network tag: the stack's route tables must be found again
    (ec2_vpc_route_table's own lookup by every tag would make new ones)."""
    ec2 = aws("ec2")
    tables = ec2.describe_route_tables(Filters=[{"Name": "tag:Stack", "Values": ["sample"]}])["RouteTables"]
    before = web_instances(aws)
    with Recording(emulator.url) as rec:
        result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY,
                              extra_vars={**REPLACE, "network_tags": {"CostCenter": "web"}})
    return {"before": before, "result": result, "rec": rec, "tables": tables}


def test_the_replacement_goes_one_host_at_a_time(replaced, newer_ami, aws, outputs):
    result, before = replaced["result"], replaced["before"]
    assert result.rc == 0, result.stdout[-4000:]
    after = web_instances(aws)
    assert sorted(after) == ["sample-web-1", "sample-web-2"]
    assert all(len(v) == 1 for v in after.values())
    old = {name: v[0]["InstanceId"] for name, v in before.items()}
    new = {name: v[0]["InstanceId"] for name, v in after.items()}
    assert set(old.values()).isdisjoint(new.values())
    assert {i["ImageId"] for v in after.values() for i in v} == {newer_ami}
    # Same name, same subnet.
    assert {n: v[0]["SubnetId"] for n, v in after.items()} == {n: v[0]["SubnetId"] for n, v in before.items()}
    writes = recorded_writes(replaced["rec"])
    assert [(call, subject) for call, subject, _ in writes] == [
        ("DeregisterTargets", old["sample-web-1"]), ("TerminateInstances", old["sample-web-1"]),
        ("RunInstances", "sample-web-1"), ("RegisterTargets", new["sample-web-1"]),
        ("DeregisterTargets", old["sample-web-2"]), ("TerminateInstances", old["sample-web-2"]),
        ("RunInstances", "sample-web-2"), ("RegisterTargets", new["sample-web-2"]),
    ]
    # Terminated only once drained (the emulator drains a deregistered target for 3 s).
    for index in (0, 4):
        assert writes[index + 1][2] - writes[index][2] >= 2, writes
    assert registered_targets(aws, outputs) == set(new.values())
    assert result.outputs["network_outputs"]["web_instance_ids"] == [new["sample-web-1"], new["sample-web-2"]]
    gone = aws("ec2").describe_instances(InstanceIds=list(old.values()))["Reservations"]
    assert {i["State"]["Name"] for r in gone for i in r["Instances"]} == {"terminated"}


def test_changed_network_tags_keep_the_route_tables(replaced, aws):
    tables = aws("ec2").describe_route_tables(Filters=[{"Name": "tag:Stack", "Values": ["sample"]}])["RouteTables"]
    assert sorted(t["RouteTableId"] for t in tables) == sorted(t["RouteTableId"] for t in replaced["tables"])
    for table in tables:
        assert {"Key": "CostCenter", "Value": "web"} in table["Tags"]
        before = next(t for t in replaced["tables"] if t["RouteTableId"] == table["RouteTableId"])
        assert sorted(a.get("SubnetId", "") for a in table["Associations"]) == \
            sorted(a.get("SubnetId", "") for a in before["Associations"])


def test_a_further_run_changes_nothing(replaced, aws, aws_env, recording):
    before = web_instances(aws)
    with recording() as rec:
        again = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY,
                             extra_vars={**REPLACE, "network_tags": {"CostCenter": "web"}})
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    assert recorded_writes(rec) == []
    assert ids(web_instances(aws)) == ids(before)


@pytest.fixture(scope="module")
def scaled_down(replaced, emulator, aws, aws_env, outputs):
    """A later image, and a second sample-web-1 launched on it the way older releases of the role did
    on each image release; then one web host and no S3 endpoint are asked for, without replacement."""
    latest = publish_debian_image(aws, "debian-12-amd64-20261215-2320")
    hosts = web_instances(aws)
    first = hosts["sample-web-1"][0]
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in first["Tags"]]
    duplicate = aws("ec2").run_instances(
        ImageId=latest, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=first["SubnetId"],
        SecurityGroupIds=[outputs["security_group_ids"]["web"]],
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])["Instances"][0]["InstanceId"]
    aws("elbv2").register_targets(TargetGroupArn=outputs["target_group_arn"], Targets=[{"Id": duplicate, "Port": 3000}])
    with Recording(emulator.url) as rec:
        result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY,
                              extra_vars={"network_web_instance_count": 1, "network_s3_endpoint_enabled": False,
                                          "network_tags": {"CostCenter": "web"}})
    return {"hosts": hosts, "duplicate": duplicate, "latest": latest, "result": result, "rec": rec}


def test_the_first_launched_of_a_name_is_kept_and_the_surplus_drained(scaled_down, aws, outputs):
    result, hosts, duplicate = scaled_down["result"], scaled_down["hosts"], scaled_down["duplicate"]
    assert result.rc == 0, result.stdout[-4000:]
    web_1, web_2 = hosts["sample-web-1"][0]["InstanceId"], hosts["sample-web-2"][0]["InstanceId"]
    after = web_instances(aws)
    # Kept: the first-launched sample-web-1, on the older image; the duplicate runs the chosen one.
    assert ids(after) == {"sample-web-1": [web_1]}
    assert after["sample-web-1"][0]["ImageId"] != scaled_down["latest"]
    writes = recorded_writes(scaled_down["rec"])
    assert sorted((call, subject) for call, subject, _ in writes if call == "DeregisterTargets") == \
        sorted([("DeregisterTargets", duplicate), ("DeregisterTargets", web_2)])
    terminations = [(subject, stamp) for call, subject, stamp in writes if call == "TerminateInstances"]
    assert sorted(subject for subject, _ in terminations) == sorted([duplicate, web_2])
    assert "RunInstances" not in [call for call, _, _ in writes]
    # Terminated once drained (3 s in the emulator), both drains at once.
    last_deregistration = max(stamp for call, _, stamp in writes if call == "DeregisterTargets")
    assert min(stamp for _, stamp in terminations) - last_deregistration >= 2, writes
    gone = aws("ec2").describe_instances(InstanceIds=[duplicate, web_2])["Reservations"]
    assert {i["State"]["Name"] for r in gone for i in r["Instances"]} <= {"shutting-down", "terminated"}
    assert registered_targets(aws, outputs) == {web_1}
    assert result.outputs["network_outputs"]["web_instance_ids"] == [web_1]


def test_the_s3_endpoint_goes_when_turned_off(scaled_down, aws, outputs):
    ec2 = aws("ec2")
    endpoints = ec2.describe_vpc_endpoints(Filters=[
        {"Name": "vpc-id", "Values": [outputs["vpc_id"]]},
        {"Name": "vpc-endpoint-state", "Values": ["pending", "available"]}])["VpcEndpoints"]
    assert endpoints == []
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [outputs["vpc_id"]]}])["RouteTables"]
    assert not any(r.get("GatewayId", "").startswith("vpce-") for t in tables for r in t["Routes"])
    assert scaled_down["result"].outputs["network_outputs"]["s3_endpoint_id"] == ""


@pytest.mark.skip(reason="open defect, upstream: amazon.aws 10.1.2 ec2_vpc_endpoint, given no vpc_endpoint_id, "
                         "matches an existing endpoint by VPC, service and route tables without looking at its State "
                         "(setup_creation/match_endpoints), so the endpoint deleted above, still listed as 'deleted' "
                         "(DescribeVpcEndpoints lists Deleted endpoints on AWS too), is taken for a live one: no change"
                         " is predicted, and a real run would not create it either")
def test_check_mode_predicts_the_s3_endpoint_and_makes_none(scaled_down, aws, aws_env, outputs):
    check = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY, check=True,
                         extra_vars={"network_web_instance_count": 1, "network_tags": {"CostCenter": "web"}})
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed_tasks() == ["aws_intro.stack.network : S3 gateway endpoint on the private route table"]
    endpoints = aws("ec2").describe_vpc_endpoints(Filters=[
        {"Name": "vpc-id", "Values": [outputs["vpc_id"]]},
        {"Name": "vpc-endpoint-state", "Values": ["pending", "available"]}])["VpcEndpoints"]
    assert endpoints == []
