"""Bad input to the network role fails before any AWS call, naming the variable; check mode on an
empty account predicts without creating; adopt mode creates nothing; the bastion variant (a newer
image, and its replacement when asked); the key pair the hosts are reached with. (Scaling down, with the
surplus drained first, is test_network.py's scaled_down.)"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from local.emulator.recorder import call_name
from tests.integration.ansible_runner import run_playbook
from tests.integration.images import AL2023_OWNER, AL2023_SOURCE, publish_image

INVENTORY = "tests/integration/inventory"
# cloud.yml runs every cloud role; these tests are about the network role alone.
NETWORK_ONLY = ("--tags", "network")
# What check mode on an empty account predicts with the test inventory's settings, in the order of the run.
PLANNED = ["subnet sample-public-a", "subnet sample-public-b", "subnet sample-private-a", "subnet sample-private-b",
           "internet gateway sample-igw", "NAT gateway sample-nat", "route table sample-public",
           "route table sample-private", "S3 gateway endpoint sample-s3", "security group sample-alb",
           "security group sample-bastion", "security group sample-web", "security group sample-db",
           "security group sample-cache", "web instances sample-web-1 .. 2", "instance sample-bastion",
           "target group sample-web", "application load balancer sample-alb", "private hosted zone home"]


@pytest.mark.parametrize(
    ("extra_vars", "variable"),
    [
        ({"network_vpc_cidr": "10.0.0.0/33"}, "network_vpc_cidr"),
        ({"network_vpc_cidr": "not-a-cidr"}, "network_vpc_cidr"),
        ({"network_vpc_cidr": "10.0.0.1/16"}, "network_vpc_cidr"),
        ({"network_vpc_cidr": "10.0.0.0/8"}, "network_vpc_cidr"),
        ({"network_public_subnet_cidrs": ["10.0.0.0/24", "10.9.0.0/24"]}, "network_public_subnet_cidrs"),
        ({"network_private_subnet_cidrs": ["10.0.10.0/24"]}, "network_private_subnet_cidrs"),
        ({"network_private_subnet_cidrs": ["10.0.0.0/25", "10.0.11.0/24"]}, "network_public_subnet_cidrs"),
        ({"network_web_instance_count": 0}, "network_web_instance_count"),
        ({"network_web_instance_count": "two"}, "network_web_instance_count"),
        ({"network_ami_family": "ubuntu"}, "network_ami_family"),
        ({"network_admin_cidrs": ["0.0.0.0/33"]}, "network_admin_cidrs"),
        # The bastion is on by default (stack_connection ssh) and takes SSH from these only.
        ({"network_admin_cidrs": []}, "network_admin_cidrs"),
        ({"stack_connection": "telnet"}, "stack_connection"),
        ({"network_key_type": "dsa"}, "network_key_type"),
        ({"stack_name": "aws-stack"}, "stack_name"),
        ({"network_vpc_id": "vpc-0abc", "network_public_subnet_ids": ["subnet-1"]}, "network_public_subnet_ids"),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) else None,
)
def test_bad_input_fails_before_any_aws_call(extra_vars, variable, aws_env, recording):
    with recording() as rec:
        result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=extra_vars, inventory=INVENTORY)
    assert result.rc != 0
    assert result.failed == 1
    assert variable in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()


def test_check_mode_on_an_empty_account_predicts_and_creates_nothing(emulator, aws_env, aws):
    emulator.reset()
    result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=INVENTORY, check=True)
    assert result.rc == 0, result.stdout[-3000:]
    predict = "aws_intro.stack.network : Predict each resource the network role would create (check mode, no VPC yet)"
    assert result.changed_tasks() == [
        "aws_intro.stack.network : Key pair of the stack (a new pair's private key goes to network_key_file, 0600),"
        " sample",
        "aws_intro.stack.network : Create the VPC, or change it where it differs", *[predict] * len(PLANNED)]
    # Each resource once, with its settings (what a run would make of them).
    predicted = re.findall(r"^changed: \[localhost\] => \(item=(.+)\)", result.stdout, re.MULTILINE)
    assert predicted == PLANNED
    for setting in ("cidr: 10.0.11.0/24", "- tcp 3000 from sample-alb", "- tcp 22 from sample-bastion",
                    "instance_type: t3.micro", "health_check_path: /"):
        assert setting in result.stdout
    ec2 = aws("ec2")
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")] == []
    assert ec2.describe_key_pairs()["KeyPairs"] == []


@pytest.fixture
def hand_built(emulator, aws):
    """A network made by hand in the console: a VPC, two public and two private subnets, four SGs."""
    emulator.reset()
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="172.31.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"172.31.{n}.0/24",
                                 AvailabilityZone=f"ap-northeast-2{'ab'[n % 2]}")["Subnet"]["SubnetId"]
               for n in range(4)]
    groups = {name: ec2.create_security_group(VpcId=vpc, GroupName=f"console-{name}",
                                              Description=name)["GroupId"]
              for name in ("alb", "web", "db", "cache")}
    return {"network_vpc_id": vpc, "network_public_subnet_ids": subnets[:2],
            "network_private_subnet_ids": subnets[2:], "network_security_group_ids": groups}


def test_adopt_mode_looks_up_and_creates_nothing(hand_built, aws_env, recording):
    with recording() as rec:
        result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=hand_built, inventory=INVENTORY)
    assert result.rc == 0, result.stdout[-3000:]
    assert result.changed == 0, result.changed_tasks()
    assert rec.writes() == {}
    outputs = result.outputs["network_outputs"]
    assert outputs["adopted"] is True
    assert outputs["vpc_id"] == hand_built["network_vpc_id"]
    assert outputs["public_subnet_ids"] == hand_built["network_public_subnet_ids"]
    assert outputs["private_subnet_ids"] == hand_built["network_private_subnet_ids"]
    assert outputs["security_group_ids"] == hand_built["network_security_group_ids"]
    assert outputs["web_instance_ids"] == []


def test_adopt_mode_with_an_unknown_vpc_fails_clearly(emulator, hand_built, aws_env):
    result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=INVENTORY,
                          extra_vars={**hand_built, "network_vpc_id": "vpc-0123456789abcdef0"})
    assert result.rc != 0
    assert "network_vpc_id vpc-0123456789abcdef0" in result.stdout


def test_bastion_takes_over_ssh_to_the_web_hosts(emulator, aws_env, aws, recording, tmp_path):
    emulator.reset()
    # A key pair made by hand in the console, its private key downloaded: adopted as it is.
    key_file = tmp_path / "admin-key.pem"
    key_file.write_text(aws("ec2").create_key_pair(KeyName="admin-key")["KeyMaterial"])
    key_file.chmod(0o600)
    extra = {"network_bastion_enabled": True, "network_web_instance_count": 1, "network_nat_gateway_enabled": False,
             "network_ami_family": "al2023", "network_key_name": "admin-key", "network_key_file": str(key_file)}
    result = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=extra, inventory=INVENTORY)
    assert result.rc == 0, result.stdout[-3000:]
    outputs = result.outputs["network_outputs"]
    assert outputs["bastion_instance_id"]
    assert len(outputs["web_instance_ids"]) == 1
    ec2 = aws("ec2")
    web = ec2.describe_security_groups(GroupIds=[outputs["security_group_ids"]["web"]])["SecurityGroups"][0]
    ssh = [p for p in web["IpPermissions"] if p.get("FromPort") == 22]
    sources = [pair["GroupId"] for p in ssh for pair in p["UserIdGroupPairs"]]
    assert sources == [outputs["security_group_ids"]["bastion"]]
    assert [r for p in ssh for r in p["IpRanges"]] == []
    bastion = ec2.describe_instances(InstanceIds=[outputs["bastion_instance_id"]])["Reservations"][0]["Instances"][0]
    assert bastion["SubnetId"] == outputs["public_subnet_ids"][0]
    assert bastion["KeyName"] == "admin-key"
    # The AMI's user, which the inventories log in as (Amazon Linux: ec2-user).
    assert {t["Key"]: t["Value"] for t in bastion["Tags"]}["LoginUser"] == "ec2-user"
    # A key pair the stack did not make is not tagged as the stack's (the teardown leaves it).
    pair = ec2.describe_key_pairs(KeyNames=["admin-key"])["KeyPairs"][0]
    assert "Stack" not in {t["Key"] for t in pair.get("Tags", [])}
    image = ec2.describe_images(ImageIds=[bastion["ImageId"]])["Images"][0]
    assert image["Name"] == "al2023-ami-2023.12.20260930.0-kernel-6.1-x86_64"
    live = [{"Name": "state", "Values": ["pending", "available"]}]
    assert ec2.describe_nat_gateways(Filters=live)["NatGateways"] == []

    # A newer Amazon Linux image launches no second bastion and no second web host.
    newer = publish_image(aws, AL2023_OWNER, AL2023_SOURCE, "al2023-ami-2023.12.20261201.0-kernel-6.1-x86_64")
    with recording() as rec:
        again = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=extra, inventory=INVENTORY)
    assert again.rc == 0, again.stdout[-3000:]
    assert again.changed == 0, again.changed_tasks()
    assert "ec2:RunInstances" not in rec.summary()["by_call"]
    assert again.outputs["network_outputs"]["bastion_instance_id"] == outputs["bastion_instance_id"]
    assert again.outputs["network_outputs"]["web_instance_ids"] == outputs["web_instance_ids"]

    # Asked to, the role launches the bastion again on it (terminated first); the web host stays.
    with recording() as rec:
        renewed = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=INVENTORY,
                               extra_vars={**extra, "network_bastion_replace_on_ami_change": True})
    assert renewed.rc == 0, renewed.stdout[-3000:]
    calls = [c for c in (call_name(json.loads(line)) for line in rec.lines)
             if c in ("ec2:TerminateInstances", "ec2:RunInstances")]
    assert calls == ["ec2:TerminateInstances", "ec2:RunInstances"]
    new_bastion = renewed.outputs["network_outputs"]["bastion_instance_id"]
    assert new_bastion not in ("", outputs["bastion_instance_id"])
    assert renewed.outputs["network_outputs"]["web_instance_ids"] == outputs["web_instance_ids"]
    states = {i["InstanceId"]: (i["State"]["Name"], i["ImageId"], i["SubnetId"])
              for r in ec2.describe_instances(InstanceIds=[outputs["bastion_instance_id"], new_bastion])["Reservations"]
              for i in r["Instances"]}
    assert states == {outputs["bastion_instance_id"]: ("terminated", bastion["ImageId"], bastion["SubnetId"]),
                      new_bastion: ("running", newer, bastion["SubnetId"])}

    # Turning the bastion off terminates it and gives SSH back to the admin CIDRs.
    off = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, inventory=INVENTORY,
                       extra_vars={**extra, "network_bastion_enabled": False})
    assert off.rc == 0, off.stdout[-3000:]
    assert off.outputs["network_outputs"]["bastion_instance_id"] == ""
    web = ec2.describe_security_groups(GroupIds=[outputs["security_group_ids"]["web"]])["SecurityGroups"][0]
    ssh = [p for p in web["IpPermissions"] if p.get("FromPort") == 22]
    assert [r["CidrIp"] for p in ssh for r in p["IpRanges"]] == ["203.0.113.0/24"]


def test_the_key_pair_is_made_once_and_its_private_key_kept_0600(emulator, aws_env, aws, recording):
    emulator.reset()
    key_file = Path(aws_env["AWS_INTRO_LOCAL_DIR"]) / "aws_intro-sample-ap-northeast-2.pem"
    key_file.unlink(missing_ok=True)
    small = {"network_web_instance_count": 1, "network_nat_gateway_enabled": False}
    first = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=small, inventory=INVENTORY)
    assert first.rc == 0, first.stdout[-3000:]

    # The private key on disk is the one AWS holds the public half of.
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    private = serialization.load_ssh_private_key(key_file.read_bytes(), password=None)
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    ec2 = aws("ec2")
    pair = ec2.describe_key_pairs(KeyNames=["sample"], IncludePublicKey=True)["KeyPairs"][0]
    assert pair["KeyType"] == "ed25519"
    assert pair["PublicKey"].split()[:2] == public.decode().split()[:2]
    outputs = first.outputs["network_outputs"]
    instances = ec2.describe_instances(InstanceIds=[*outputs["web_instance_ids"], outputs["bastion_instance_id"]])
    launched = [i for r in instances["Reservations"] for i in r["Instances"]]
    assert {i["KeyName"] for i in launched} == {"sample"}
    assert {t["Value"] for i in launched for t in i["Tags"] if t["Key"] == "LoginUser"} == {"admin"}

    # Adopted as it is on the next run: the same key, no key pair call that writes.
    before = key_file.read_bytes()
    with recording() as rec:
        again = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=small, inventory=INVENTORY)
    assert again.rc == 0, again.stdout[-3000:]
    assert again.changed == 0, again.changed_tasks()
    assert [c for c in rec.writes() if "KeyPair" in c] == []
    assert key_file.read_bytes() == before

    # The pair exists but its private key is gone: refused, naming the file, before any change.
    key_file.unlink()
    with recording() as rec:
        lost = run_playbook("network.yml", aws_env, args=NETWORK_ONLY, extra_vars=small, inventory=INVENTORY)
    assert lost.rc != 0
    assert "network_key_file" in lost.stdout
    assert rec.writes() == {}, rec.summary()
    assert not key_file.exists()
