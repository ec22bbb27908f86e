"""aws_intro.stack.stack_diagram: one box per resource that exists, none for what is absent,
escaped text, and well-formed SVG."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.aws_intro.stack.plugins.filter.stack_diagram import FilterModule, stack_diagram

from tests.diagram import SVG, parse, resources

AZ_A = "ap-northeast-2a"
AZ_B = "ap-northeast-2b"

FULL = {
    "stack_name": "sample",
    "region": "ap-northeast-2",
    "vpc": {"id": "vpc-0a1", "cidr": "10.0.0.0/16"},
    "availability_zones": [AZ_A, AZ_B],
    "subnets": [
        {"id": "subnet-pa", "cidr": "10.0.0.0/24", "az": AZ_A, "tier": "public"},
        {"id": "subnet-pb", "cidr": "10.0.1.0/24", "az": AZ_B, "tier": "public"},
        {"id": "subnet-qa", "cidr": "10.0.10.0/24", "az": AZ_A, "tier": "private"},
        {"id": "subnet-qb", "cidr": "10.0.11.0/24", "az": AZ_B, "tier": "private"},
    ],
    "alb": {
        "name": "sample-alb",
        "arn": "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/sample-alb/1",
        "dns_name": "sample-alb-1.ap-northeast-2.elb.amazonaws.com",
        "listeners": [443, 80],
    },
    "target_group": {"name": "sample-web", "port": 3000},
    "web_instances": [
        {"id": "i-2", "name": "sample-web-2", "az": AZ_B, "private_ip": "10.0.11.4", "state": "running"},
        {"id": "i-1", "name": "sample-web-1", "az": AZ_A, "private_ip": "10.0.10.4", "state": "running"},
        {"id": "i-3", "name": "sample-web-3", "az": AZ_A, "private_ip": "10.0.10.5", "health": "unhealthy"},
    ],
    "bastion": {"id": "i-b", "name": "sample-bastion", "az": AZ_A, "public_ip": "198.51.100.7"},
    "database": {"id": "sample-db", "endpoint": "sample-db.x.rds.amazonaws.com", "port": 3306, "status": "available"},
    "cache": {"id": "sample-cache", "primary_endpoint": "master.c", "reader_endpoint": "replica.c", "node_count": 2},
    "bucket": {"name": "sample-123456789012-ap-northeast-2", "region": "ap-northeast-2"},
    "instance_profile": {"name": "sample-web"},
    "zones": [
        {"id": "ZPRIVATE", "name": "home.", "private": True, "record_count": 4},
        {"id": "ZPUBLIC", "name": "sample.example.", "private": False, "record_count": 12},
    ],
    "certificate": {"arn": "arn:aws:acm:ap-northeast-2:123456789012:certificate/c", "domain": "sample.example"},
    "mail": {"identity": "sample.example", "sandbox": True, "smtp_user": "sample-smtp"},
    "monitoring": {"dashboard": "sample", "alarm_count": 23, "topic": "sample-alarms"},
}
EVERY_KIND = {"users", "zone", "certificate", "vpc", "subnet", "alb", "target-group", "web-instance", "bastion",
              "database", "cache", "bucket", "mail", "monitoring"}


def flows(root: ET.Element) -> set[tuple[str, str]]:
    return {(g.get("data-from"), g.get("data-to")) for g in root.iter(f"{SVG}g") if g.get("class") == "flow"}


def test_full_stack_draws_every_box():
    root = parse(stack_diagram(FULL))
    found = resources(root)
    assert set(found) == EVERY_KIND
    assert sorted(found["web-instance"]) == ["i-1", "i-2", "i-3"]
    assert sorted(found["subnet"]) == ["subnet-pa", "subnet-pb", "subnet-qa", "subnet-qb"]
    assert sorted(found["zone"]) == ["ZPRIVATE", "ZPUBLIC"]
    assert found["vpc"] == ["vpc-0a1"]
    assert found["alb"] == [FULL["alb"]["arn"]]
    assert found["bastion"] == ["i-b"]
    assert found["database"] == ["sample-db"]
    assert found["cache"] == ["sample-cache"]
    assert found["bucket"] == [FULL["bucket"]["name"]]
    text = "".join(root.itertext())
    assert "2 nodes" in text
    assert "3 web instances" in text
    assert "listeners 80, 443" in text
    assert "23 alarms" in text


def test_full_stack_draws_the_data_flow():
    assert flows(parse(stack_diagram(FULL))) == {
        ("users", "alb"), ("users", "zone-public"), ("zone-public", "alb"), ("certificate", "alb"),
        ("alb", "web"), ("bastion", "web"), ("web", "database"), ("web", "cache"), ("web", "bucket"),
        ("web", "mail"), ("vpc", "monitoring"),
    }


def test_https_listener_labels_the_users_arrow():
    root = parse(stack_diagram(FULL))
    users = next(g for g in root.iter(f"{SVG}g") if g.get("data-to") == "alb" and g.get("data-from") == "users")
    assert "HTTPS" in "".join(users.itertext())
    http_only = copy.deepcopy(FULL)
    http_only["alb"]["listeners"] = [80]
    root = parse(stack_diagram(http_only))
    users = next(g for g in root.iter(f"{SVG}g") if g.get("data-to") == "alb" and g.get("data-from") == "users")
    assert "".join(users.itertext()) == "HTTP"


@pytest.mark.parametrize(
    ("absent", "gone_kinds", "gone_flows"),
    [
        (["database", "cache"], {"database", "cache"}, {("web", "database"), ("web", "cache")}),
        (["bastion"], {"bastion"}, {("bastion", "web")}),
        (["certificate"], {"certificate"}, {("certificate", "alb")}),
        (["mail", "monitoring"], {"mail", "monitoring"}, {("web", "mail"), ("vpc", "monitoring")}),
        (["bucket", "instance_profile"], {"bucket"}, {("web", "bucket")}),
        (["zones"], {"zone"}, {("users", "zone-public"), ("zone-public", "alb")}),
        (["alb"], {"alb"}, {("users", "alb"), ("zone-public", "alb"), ("certificate", "alb"), ("alb", "web")}),
    ],
)
def test_partial_stack_omits_what_is_absent(absent, gone_kinds, gone_flows):
    partial = {key: value for key, value in FULL.items() if key not in absent}
    root = parse(stack_diagram(partial))
    assert set(resources(root)) == EVERY_KIND - gone_kinds
    assert flows(parse(stack_diagram(FULL))) - flows(root) == gone_flows


@pytest.mark.parametrize("empty", [None, {}, [], ""])
def test_empty_values_count_as_absent(empty):
    partial = {**FULL, "database": empty, "web_instances": empty, "target_group": empty}
    found = resources(parse(stack_diagram(partial)))
    assert not {"database", "web-instance", "target-group"} & set(found)


def test_network_only():
    root = parse(stack_diagram({key: FULL[key] for key in ("stack_name", "vpc", "subnets", "availability_zones")}))
    assert set(resources(root)) == {"vpc", "subnet"}
    assert flows(root) == set()


def test_empty_account_says_nothing_was_found():
    root = parse(stack_diagram({"stack_name": "sample"}))
    assert resources(root) == {}
    assert "Nothing of stack sample was found." in "".join(root.itertext())


def test_text_is_escaped():
    hostile = copy.deepcopy(FULL)
    hostile["stack_name"] = "<b>&amp;"
    hostile["web_instances"][0]["name"] = '<script>alert("x")</script>'
    hostile["web_instances"][0]["id"] = "i-\"'&<>"
    hostile["bucket"]["name"] = "a&b<c>"
    svg = stack_diagram(hostile)
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert "i-\"'&<>" in resources(root)["web-instance"]
    text = "".join(root.itertext())
    assert '<script>alert("x")</script>' in text
    assert "a&b<c>" in text
    assert root.find(f"{SVG}title").text == "Stack <b>&amp; (ap-northeast-2)"


def test_long_text_is_shortened_and_kept_whole_in_the_title():
    long = copy.deepcopy(FULL)
    long["bucket"]["name"] = "b" * 200
    root = parse(stack_diagram(long))
    box = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "resource bucket")
    assert "b" * 200 in box.find(f"{SVG}title").text
    shown = [t.text for t in box.findall(f"{SVG}text")]
    assert any(t.endswith("\u2026") and len(t) < 60 for t in shown), shown


def test_same_input_same_text_whatever_the_order():
    shuffled = copy.deepcopy(FULL)
    shuffled["web_instances"].reverse()
    shuffled["subnets"].reverse()
    shuffled["zones"].reverse()
    assert stack_diagram(shuffled) == stack_diagram(FULL)


def test_title_argument():
    assert parse(stack_diagram(FULL, "My stack")).find(f"{SVG}title").text == "My stack"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a dict", "expects the dict"),
        ({"web_instances": "i-1"}, "'web_instances' must be a list"),
        ({"vpc": ["vpc-1"]}, "'vpc' must be a dict"),
    ],
)
def test_bad_input_is_refused(value, message):
    with pytest.raises(AnsibleFilterError, match=message):
        stack_diagram(value)


def test_filter_is_registered():
    assert FilterModule().filters() == {"stack_diagram": stack_diagram}
