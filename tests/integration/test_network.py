"""The network role against the emulator: converge, idempotence, check mode, the exact
security-group rules, the published outputs, the local inventory, adopt mode and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.integration.ansible_runner import REPO, ansible_env, run_playbook

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
        # No bastion in this stack, so SSH to the web hosts comes from the admin CIDR.
        "web": {("tcp", 3000, 3000, "sg", "alb"), ("tcp", 22, 22, "cidr", ADMIN_CIDR)},
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


def test_second_run_changes_nothing(converged, aws_env):
    again = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()


def test_check_mode_on_the_converged_network_reports_no_change(converged, aws_env):
    check = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=TEST_INVENTORY, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()


def test_lookup_alone_finds_the_same_outputs(outputs, aws_env, recording):
    with recording() as rec:
        found = run_playbook("network_lookup.yml", aws_env, inventory=TEST_INVENTORY)
    assert found.rc == 0, found.stdout[-4000:]
    assert found.outputs["network_outputs"] == outputs
    reads = ("Describe", "Get", "List", "GET")
    writes = [c for c in rec.summary()["by_call"] if not c.split(":", 1)[1].startswith(reads)]
    assert writes == [], "the lookup must not change anything"


def test_local_inventory_lists_the_web_instances(outputs, aws_env):
    proc = subprocess.run([f"{sys.executable[:-len('python')]}ansible-inventory", "-i", "inventories/local", "--list"],
                          cwd=REPO, env=ansible_env(aws_env), capture_output=True, text=True, check=True, timeout=300)
    # ansible-inventory marks composed values as {"__ansible_unsafe": value}.
    inventory = json.loads(proc.stdout, object_hook=lambda d: d.get("__ansible_unsafe", d) if len(d) == 1 else d)
    assert sorted(inventory["web"]["hosts"]) == sorted(outputs["web_instance_ids"])
    assert sorted(inventory["stack_sample"]["hosts"]) == sorted(outputs["web_instance_ids"])
    hostvars = inventory["_meta"]["hostvars"]
    for instance_id in outputs["web_instance_ids"]:
        assert hostvars[instance_id]["ansible_connection"] == "community.docker.docker"
        assert hostvars[instance_id]["ansible_host"] == instance_id
    azs = {hostvars[i]["placement"]["availability_zone"] for i in outputs["web_instance_ids"]}
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
