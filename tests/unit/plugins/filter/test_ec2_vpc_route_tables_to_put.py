"""aws_intro.stack.ec2_vpc_route_tables_to_put: a route table is left out exactly when amazon.aws.ec2_vpc_route_table
(given its id) would report it unchanged. Checked against the upstream module itself (its main(), in check mode)
on route tables made by moto in-process and read back by the upstream ec2_vpc_route_table_info."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_route_table as upstream
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_route_table_info as upstream_info
from ansible_collections.aws_intro.stack.plugins.filter.ec2_vpc_route_tables_to_put import (
    FilterModule,
    ec2_vpc_route_tables_to_put,
)

TAGS = {"Stack": "sample", "ManagedBy": "aws_intro.stack"}


def tags(**more):
    return [{"ResourceType": "route-table", "Tags": [{"Key": k, "Value": v} for k, v in {**TAGS, **more}.items()]}]


@pytest.fixture
def vpc(moto_ec2):
    """The network role's shape: a public table (default route to the internet gateway, two subnets) and a
    private one (default route to a NAT gateway, one subnet, and a route added by hand), read back."""
    ec2 = moto_ec2.client
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{n}.0/24")["Subnet"]["SubnetId"] for n in range(4)]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=subnets[0], AllocationId=eip)["NatGateway"]["NatGatewayId"]
    public = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=tags(Name="sample-public"))
    public = public["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    private = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=tags(Name="sample-private"))
    private = private["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=private, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    ec2.create_route(RouteTableId=private, DestinationCidrBlock="192.0.2.0/24", GatewayId=igw)
    for subnet in subnets[:2]:
        ec2.associate_route_table(RouteTableId=public, SubnetId=subnet)
    ec2.associate_route_table(RouteTableId=private, SubnetId=subnets[2])
    existing = moto_ec2.run(upstream_info, {"filters": {"vpc-id": vpc_id}})["route_tables"]
    return {"vpc_id": vpc_id, "subnets": subnets, "igw": igw, "nat": nat, "public": public,
            "private": private, "existing": existing}


def candidates(made):
    subnets, igw, nat = made["subnets"], made["igw"], made["nat"]
    public = {"vpc_id": made["vpc_id"], "lookup": "id", "route_table_id": made["public"],
              "tags": {**TAGS, "Name": "sample-public"}, "subnets": subnets[:2],
              "routes": [{"dest": "0.0.0.0/0", "gateway_id": igw}], "purge_routes": True, "purge_subnets": True}
    private = {**public, "route_table_id": made["private"], "tags": {**TAGS, "Name": "sample-private"},
               "subnets": [subnets[2]], "routes": [{"dest": "0.0.0.0/0", "nat_gateway_id": nat},
                                                   {"dest": "192.0.2.0/24", "gateway_id": igw}]}
    return [
        public,
        {**public, "subnets": subnets[1::-1]},  # the order of the subnets does not count
        {**public, "subnets": subnets[:1]},  # the second subnet would be disassociated
        {**public, "subnets": subnets[:1], "purge_subnets": False},
        {**public, "subnets": subnets[:3]},  # the third is the private table's
        {**public, "subnets": [*subnets[:2], subnets[3]]},  # the fourth has no table of its own
        {**public, "subnets": None},  # not given: not compared
        {**public, "routes": []},  # the default route would be purged
        {**public, "routes": [], "purge_routes": False},
        {**public, "routes": None},  # the module's default: no route
        {**public, "routes": [{"dest": "0.0.0.0/0", "nat_gateway_id": nat}]},  # would be replaced
        {**public, "routes": [{"dest": "0.0.0.0/0", "gateway_id": nat}]},  # the module renames a nat- target
        {**public, "routes": [{"dest": "0.0.0.0/0", "gateway_id": igw}, {"dest": "198.51.100.0/24",
                                                                            "gateway_id": igw}]},  # one to create
        {**public, "tags": {**TAGS, "Name": "other"}},
        {**public, "tags": {"Name": "sample-public"}},  # purge: Stack and ManagedBy would go
        {**public, "tags": {"Name": "sample-public"}, "purge_tags": "no"},
        {**public, "tags": None},
        private,
        {**private, "routes": private["routes"][::-1]},  # the order of the routes does not count
        {**private, "routes": private["routes"][:1]},  # the route added by hand would be purged
        {**private, "routes": private["routes"][:1], "purge_routes": False},
        {**private, "routes": [{"dest": "0.0.0.0/0", "gateway_id": nat}]},
    ]


def test_leaves_out_exactly_the_route_tables_the_module_would_not_change(vpc, moto_ec2, monkeypatch):
    monkeypatch.setattr(upstream, "sleep", lambda seconds: None)  # 5 s after each change, check mode too
    wanted = candidates(vpc)
    expected = [table for table in wanted if moto_ec2.run(upstream, {
        key: value for key, value in table.items() if value is not None})["changed"]]
    assert ec2_vpc_route_tables_to_put(wanted, vpc["existing"]) == expected
    # Both kinds are exercised: some tables are as given, some are not.
    assert 0 < len(expected) < len(wanted)
    assert wanted[0] not in expected
    assert wanted[2] in expected


def test_a_table_found_by_tags_or_not_found_is_always_returned(vpc):
    public = candidates(vpc)[0]
    by_tag = {**public, "lookup": "tag", "route_table_id": None}
    unknown = {**public, "route_table_id": "rtb-0000000000000000f"}
    assert ec2_vpc_route_tables_to_put([by_tag, unknown, public], vpc["existing"]) == [by_tag, unknown]


@pytest.mark.parametrize(("change", "message"), [
    ({"gateway_id": "igw-1"}, "gateway_id not supported"),
    ({"propagating_vgw_ids": ["vgw-1"]}, "propagating_vgw_ids not supported"),
    ({"subnets": ["10.0.0.0/24"]}, "give subnets by id"),
    ({"subnets": ["sample-public-a"]}, "give subnets by id"),
    ({"routes": [{"dest": "0.0.0.0/0", "gateway_id": "igw"}]}, "not igw"),
    ({"routes": [{"gateway_id": "igw-1"}]}, "needs dest"),
    ({"routes": [{"dest": "everywhere", "gateway_id": "igw-1"}]}, "not a CIDR"),
    ({"purge_routes": "maybe", "routes": []}, "purge_routes .* is not a boolean"),
])
def test_refuses_what_it_cannot_compare(vpc, change, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ec2_vpc_route_tables_to_put([{**candidates(vpc)[0], **change}], vpc["existing"])


def test_refuses_what_is_not_a_list():
    with pytest.raises(AnsibleFilterError, match="must be lists"):
        ec2_vpc_route_tables_to_put("rtb-1", [])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"ec2_vpc_route_tables_to_put": ec2_vpc_route_tables_to_put}
