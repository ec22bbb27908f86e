"""aws_intro.stack.ec2_vpc_nets_to_put: a VPC is left out exactly when amazon.aws.ec2_vpc_net (given its id) would
report it unchanged. Checked against the upstream module itself (its main(), in check mode) on a VPC made by moto
in-process and read back by the upstream ec2_vpc_net_info, and on the IPv6 shapes moto does not make."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_net as upstream
from ansible_collections.amazon.aws.plugins.modules import ec2_vpc_net_info as upstream_info
from ansible_collections.aws_intro.stack.plugins.filter.ec2_vpc_nets_to_put import FilterModule, ec2_vpc_nets_to_put

TAGS = {"Stack": "sample", "ManagedBy": "aws_intro.stack"}


@pytest.fixture
def vpc(moto_ec2):
    """A VPC named sample-vpc with TAGS, DNS support and hostnames on and a second CIDR, read back."""
    ec2 = moto_ec2.client
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [
        {"Key": key, "Value": value} for key, value in {**TAGS, "Name": "sample-vpc"}.items()]}])["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    ec2.associate_vpc_cidr_block(VpcId=vpc_id, CidrBlock="10.1.0.0/16")
    return vpc_id, moto_ec2.run(upstream_info, {"vpc_ids": [vpc_id]})["vpcs"]


def candidates(vpc_id):
    stack = {"vpc_id": vpc_id, "name": "sample-vpc", "cidr_block": ["10.0.0.0/16"], "dns_support": True,
             "dns_hostnames": True, "tags": TAGS}
    return [
        stack,  # the network role's options; purge_cidrs off: the second CIDR stays
        {**stack, "purge_cidrs": True},  # the second CIDR would go
        {**stack, "cidr_block": ["10.0.0.0/16", "10.2.0.0/16"]},  # one would be added
        {**stack, "cidr_block": "10.1.0.0/16"},
        {**stack, "dns_hostnames": False},
        {**stack, "dns_support": "yes"},
        {**stack, "dns_support": None, "dns_hostnames": None},  # not given: not compared
        {**stack, "name": "other-vpc"},
        {**stack, "tags": {**TAGS, "Stack": "other"}},
        {**stack, "tags": {"Stack": "sample"}},  # ManagedBy would be purged
        {**stack, "tags": {"Stack": "sample"}, "purge_tags": False},
        {**stack, "tags": None},  # the name alone: the other tags stay
        {**stack, "tags": None, "name": None},  # nothing about tags
        {**stack, "tags": {"Name": "sample-vpc"}, "name": None},  # purge: Stack and ManagedBy would go
        {**stack, "ipv6_cidr": False},  # no Amazon IPv6 block, none wanted
        {**stack, "ipv6_cidr": True},
        {**stack, "dhcp_opts_id": "dopt-0000000000000000f"},
        {**stack, "tenancy": "dedicated"},  # not compared on a VPC that exists
    ]


def test_leaves_out_exactly_the_vpcs_the_module_would_not_change(vpc, moto_ec2):
    vpc_id, existing = vpc
    wanted = candidates(vpc_id)
    expected = [candidate for candidate in wanted if moto_ec2.run(upstream, {
        key: value for key, value in candidate.items() if value is not None})["changed"]]
    assert ec2_vpc_nets_to_put(wanted, existing) == expected
    # Both kinds are exercised: some VPCs are as given, some are not.
    assert 0 < len(expected) < len(wanted)
    assert wanted[0] not in expected
    assert wanted[4] in expected


def found_vpc(*pools_and_states):
    return {"id": "vpc-1", "tags": {}, "cidr_block_association_set": [
        {"cidr_block": "10.0.0.0/16", "cidr_block_state": {"state": "associated"}},
        {"cidr_block": "10.9.0.0/16", "cidr_block_state": {"state": "disassociated"}}],
        "ipv6_cidr_block_association_set": [
            {"ipv6_pool": pool, "ipv6_cidr_block_state": {"state": state}} for pool, state in pools_and_states]}


@pytest.mark.parametrize(("associations", "ipv6_cidr", "differs"), [
    ((), True, True),
    ((("Amazon", "associated"),), True, False),
    ((("Amazon", "associating"),), True, False),
    ((("Amazon", "disassociated"),), True, True),
    ((("ipv6pool-ec2-1", "associated"),), True, True),  # the module counts Amazon's pool only
    ((("Amazon", "associated"),), False, True),
    ((), None, False),
])
def test_the_amazon_ipv6_block_is_the_one_the_module_sees(associations, ipv6_cidr, differs):
    vpc = {"vpc_id": "vpc-1", "ipv6_cidr": ipv6_cidr, "cidr_block": ["10.0.0.0/16"], "purge_cidrs": True}
    # A disassociated CIDR is not the VPC's: with purge_cidrs the VPC has exactly the one given.
    assert ec2_vpc_nets_to_put([vpc], [found_vpc(*associations)]) == ([vpc] if differs else [])


def test_a_vpc_given_without_id_or_not_found_is_always_returned():
    assert ec2_vpc_nets_to_put([{"name": "sample-vpc"}], [found_vpc()]) == [{"name": "sample-vpc"}]
    assert ec2_vpc_nets_to_put([{"vpc_id": "vpc-2"}], [found_vpc()]) == [{"vpc_id": "vpc-2"}]
    assert ec2_vpc_nets_to_put([{"vpc_id": "vpc-1"}], [found_vpc()]) == []


@pytest.mark.parametrize(("vpcs", "message"), [
    (["vpc-1"], "each VPC must be a dictionary"),
    ([{"vpc_id": "vpc-1", "dns_support": "maybe"}], "dns_support .* is not a boolean"),
    ([{"vpc_id": "vpc-1", "tags": ["Name"]}], "tags must be a dictionary"),
    ("vpc", "must be lists"),
])
def test_refuses_what_it_cannot_compare(vpcs, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ec2_vpc_nets_to_put(vpcs, [found_vpc()])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"ec2_vpc_nets_to_put": ec2_vpc_nets_to_put}
