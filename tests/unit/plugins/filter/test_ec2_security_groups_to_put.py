"""aws_intro.stack.ec2_security_groups_to_put: a group is left out exactly when amazon.aws.ec2_security_group would
report it unchanged without a warning. Checked against the upstream module itself (its main(), in check mode) on
groups made by moto in-process and read back by the upstream ec2_security_group_info."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.amazon.aws.plugins.modules import ec2_security_group as upstream
from ansible_collections.amazon.aws.plugins.modules import ec2_security_group_info as upstream_info
from ansible_collections.aws_intro.stack.plugins.filter.ec2_security_groups_to_put import (
    FilterModule,
    ec2_security_groups_to_put,
)

TAGS = {"Stack": "sample", "ManagedBy": "aws_intro.stack"}
OPTIONS = ("name", "description", "vpc_id", "rules", "purge_rules", "tags", "purge_tags")


def tags(name):
    return [{"ResourceType": "security-group", "Tags": [
        {"Key": key, "Value": value} for key, value in {**TAGS, "Name": name}.items()]}]


def tcp(ports, source, description):
    return {"IpProtocol": "tcp", "FromPort": ports[0], "ToPort": ports[-1], **source_of(source, description)}


def source_of(source, description):
    if source.startswith("sg-"):
        return {"UserIdGroupPairs": [{"GroupId": source, "Description": description}]}
    return {"IpRanges": [{"CidrIp": source, "Description": description}]}


@pytest.fixture
def vpc(moto_ec2):
    """The network role's tiers: alb (80 and 443 from anywhere), bastion (22 from an admin CIDR), web (the app port
    from alb, 22 from bastion and from itself), and a group that allows every protocol from a CIDR; read back."""
    ec2 = moto_ec2.client
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]

    def group(name, *permissions):
        group_id = ec2.create_security_group(GroupName=name, Description=f"sample {name}", VpcId=vpc_id,
                                             TagSpecifications=tags(name))["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=list(permissions))
        return group_id

    alb = group("sample-alb", tcp((80,), "0.0.0.0/0", "HTTP and HTTPS"), tcp((443,), "0.0.0.0/0", "HTTP and HTTPS"))
    bastion = group("sample-bastion", tcp((22,), "203.0.113.0/24", "SSH from an admin CIDR"))
    web = group("sample-web", tcp((3000,), alb, "App port"), tcp((22,), bastion, "SSH from the bastion"),
                tcp((8000, 8100), "10.0.0.0/16", "Range"))
    ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[tcp((9000,), web, "Itself")])
    group("sample-any", {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]})
    existing = moto_ec2.run(upstream_info, {"filters": {"vpc-id": vpc_id}})["security_groups"]
    return {"vpc_id": vpc_id, "alb": alb, "bastion": bastion, "web": web, "existing": existing}


def without(rule, key):
    return {name: value for name, value in rule.items() if name != key}


def candidates(made):
    vpc_id, alb_id, bastion_id = made["vpc_id"], made["alb"], made["bastion"]
    alb = {"name": "sample-alb", "description": "sample sample-alb", "vpc_id": vpc_id, "purge_rules": True,
           "tags": {**TAGS, "Name": "sample-alb"},
           "rules": [{"proto": "tcp", "ports": [80, 443], "cidr_ip": "0.0.0.0/0", "rule_desc": "HTTP and HTTPS"}]}
    bastion = {**alb, "name": "sample-bastion", "description": "sample sample-bastion",
               "tags": {**TAGS, "Name": "sample-bastion"},
               "rules": [{"proto": "tcp", "ports": [22], "cidr_ip": ["203.0.113.0/24"],
                          "rule_desc": "SSH from an admin CIDR"}]}
    web_rules = [{"proto": "tcp", "ports": ["3000"], "group_name": "sample-alb", "rule_desc": "App port"},
                 {"proto": "tcp", "ports": [22], "group_id": bastion_id, "rule_desc": "SSH from the bastion"},
                 {"proto": "tcp", "ports": ["8000-8100"], "cidr_ip": "10.0.0.0/16", "rule_desc": "Range"},
                 {"proto": "tcp", "ports": [9000], "group_name": "sample-web", "rule_desc": "Itself"}]
    web = {**alb, "name": "sample-web", "description": "sample sample-web", "tags": {**TAGS, "Name": "sample-web"},
           "rules": web_rules}
    everything = {**alb, "name": "sample-any", "description": "sample sample-any",
                  "tags": {**TAGS, "Name": "sample-any"}, "rules": [{"proto": "all", "cidr_ip": "10.0.0.0/8"}]}
    rule = alb["rules"][0]
    return [
        alb,
        {**alb, "rules": [{**rule, "ports": ["443", 80]}]},  # order, and ports as text
        {**alb, "rules": [{**rule, "ports": "80,443"}]},  # a string is split at commas, as type=list does
        {**alb, "rules": [{**rule, "ports": [80]}, {**rule, "ports": [443]}]},  # the same rules, written apart
        {**alb, "rules": [{**rule, "rule_desc": "Web"}]},  # a description to update
        {**alb, "rules": [{**rule, "rule_desc": None}]},  # no description: the module would update it too
        {**alb, "rules": [{**rule, "ports": [443]}]},  # port 80 would be revoked
        {**alb, "rules": [{**rule, "ports": [443]}], "purge_rules": False},  # not without purge_rules
        {**alb, "rules": [{**rule, "ports": [80, 443, 8080]}]},  # 8080 would be added
        {**alb, "rules": [{**rule, "cidr_ip": "10.0.0.0/8"}]},  # another source
        {**alb, "rules": [{**rule, "proto": "udp"}]},  # another protocol
        {**alb, "rules": []},  # every rule would be revoked
        {**alb, "rules": None, "purge_rules": False},
        {**alb, "description": "another description"},  # unchanged, but the module warns
        {**alb, "tags": {"Name": "sample-alb"}},  # purge_tags: the other tags would go
        {**alb, "tags": {"Name": "sample-alb"}, "purge_tags": "no"},
        {**alb, "tags": None},  # no tags given: the module leaves them
        {**alb, "tags": {**TAGS, "Name": "sample-alb", "Tier": "front"}},
        {**alb, "name": "sample-missing"},
        {**alb, "vpc_id": "vpc-0000000000000000f"},  # a group of that name, in another VPC
        bastion,
        {**bastion, "rules": [{**bastion["rules"][0], "cidr_ip": "203.0.113.7/24"}]},  # host bits: the network
        {**bastion, "rules": [{**bastion["rules"][0], "cidr_ip": ["203.0.113.0/24", "198.51.100.0/24"]}]},
        web,
        {**web, "rules": [{**without(web_rules[0], "group_name"), "group_id": alb_id}, *web_rules[1:]]},  # by id
        {**web, "rules": [{**web_rules[0], "group_name": "sample-bastion"}, *web_rules[1:]]},  # another group
        {**web, "rules": [*web_rules[:2], {**web_rules[2], "ports": ["8100-8000"]}, web_rules[3]]},  # range reversed
        {**web, "rules": [*web_rules[:2], {**without(web_rules[2], "ports"), "from_port": 8000, "to_port": 8100},
                          web_rules[3]]},
        {**web, "rules": [*web_rules[:2], {**web_rules[2], "ports": ["8000-8200"]}, web_rules[3]]},
        {**web, "rules": web_rules[:3]},  # the rule from the group itself would be revoked
        everything,
        {**everything, "rules": [{"proto": "-1", "cidr_ip": "10.0.0.0/8"}]},
        {**everything, "rules": [{"proto": "all", "cidr_ip": "10.0.0.0/8", "rule_desc": "All"}]},
    ]


def module_would_put(moto_ec2, group):
    """Changed, or the description warning (the filter returns those groups so that the module can warn)."""
    result = moto_ec2.run(upstream, {key: value for key, value in group.items() if key in OPTIONS and value is not None}
                          | {"rules": group.get("rules")})
    return result["changed"] or any("description does not match" in w for w in result.get("warnings", []))


def test_leaves_out_exactly_the_groups_the_module_would_not_change(vpc, moto_ec2):
    wanted = candidates(vpc)
    expected = [group for group in wanted if module_would_put(moto_ec2, group)]
    assert ec2_security_groups_to_put(wanted, vpc["existing"]) == expected
    # Both kinds are exercised: most shapes of each group are in place, and as many are not.
    unchanged = [group for group in wanted if group not in expected]
    assert len(unchanged) >= 12
    assert len(expected) >= 15
    assert {group["name"] for group in unchanged} == {"sample-alb", "sample-bastion", "sample-web", "sample-any"}


def test_a_group_whose_rule_names_a_group_not_there_yet_is_returned(vpc):
    web = {"name": "sample-web", "description": "sample sample-web", "vpc_id": vpc["vpc_id"],
           "tags": {**TAGS, "Name": "sample-web"},
           "rules": [{"proto": "tcp", "ports": [3000], "group_name": "sample-new", "rule_desc": "App port"}]}
    assert ec2_security_groups_to_put([web], vpc["existing"]) == [web]
    # In check mode a group to create has no id yet.
    web["rules"] = [{"proto": "tcp", "ports": [3000], "group_id": "", "rule_desc": "App port"}]
    assert ec2_security_groups_to_put([web], vpc["existing"]) == [web]


def found(*permissions, owner="111122223333"):
    return {"vpc_id": "vpc-1", "group_name": "sample-web", "group_id": "sg-1", "owner_id": owner,
            "description": "web", "tags": {}, "ip_permissions": list(permissions)}


PAIR = {"ip_protocol": "tcp", "from_port": 22, "to_port": 22}
WEB = {"name": "sample-web", "description": "web", "vpc_id": "vpc-1",
       "rules": [{"proto": "tcp", "ports": [22], "group_id": "sg-2"}]}


@pytest.mark.parametrize(("pair", "differs"), [
    ({"group_id": "sg-2", "user_id": "111122223333"}, False),
    ({"group_id": "sg-2"}, False),  # no account: the module takes its own
    ({"group_id": "sg-2", "user_id": "444455556666"}, True),  # another account's group of that id
    ({"group_id": "sg-2", "user_id": "111122223333", "vpc_peering_connection_id": "pcx-1"}, True),
])
def test_a_group_pair_matches_only_in_the_same_account(pair, differs):
    group = found({**PAIR, "user_id_group_pairs": [pair]})
    assert ec2_security_groups_to_put([WEB], [group]) == ([WEB] if differs else [])


@pytest.mark.parametrize(("groups", "message"), [
    ([{"name": "sample-web"}], "needs name and vpc_id"),
    ([{**WEB, "group_id": "sg-1"}], "group_id not supported"),
    ([{**WEB, "rules_egress": []}], "rules_egress not supported"),
    ([{**WEB, "state": "absent"}], "state must be present"),
    ([{**WEB, "rules": [{"proto": "icmp", "icmp_type": 8, "cidr_ip": "0.0.0.0/0"}]}], "icmp_type not supported"),
    ([{**WEB, "rules": [{"proto": "6", "ports": [22], "cidr_ip": "0.0.0.0/0"}]}], "protocol by name"),
    ([{**WEB, "rules": [{"proto": "tcp", "cidr_ip": "0.0.0.0/0"}]}], "needs ports"),
    ([{**WEB, "rules": [{"proto": "tcp", "ports": ["ssh"], "cidr_ip": "0.0.0.0/0"}]}], "unable to parse port"),
    ([{**WEB, "rules": [{"proto": "tcp", "ports": [22]}]}], "needs a source"),
    ([{**WEB, "rules": [{"proto": "tcp", "ports": [22], "group_id": "123/sg-1/x"}]}], "another account"),
    ([{**WEB, "rules": ["tcp 22"]}], "must be a dictionary"),
    ([{**WEB, "purge_rules": "maybe"}], "purge_rules .* is not a boolean"),
    ([{**WEB, "tags": ["Name"]}], "tags must be a dictionary"),
    ("sample-web", "must be lists"),
])
def test_refuses_what_it_cannot_compare(groups, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ec2_security_groups_to_put(groups, [found()])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"ec2_security_groups_to_put": ec2_security_groups_to_put}
