"""aws_intro.stack.tags_differ: true exactly when amazon.aws.ec2_vpc_igw, ec2_vpc_nat_gateway and ec2_vpc_endpoint,
given a resource that is in place, would report a change (their only change there is the tags). Checked against the
upstream modules themselves (main(), in check mode) on resources made by moto in-process and read back by the
upstream _info modules, in the shapes those return (a dictionary, a list of key/value)."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_endpoint as endpoint
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_endpoint_info as endpoint_info
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_igw as igw
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_igw_info as igw_info
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_nat_gateway as nat
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_nat_gateway_info as nat_info
from ansible_collections.aws_intro.stack.plugins.filter.tags_differ import FilterModule, tags_differ

from local.emulator.layer import fix_nat_gateway_tag_resource_type

TAGS = {"Stack": "sample", "ManagedBy": "aws_intro.stack", "Name": "sample-gw"}
CANDIDATES = [
    ({"tags": TAGS}, False),
    ({"tags": {**TAGS, "Name": "other"}}, True),  # a value differs
    ({"tags": {**TAGS, "Extra": "1"}}, True),  # a tag is missing
    ({"tags": {"Name": "sample-gw"}}, True),  # purge_tags: the other tags would go
    ({"tags": {"Name": "sample-gw"}, "purge_tags": False}, False),
    ({"tags": {"Name": "sample-gw"}, "purge_tags": "no"}, False),  # as the module's type=bool reads it
    ({"tags": None}, False),  # no tags given: the module leaves them
    ({"tags": {}}, True),  # purge with no tags: every tag would go
    ({"tags": {}, "purge_tags": False}, False),
]


def tag_spec(kind):
    return [{"ResourceType": kind, "Tags": [{"Key": key, "Value": value} for key, value in TAGS.items()]}]


@pytest.fixture
def network(moto_ec2):
    ec2 = moto_ec2.client
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    return ec2, vpc_id, subnet_id


def agree(moto_ec2, module, args, found, empty_tags_change=True):
    for options, expected in CANDIDATES:
        changed = moto_ec2.run(module, {**args, "purge_tags": True, **options})["changed"]
        differ = tags_differ(found, options["tags"], options.get("purge_tags", True))
        assert differ == expected, options
        if options["tags"] == {} and not empty_tags_change:
            # ec2_vpc_endpoint calls ensure_ec2_tags only when tags is not empty (`if module.params.get("tags")`).
            expected = False
        assert changed == expected, options


def test_agrees_with_ec2_vpc_igw_on_an_attached_gateway(network, moto_ec2):
    ec2, vpc_id, _ = network
    gateway_id = ec2.create_internet_gateway(TagSpecifications=tag_spec("internet-gateway"))[
        "InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway_id, VpcId=vpc_id)
    found = moto_ec2.run(igw_info, {"internet_gateway_ids": [gateway_id]})["internet_gateways"][0]
    assert isinstance(found["tags"], dict)
    agree(moto_ec2, igw, {"vpc_id": vpc_id, "internet_gateway_id": gateway_id, "state": "present"}, found["tags"])


def test_agrees_with_ec2_vpc_nat_gateway_on_a_gateway_in_its_subnet(network, moto_ec2):
    # moto files a NAT gateway's tags under resource type "nat", so DescribeTags filtered on "natgateway" (as
    # ensure_ec2_tags filters) finds none; the emulator's test-only layer files them as AWS does.
    fix_nat_gateway_tag_resource_type()
    ec2, _, subnet_id = network
    allocation_id = ec2.allocate_address(Domain="vpc")["AllocationId"]
    gateway_id = ec2.create_nat_gateway(SubnetId=subnet_id, AllocationId=allocation_id,
                                        TagSpecifications=tag_spec("natgateway"))["NatGateway"]["NatGatewayId"]
    found = moto_ec2.run(nat_info, {"nat_gateway_ids": [gateway_id]})["result"][0]
    agree(moto_ec2, nat, {"subnet_id": subnet_id, "allocation_id": allocation_id, "if_exist_do_not_create": True,
                          "wait": False, "state": "present"}, found["tags"])


def test_agrees_with_ec2_vpc_endpoint_given_the_endpoint_id(network, moto_ec2):
    ec2, vpc_id, _ = network
    table_id = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
    service = f"com.amazonaws.{moto_ec2.region}.s3"
    endpoint_id = ec2.create_vpc_endpoint(VpcId=vpc_id, ServiceName=service, VpcEndpointType="Gateway",
                                          RouteTableIds=[table_id], TagSpecifications=tag_spec("vpc-endpoint"))[
        "VpcEndpoint"]["VpcEndpointId"]
    found = moto_ec2.run(endpoint_info, {"vpc_endpoint_ids": [endpoint_id]})["vpc_endpoints"][0]
    assert isinstance(found["tags"], list)  # key/value pairs, as ec2_vpc_endpoint_info returns them
    agree(moto_ec2, endpoint, {"vpc_id": vpc_id, "service": service, "vpc_endpoint_type": "Gateway",
                               "route_table_ids": [table_id], "vpc_endpoint_id": endpoint_id, "state": "present"},
          found["tags"], empty_tags_change=False)


@pytest.mark.parametrize("found", [
    [{"Key": "Name", "Value": "sample-gw"}],
    [{"key": "Name", "value": "sample-gw"}],
    {"Name": "sample-gw"},
])
def test_reads_the_tags_in_every_shape(found):
    assert tags_differ(found, {"Name": "sample-gw"}) is False
    assert tags_differ(found, {"Name": "other"}) is True


def test_no_tags_found_is_an_empty_set():
    assert tags_differ(None, {}) is False
    assert tags_differ([], {"Name": "x"}) is True


@pytest.mark.parametrize(("found", "tags", "purge", "message"), [
    ("Name=x", {}, True, "the tags found must be a dictionary"),
    (["Name"], {}, True, "the tags found must be a dictionary"),
    ({}, ["Name"], True, "tags must be a dictionary"),
    ({}, {}, "sometimes", "purge_tags of .* is not a boolean"),
])
def test_refuses_what_it_cannot_compare(found, tags, purge, message):
    with pytest.raises(AnsibleFilterError, match=message):
        tags_differ(found, tags, purge)


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"tags_differ": tags_differ}
