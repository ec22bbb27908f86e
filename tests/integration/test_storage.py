"""The storage role against the emulator: converge with the network, a second run of both changes
nothing (the profile the storage role gives the instances survives the network role), check mode
on the converged stack changes nothing, and what AWS holds is read back: a private, encrypted,
TLS-only bucket, a policy naming that bucket only, the profile on the running web instances."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from tests.integration.ansible_runner import handler_results, run_playbook

INVENTORY = "tests/integration/inventory"
PLAYBOOK = "storage.yml"
EXTRA = {"storage_managed_policies": ["CloudWatchAgentServerPolicy"]}
STORAGE_ONLY = ("--tags", "storage")


@pytest.fixture(scope="module")
def converged(emulator, aws_env):
    emulator.reset()
    result = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY, args=("--tags", "network,storage"))
    assert result.rc == 0, result.stdout[-4000:]
    return result


@pytest.fixture(scope="module")
def outputs(converged):
    return converged.outputs["storage_outputs"]


def _document(value):
    return json.loads(urllib.parse.unquote(value)) if isinstance(value, str) else value


def test_converge_publishes_the_outputs(converged, outputs, aws):
    assert converged.changed > 0
    account = aws("sts").get_caller_identity()["Account"]
    assert outputs["bucket"] == f"sample-{account}-ap-northeast-2"
    assert outputs["region"] == "ap-northeast-2"
    assert outputs["role_name"] == outputs["instance_profile_name"] == "sample-web"
    assert outputs["role_arn"].endswith(":role/sample-web")
    assert outputs["instance_profile_arn"].endswith(":instance-profile/sample-web")


def test_bucket_is_not_public_and_owner_enforced(outputs, aws):
    s3 = aws("s3")
    block = s3.get_public_access_block(Bucket=outputs["bucket"])["PublicAccessBlockConfiguration"]
    assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                     "RestrictPublicBuckets": True}
    rules = s3.get_bucket_ownership_controls(Bucket=outputs["bucket"])["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert s3.get_bucket_location(Bucket=outputs["bucket"])["LocationConstraint"] == "ap-northeast-2"


def test_bucket_is_encrypted_versioned_and_expires_old_versions(outputs, aws):
    s3 = aws("s3")
    [rule] = s3.get_bucket_encryption(Bucket=outputs["bucket"])["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_versioning(Bucket=outputs["bucket"])["Status"] == "Enabled"
    [lifecycle] = s3.get_bucket_lifecycle_configuration(Bucket=outputs["bucket"])["Rules"]
    assert lifecycle["Status"] == "Enabled"
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert lifecycle["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7


def test_bucket_policy_denies_requests_without_tls(outputs, aws):
    policy = json.loads(aws("s3").get_bucket_policy(Bucket=outputs["bucket"])["Policy"])
    bucket_arn = f"arn:aws:s3:::{outputs['bucket']}"
    assert policy["Statement"] == [{
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]


def test_role_is_for_ec2_and_its_policy_names_only_the_bucket(outputs, aws):
    iam = aws("iam")
    role = iam.get_role(RoleName=outputs["role_name"])["Role"]
    trust = _document(role["AssumeRolePolicyDocument"])
    assert [s["Principal"] for s in trust["Statement"]] == [{"Service": "ec2.amazonaws.com"}]
    assert iam.list_role_policies(RoleName=outputs["role_name"])["PolicyNames"] == ["sample-storage-bucket"]
    document = _document(iam.get_role_policy(RoleName=outputs["role_name"], PolicyName="sample-storage-bucket")[
        "PolicyDocument"])
    bucket_arn = f"arn:aws:s3:::{outputs['bucket']}"
    assert {(s["Effect"], tuple(s["Action"]), s["Resource"]) for s in document["Statement"]} == {
        ("Allow", ("s3:ListBucket", "s3:GetBucketLocation"), bucket_arn),
        ("Allow", ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), f"{bucket_arn}/*"),
    }
    attached = iam.list_attached_role_policies(RoleName=outputs["role_name"])["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"]
    profile = iam.get_instance_profile(InstanceProfileName=outputs["instance_profile_name"])["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == [outputs["role_name"]]


def test_running_web_instances_carry_the_profile(converged, outputs, aws):
    web_ids = converged.outputs["network_outputs"]["web_instance_ids"]
    assert len(web_ids) == 2
    reservations = aws("ec2").describe_instances(InstanceIds=web_ids)["Reservations"]
    instances = [i for r in reservations for i in r["Instances"]]
    assert {i["State"]["Name"] for i in instances} == {"running"}
    assert {i["IamInstanceProfile"]["Arn"] for i in instances} == {outputs["instance_profile_arn"]}


def test_a_host_without_the_profile_is_predicted_in_check_mode_then_given_it(converged, outputs, aws_env, aws):
    """The network role gives a running host the profile in place; check mode only predicts it (amazon.aws
    ec2_instance would associate it even in check mode)."""
    ec2 = aws("ec2")
    web_id = converged.outputs["network_outputs"]["web_instance_ids"][0]
    (association,) = ec2.describe_iam_instance_profile_associations(
        Filters=[{"Name": "instance-id", "Values": [web_id]}])["IamInstanceProfileAssociations"]
    ec2.disassociate_iam_instance_profile(AssociationId=association["AssociationId"])

    def profile():
        (reservation,) = ec2.describe_instances(InstanceIds=[web_id])["Reservations"]
        return reservation["Instances"][0].get("IamInstanceProfile", {}).get("Arn")

    assert profile() is None
    check = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY, check=True,
                         args=("--tags", "network"))
    assert check.rc == 0, check.stdout[-4000:]
    assert any(task.startswith("aws_intro.stack.network : Say the instance profile the host would be given")
               for task in check.changed_tasks()), check.changed_tasks()
    assert profile() is None  # check mode changed nothing
    given = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY, args=("--tags", "network"))
    assert given.rc == 0, given.stdout[-4000:]
    assert profile() == outputs["instance_profile_arn"]


def test_second_run_of_network_and_storage_changes_nothing(converged, outputs, aws_env, recording):
    with recording() as rec:
        again = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY,
                             args=("--tags", "network,storage"))
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
    # The account id is read once, by the play's account check (cloud.yml, stack_allowed_account_ids set): the
    # bucket step and the lookup that publishes storage_outputs take its answer (stack_caller).
    assert handler_results(again.stdout, "Ask STS which account the credentials belong to") == ["ok: [localhost]"]
    assert handler_results(again.stdout, "storage : Read the account id and partition]") == ["skipping: [localhost]"]
    assert handler_results(again.stdout, "storage : Read the account id]") == ["skipping: [localhost]"]
    # The same outputs, from what the bucket, role and profile modules have just returned: none is read again
    # (iam_role_info would list the role's profiles; the profile module reads its profile once after its put).
    assert again.outputs["storage_outputs"] == outputs
    for lookup in ("Look up the bucket]", "Look up the role]", "Look up the instance profile]"):
        assert handler_results(again.stdout, f"storage : {lookup}") == ["skipping: [localhost]"], lookup
    calls = rec.summary()["by_call"]
    assert calls.get("sts:GetCallerIdentity") == 1, calls
    assert "iam:ListInstanceProfilesForRole" not in calls, calls
    assert calls.get("iam:GetInstanceProfile") == 2, calls


def test_check_mode_on_the_converged_storage_reports_no_change(converged, outputs, aws_env):
    # With no allowed accounts the play does not ask STS (no stack_caller): the role asks for itself.
    check = run_playbook(PLAYBOOK, aws_env, extra_vars={**EXTRA, "stack_allowed_account_ids": []},
                         inventory=INVENTORY, check=True, args=("--tags", "storage"))
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed == 0, check.changed_tasks()
    assert handler_results(check.stdout, "Ask STS which account the credentials belong to") == ["skipping: [localhost]"]
    assert handler_results(check.stdout, "storage : Read the account id and partition]") == ["ok: [localhost]"]
    # Check mode reads the buckets back (their modules do not run in it): the same outputs.
    assert check.outputs["storage_outputs"] == outputs


def test_dropping_the_extra_policy_detaches_it(converged, outputs, aws_env, aws):
    result = run_playbook(PLAYBOOK, aws_env, extra_vars={"storage_managed_policies": []}, inventory=INVENTORY,
                          args=("--tags", "storage"))
    assert result.rc == 0, result.stdout[-4000:]
    assert result.changed_tasks() == ["aws_intro.stack.storage : IAM role of the web instances, trusted by EC2, "
                                      "with the extra managed policies"]
    assert aws("iam").list_attached_role_policies(RoleName=outputs["role_name"])["AttachedPolicies"] == []


@pytest.mark.parametrize(
    ("extra_vars", "message"),
    [
        pytest.param({"storage_bucket_name": "Images_Of_The_App"},
                     "storage_bucket_name 'Images_Of_The_App' is not a valid S3", id="uppercase-and-underscore"),
        pytest.param({"storage_bucket_name": "192.168.5.4"}, "storage_bucket_name '192.168.5.4' is not a valid S3",
                     id="ip-address"),
        pytest.param({"storage_bucket_name": "x" * 64}, "is not a valid S3 bucket name", id="too-long"),
        pytest.param({"storage_encryption": "aws:kms"}, "storage_kms_key_arn must be the ARN of a KMS key",
                     id="kms-without-key"),
        pytest.param({"storage_managed_policies": ["not a policy"]}, "storage_managed_policies: 'not a policy'",
                     id="bad-policy"),
    ],
)
def test_bad_input_fails_before_any_aws_call(emulator, aws_env, recording, extra_vars, message):
    with recording() as rec:
        result = run_playbook(PLAYBOOK, aws_env, extra_vars=extra_vars, inventory=INVENTORY, args=("--tags", "storage"))
    assert result.rc != 0
    assert message in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()


def test_check_mode_reports_a_public_access_block_turned_off_and_the_run_puts_it_back(converged, outputs, aws_env,
                                                                                       aws):
    """Drift made by hand: one of the four public access blocks off. amazon.aws.s3_bucket has no check mode;
    the role reads the bucket in check mode and predicts the repair, which a normal run then makes."""
    s3 = aws("s3")
    bucket = outputs["bucket"]
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": True})
    check = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY, check=True, args=STORAGE_ONLY)
    assert check.rc == 0, check.stdout[-4000:]
    assert "aws_intro.stack.storage : Predict the bucket (check mode)" in check.changed_tasks()
    said = " ".join(check.stdout.split())  # the YAML callback folds long lines
    assert '"BlockPublicPolicy": false' in said, said[-3000:]
    assert "-> all four on" in said
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is False
    repaired = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY, args=("--tags", "storage"))
    assert repaired.rc == 0, repaired.stdout[-4000:]
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    again = run_playbook(PLAYBOOK, aws_env, extra_vars=EXTRA, inventory=INVENTORY, check=True, args=STORAGE_ONLY)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()
