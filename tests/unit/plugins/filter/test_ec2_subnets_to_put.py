"""aws_intro.stack.ec2_subnets_to_put: a subnet is left out exactly when amazon.aws.ec2_vpc_subnet would report it
unchanged. Checked against the upstream module itself (its main(), in check mode) on subnets made by moto
in-process and read back by the upstream ec2_vpc_subnet_info, and on the IPv6 shapes moto does not make."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_subnet as upstream
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_subnet_info as upstream_info
from ansible_collections.aws_intro.stack.plugins.filter.ec2_subnets_to_put import FilterModule, ec2_subnets_to_put

TAGS = {"Stack": "sample", "ManagedBy": "aws_intro.stack", "Name": "sample-public-a", "Tier": "public"}


@pytest.fixture
def vpc(moto_ec2):
    """A VPC with a public subnet (TAGS, map public) and a private one (one tag, no map public), read back."""
    ec2, zone = moto_ec2.client, f"{moto_ec2.region}a"
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24", AvailabilityZone=zone,
                               TagSpecifications=[{"ResourceType": "subnet", "Tags": [
                                   {"Key": key, "Value": value} for key, value in TAGS.items()]}])
    ec2.modify_subnet_attribute(SubnetId=public["Subnet"]["SubnetId"], MapPublicIpOnLaunch={"Value": True})
    ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.11.0/24", AvailabilityZone=zone,
                      TagSpecifications=[{"ResourceType": "subnet", "Tags": [{"Key": "Tier", "Value": "private"}]}])
    return vpc_id, moto_ec2.run(upstream_info, {"filters": {"vpc-id": vpc_id}})["subnets"]


def candidates(vpc_id, region):
    public = {"vpc_id": vpc_id, "cidr": "10.0.1.0/24", "az": f"{region}a", "map_public": True, "tags": TAGS}
    private = {"vpc_id": vpc_id, "cidr": "10.0.11.0/24", "tags": {"Tier": "private"}}
    return [
        public,
        {**public, "az": f"{region}b"},  # the module does not compare the zone
        {**public, "map_public": "yes"},  # as the module's type=bool reads it
        {**public, "map_public": False},
        {**public, "tags": {**TAGS, "Tier": "private"}},  # a value differs
        {**public, "tags": {**TAGS, "Extra": "1"}},  # a tag is missing
        {**public, "tags": {"Name": "sample-public-a"}},  # purge_tags: the other tags would go
        {**public, "tags": {"Name": "sample-public-a"}, "purge_tags": False},
        {**public, "tags": None},  # no tags given: the module leaves them
        {**public, "tags": {}},  # purge with no tags: every tag would go
        {**public, "cidr": "10.0.2.0/24"},  # missing
        {**public, "vpc_id": "vpc-0000000000000000f"},  # in another VPC
        private,
        {**private, "map_public": None, "assign_instances_ipv6": "no"},  # the module's defaults, spelled out
        {**private, "tags": {"Tier": 1}},  # the module compares values as text: "1" would be written
    ]


def test_leaves_out_exactly_the_subnets_the_module_would_not_change(vpc, moto_ec2):
    vpc_id, existing = vpc
    wanted = candidates(vpc_id, moto_ec2.region)
    options = ("vpc_id", "cidr", "az", "map_public", "assign_instances_ipv6", "ipv6_cidr", "tags", "purge_tags")
    expected = [subnet for subnet in wanted if moto_ec2.run(upstream, {
        key: value for key, value in subnet.items() if key in options and value is not None})["changed"]]
    assert ec2_subnets_to_put(wanted, existing) == expected
    # Both kinds are exercised: some subnets are in place, some are not.
    assert 0 < len(expected) < len(wanted)
    assert wanted[0] not in expected
    assert wanted[-3] not in expected


def ipv6_subnet(*states):
    return {"vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24", "map_public_ip_on_launch": False,
            "assign_ipv6_address_on_creation": False, "tags": {},
            "ipv6_cidr_block_association_set": [
                {"ipv6_cidr_block": f"2001:db8:0:{index}::/64", "association_id": f"a-{index}",
                 "ipv6_cidr_block_state": {"state": state}} for index, state in enumerate(states)]}


@pytest.mark.parametrize(("states", "ipv6_cidr", "differs"), [
    ((), "", False),
    (("associated",), "2001:db8:0:0::/64", False),
    (("associated",), "", True),
    (("disassociated",), "", False),  # get_subnet_info counts only associated or associating blocks
    (("associating",), "2001:db8:0:0::/64", False),
    (("disassociated", "associated"), "2001:db8:0:1::/64", False),
    ((), "2001:db8:0:0::/64", True),
])
def test_the_ipv6_cidr_is_the_one_the_module_sees(states, ipv6_cidr, differs):
    subnet = {"vpc_id": "vpc-1", "cidr": "10.0.1.0/24", "ipv6_cidr": ipv6_cidr}
    assert ec2_subnets_to_put([subnet], [ipv6_subnet(*states)]) == ([subnet] if differs else [])


def test_the_first_subnet_of_a_vpc_and_cidr_is_the_one_compared():
    subnet = {"vpc_id": "vpc-1", "cidr": "10.0.1.0/24", "map_public": True}
    public, private = ipv6_subnet(), ipv6_subnet()
    public["map_public_ip_on_launch"] = True
    assert ec2_subnets_to_put([subnet], [public, private]) == []
    assert ec2_subnets_to_put([subnet], [private, public]) == [subnet]


@pytest.mark.parametrize(("subnets", "message"), [
    ([{"cidr": "10.0.1.0/24"}], "needs vpc_id and cidr"),
    ([{"vpc_id": "vpc-1", "cidr": "10.0.1.0/24", "map_public": "maybe"}], "map_public .* is not a boolean"),
    ([{"vpc_id": "vpc-1", "cidr": "10.0.1.0/24", "tags": ["Name"]}], "tags must be a dictionary"),
    ("subnet", "must be lists"),
])
def test_refuses_what_it_cannot_compare(subnets, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ec2_subnets_to_put(subnets, [ipv6_subnet()])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"ec2_subnets_to_put": ec2_subnets_to_put}
