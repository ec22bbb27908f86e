"""aws_intro.stack.ec2_instances_to_put: an instance is left out exactly when amazon.aws.ec2_instance would report it
unchanged. Checked against the upstream module itself (its main(), in check mode) on instances made by moto
in-process and read back by the upstream ec2_instance_info."""

from __future__ import annotations

import boto3
import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.amazon.aws.plugins.modules import ec2_instance as upstream
from ansible_collections.amazon.aws.plugins.modules import ec2_instance_info as upstream_info
from ansible_collections.aws_intro.stack.plugins.filter.ec2_instances_to_put import FilterModule, ec2_instances_to_put

TAGS = {"Stack": "sample", "Role": "web"}
OPTIONS = ("name", "image_id", "instance_type", "key_name", "user_data", "vpc_subnet_id", "security_groups",
           "iam_instance_profile", "metadata_options", "tags", "purge_tags", "filters", "state", "wait", "volumes")
STATES = ["pending", "running", "stopping", "stopped"]


@pytest.fixture
def made(moto_ec2):
    """The network role's shape: sample-web-1 running with the web group and the instance profile, IMDSv2 only;
    sample-web-2 stopped; read back."""
    ec2 = moto_ec2.client
    iam = boto3.client("iam", region_name=moto_ec2.region)
    iam.create_instance_profile(InstanceProfileName="sample-web")
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.10.0/24")["Subnet"]["SubnetId"]
    web, other = (ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc_id)["GroupId"]
                  for name in ("sample-web", "sample-other"))

    def launch(name, **more):
        tags = [{"Key": key, "Value": value} for key, value in {**TAGS, "Name": name}.items()]
        return ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet,
                                 SecurityGroupIds=[web], MetadataOptions={"HttpTokens": "required"},
                                 TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
                                 **more)["Instances"][0]["InstanceId"]

    first = launch("sample-web-1", IamInstanceProfile={"Name": "sample-web"})
    second = launch("sample-web-2")
    ec2.stop_instances(InstanceIds=[second])
    existing = moto_ec2.run(upstream_info, {"filters": {"vpc-id": vpc_id}})["instances"]
    return {"ami": ami, "vpc_id": vpc_id, "subnet": subnet, "web": web, "other": other, "first": first,
            "existing": existing}


def host(made, name):
    return {"name": name, "image_id": made["ami"], "instance_type": "t3.micro", "vpc_subnet_id": made["subnet"],
            "security_groups": [made["web"]], "iam_instance_profile": "sample-web",
            "metadata_options": {"http_tokens": "required", "http_endpoint": "enabled"}, "tags": TAGS,
            "filters": {"tag:Name": name, "tag:Stack": "sample", "vpc-id": made["vpc_id"],
                        "instance-state-name": STATES},
            "state": "running", "wait": False}


def candidates(made):
    web = host(made, "sample-web-1")
    metadata = web["metadata_options"]
    return [
        web,
        {**web, "iam_instance_profile": None},  # not given: the module leaves it
        {**web, "image_id": "ami-00000000000000000", "key_name": "sample", "user_data": "#!/bin/sh\n",
         "volumes": [{"device_name": "/dev/xvda", "ebs": {"volume_size": 20}}]},  # launch only
        {**web, "filters": {**{k: v for k, v in web["filters"].items() if k != "instance-state-name"},
                            "instance_state_name": STATES}},  # the module writes '-' for '_
        {**web, "filters": {**web["filters"], "tag:Stack": ["sample", "other"]}},
        {**web, "instance_type": "t3.small"},
        {**web, "instance_type": None},
        {**web, "security_groups": [made["other"]]},
        {**web, "security_groups": [made["web"], made["other"]]},
        {**web, "security_groups": []},  # none given: the module leaves them
        {**web, "metadata_options": {**metadata, "http_tokens": "optional"}},
        {**web, "metadata_options": {**metadata, "http_put_response_hop_limit": 2}},
        {**web, "metadata_options": {**metadata, "http_put_response_hop_limit": "1"}},
        {**web, "metadata_options": {"http_tokens": "required"}},  # the other defaults are in place
        {**web, "metadata_options": {}},  # every default: tokens optional
        {**web, "metadata_options": None},
        {**web, "tags": {**TAGS, "Tier": "app"}},
        {**web, "tags": {"Stack": "sample"}},  # purge_tags: Role would go
        {**web, "tags": {"Stack": "sample"}, "purge_tags": False},
        {**web, "tags": None},  # the name alone: the Name tag, nothing purged
        {**web, "tags": {}},  # purge with the Name alone
        {**web, "name": "sample-web-one"},  # found by the filters, renamed
        host(made, "sample-web-9"),  # missing: launched
        host(made, "sample-web-2"),  # stopped, and without the profile
        {**host(made, "sample-web-2"), "iam_instance_profile": None},  # stopped alone: started
        {**host(made, "sample-web-2"), "filters": {**host(made, "sample-web-2")["filters"],
                                                   "instance-state-name": ["pending", "running"]}},  # launched
        {**web, "state": "terminated"},
        {**host(made, "sample-web-9"), "state": "absent"},  # nothing to terminate
    ]


def test_leaves_out_exactly_the_instances_the_module_would_not_change(made, moto_ec2):
    wanted = candidates(made)
    expected = [item for item in wanted if moto_ec2.run(upstream, {
        key: value for key, value in item.items() if key in OPTIONS and value is not None})["changed"]]
    assert ec2_instances_to_put(wanted, made["existing"]) == expected
    unchanged = [item for item in wanted if item not in expected]
    assert len(unchanged) >= 10
    assert len(expected) >= 12


def found(profile=None, interfaces=1):
    return {"instance_id": "i-1", "state": {"name": "running"}, "tags": {"Name": "web"},
            "iam_instance_profile": {"arn": profile, "id": "AIPA1"} if profile else None,
            "network_interfaces": [{"network_interface_id": f"eni-{n}"} for n in range(interfaces)],
            "security_groups": [{"group_id": "sg-1"}]}


ITEM = {"name": "web", "filters": {"instance-id": "i-1"}, "security_groups": ["sg-1"]}
ARN = "arn:aws:iam::123456789012:instance-profile/"


# The upstream module associates a profile even in check mode (add_or_update_instance_profile has no check-mode
# guard), so these cases are a table, not module runs.
@pytest.mark.parametrize(("profile", "wanted", "differs"), [
    (f"{ARN}sample-web", "sample-web", False),
    (f"{ARN}app/sample-web", "sample-web", False),  # a path: the name still ends the ARN
    (f"{ARN}sample-web", f"{ARN}sample-web", False),
    (f"{ARN}other-sample-web", "sample-web", True),
    (f"{ARN}sample-web", "web", True),
    (None, "sample-web", True),
    (f"{ARN}sample-web", None, False),
])
def test_the_instance_profile_is_compared_by_name_or_arn(profile, wanted, differs):
    item = {**ITEM, "iam_instance_profile": wanted}
    assert ec2_instances_to_put([item], [found(profile)]) == ([item] if differs else [])


def test_an_instance_with_more_interfaces_is_returned_for_the_module_to_warn():
    assert ec2_instances_to_put([ITEM], [found(interfaces=2)]) == [ITEM]
    assert ec2_instances_to_put([{**ITEM, "security_groups": []}], [found(interfaces=2)]) == []


@pytest.mark.parametrize(("items", "message"), [
    ([{**ITEM, "filters": None}], "needs filters"),
    ([{**ITEM, "filters": {"instance-type": "t3.micro"}}], "filter instance-type not supported"),
    ([{**ITEM, "filters": {"tag:Name": "web-*"}}], "wildcards"),
    ([{**ITEM, "security_groups": ["sample-web"]}], "security groups by id"),
    ([{**ITEM, "source_dest_check": False}], "source_dest_check not supported"),
    ([{**ITEM, "exact_count": 2}], "exact_count not supported"),
    ([{**ITEM, "state": "stopped"}], "state 'stopped' not supported"),
    ([{**ITEM, "metadata_options": {"http_tokens": "required", "hop": 2}}], "metadata_options .* not supported"),
    ([{**ITEM, "tags": ["Name"]}], "tags must be a dictionary"),
    ([{**ITEM, "purge_tags": "maybe", "tags": {}}], "purge_tags .* is not a boolean"),
    ([["web"]], "must be a dictionary"),
    ("web", "must be lists"),
])
def test_refuses_what_it_cannot_compare(items, message):
    with pytest.raises(AnsibleFilterError, match=message):
        ec2_instances_to_put(items, [found()])


def test_is_registered_under_its_name():
    assert FilterModule().filters() == {"ec2_instances_to_put": ec2_instances_to_put}
