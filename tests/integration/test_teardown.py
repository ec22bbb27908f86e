"""playbooks/teardown.yml against the emulator: refused (before any AWS call) without the confirmation or
with bad input; on a whole converged stack, --check deletes nothing, one tag tears down one part, the
teardown removes everything but the data (final RDS snapshot, bucket with its objects, SSM secrets), a
second teardown changes nothing, teardown_delete_data removes the data, and an empty account is no work.

The stack is built under a name of its own (STACK), so the Docker stand-ins the teardown removes locally
(label aws_intro.stack=STACK, network STACK-vpc) are only the ones this module makes."""

from __future__ import annotations

import contextlib
import subprocess
import uuid

import pytest
from botocore.exceptions import ClientError

from tests.integration.ansible_runner import run_playbook
from tests.integration.interrupted import leave_gateway_and_address

TEST_INVENTORY = "tests/integration/inventory"
STACK = "td-stack"
DOMAIN = "aws-intro-sample.com"  # inventories/local/group_vars/all/stack.yml
TEARDOWN = "playbooks/teardown.yml"
# The product's teardown, then the removal of the local stand-ins (what `make demo` started for the instances).
LOCAL_TEARDOWN = "local/teardown.yml"
CONFIRMED = {"stack_name": STACK, "teardown_confirm": STACK}
OBJECT_KEY = "uploads/avatar.jpg"


def teardown(aws_env, extra=None, check=False, args=()):
    return run_playbook(LOCAL_TEARDOWN, aws_env, inventory=TEST_INVENTORY, check=check, args=args,
                        extra_vars={**CONFIRMED, **(extra or {})})


def docker(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120, check=False)


def docker_engine() -> bool:
    try:
        return docker("info").returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def stand_ins() -> tuple[list[str], list[str]]:
    """Names of this stack's Docker containers and networks."""
    containers = docker("ps", "-a", "--filter", f"label=aws_intro.stack={STACK}", "--format", "{{.Names}}")
    networks = docker("network", "ls", "--filter", f"name=^{STACK}-vpc$", "--format", "{{.Name}}")
    return containers.stdout.split(), networks.stdout.split()


def make_stand_ins() -> bool:
    """A stopped container and a network as playbooks/web_hosts.yml names them, from an image already here."""
    images = docker("images", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    image = next((i for i in ("aws-intro/debian12-systemd:latest", "debian:bookworm") if i in images), None)
    if image is None:
        return False
    docker("network", "create", f"{STACK}-vpc")
    created = docker("create", "--name", f"{STACK}-i-{uuid.uuid4().hex[:12]}", "--network", f"{STACK}-vpc",
                     "--label", f"aws_intro.stack={STACK}", image, "true")
    return created.returncode == 0


@contextlib.contextmanager
def plain_http_allowed(s3, bucket: str):
    """The storage role's bucket policy denies requests without TLS, and moto enforces it on object requests;
    the emulator only speaks plain HTTP. Lift the policy for the block, then put it back as it was."""
    policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    s3.delete_bucket_policy(Bucket=bucket)
    try:
        yield
    finally:
        if exists(lambda: s3.head_bucket(Bucket=bucket), "404", "NoSuchBucket"):
            s3.put_bucket_policy(Bucket=bucket, Policy=policy)


def exists(call, *codes: str) -> bool:
    try:
        call()
    except ClientError as e:
        if e.response["Error"]["Code"] in codes:
            return False
        raise
    return True


def assert_no_aws_call(result, rec, needle):
    assert result.rc != 0
    assert needle in result.stdout, result.stdout[-3000:]
    assert rec.summary()["total"] == 0, rec.summary()


@pytest.mark.parametrize("confirm", [None, "sample", ""])
def test_refused_without_the_confirmation_before_any_aws_call(aws_env, recording, confirm):
    extra = {"stack_name": STACK} | ({} if confirm is None else {"teardown_confirm": confirm})
    with recording() as rec:
        result = run_playbook(TEARDOWN, aws_env, inventory=TEST_INVENTORY, extra_vars=extra)
    assert_no_aws_call(result, rec, "teardown_confirm must equal stack_name")
    assert f"playbooks/teardown.yml -e teardown_confirm={STACK}" in " ".join(result.stdout.split())


@pytest.mark.parametrize(("extra", "needle"), [
    ({"teardown_final_snapshot": "maybe"}, "teardown_final_snapshot"),
    ({"teardown_delete_data": [1]}, "teardown_delete_data"),
    ({"teardown_wait_timeout": 5}, "teardown_wait_timeout must be at least 60"),
    # The rule is the database role's; the message names the teardown's variable too.
    ({"teardown_final_snapshot_identifier": "bad--name"},
     "database_final_snapshot_identifier (teardown_final_snapshot_identifier in playbooks/teardown.yml) must be"),
])
def test_bad_input_fails_before_any_aws_call(aws_env, recording, extra, needle):
    with recording() as rec:
        result = teardown(aws_env, extra)
    assert_no_aws_call(result, rec, needle)


@pytest.fixture(scope="module")
def stack(emulator, aws_env, aws):
    """A fresh emulator with the whole cloud play converged under STACK, an object in the bucket, and
    (when Docker answers) a container and a network standing in for the instances and the VPC."""
    emulator.reset()
    built = run_playbook("playbooks/cloud.yml", aws_env, inventory=TEST_INVENTORY, extra_vars={"stack_name": STACK})
    assert built.rc == 0, built.stdout[-4000:]
    [vpc] = aws("ec2").describe_vpcs(Filters=[{"Name": "tag:Stack", "Values": [STACK]}])["Vpcs"]
    bucket = next(b["Name"] for b in aws("s3").list_buckets()["Buckets"] if b["Name"].startswith(f"{STACK}-"))
    with plain_http_allowed(aws("s3"), bucket):
        aws("s3").put_object(Bucket=bucket, Key=OBJECT_KEY, Body=b"an image")
    db = aws("rds").describe_db_instances(DBInstanceIdentifier=f"{STACK}-db")["DBInstances"][0]
    # What an interrupted network run leaves (test_interrupted stages the same): a tagged internet gateway
    # made but never attached, and a tagged Elastic IP allocated for a NAT gateway that was never created.
    leave_gateway_and_address(aws("ec2"), STACK)
    # The one secret a host role keeps in SSM (rails_app's SECRET_KEY_BASE): the hosts play is not run here.
    aws("ssm").put_parameter(Name=f"/{STACK}/secret_key_base", Type="SecureString", Value="0" * 128)
    return {"vpc_id": vpc["VpcId"], "bucket": bucket, "db": db,
            "docker": docker_engine() and make_stand_ins()}


def named(items: list, key: str, name: str) -> list:
    return [item for item in items if item[key] == name]


def inventory_of(aws) -> dict:
    """What of the stack exists, per kind (read back with boto3)."""
    ec2, elb = aws("ec2"), aws("elbv2")
    by_stack = [{"Name": "tag:Stack", "Values": [STACK]}]
    zones = aws("route53").list_hosted_zones()["HostedZones"]
    certificates = [c for c in aws("acm").list_certificates()["CertificateSummaryList"]
                    if c["DomainName"] == DOMAIN]
    instances = [i for r in ec2.describe_instances(Filters=by_stack)["Reservations"] for i in r["Instances"]
                 if i["State"]["Name"] != "terminated"]
    iam = aws("iam")
    return {
        "vpc": ec2.describe_vpcs(Filters=by_stack)["Vpcs"],
        "subnets": ec2.describe_subnets(Filters=by_stack)["Subnets"],
        "instances": instances,
        "nat": [n for n in ec2.describe_nat_gateways(Filter=by_stack)["NatGateways"] if n["State"] != "deleted"],
        "igw": ec2.describe_internet_gateways(Filters=by_stack)["InternetGateways"],
        "elastic_ips": ec2.describe_addresses(Filters=by_stack)["Addresses"],
        "security_groups": ec2.describe_security_groups(Filters=[
            {"Name": "group-name", "Values": [f"{STACK}-{g}" for g in ("alb", "web", "db", "cache", "bastion")]},
        ])["SecurityGroups"],
        "route_tables": ec2.describe_route_tables(Filters=by_stack)["RouteTables"],
        "vpc_endpoints": ec2.describe_vpc_endpoints(Filters=[
            *by_stack, {"Name": "vpc-endpoint-state", "Values": ["pending", "available"]}])["VpcEndpoints"],
        "alb": named(elb.describe_load_balancers()["LoadBalancers"], "LoadBalancerName", f"{STACK}-alb"),
        "target_group": named(elb.describe_target_groups()["TargetGroups"], "TargetGroupName", f"{STACK}-web"),
        "private_zone": [z for z in zones if z["Config"].get("Comment") == f"{STACK} private zone"],
        "public_zone": [z for z in zones if z["Name"] == f"{DOMAIN}." and not z["Config"]["PrivateZone"]],
        "certificate": certificates,
        "db": named(aws("rds").describe_db_instances()["DBInstances"], "DBInstanceIdentifier", f"{STACK}-db"),
        "db_subnet_group": [g for g in aws("rds").describe_db_subnet_groups()["DBSubnetGroups"]
                            if g["DBSubnetGroupName"] == f"{STACK}-db"],
        "db_parameter_group": [g for g in aws("rds").describe_db_parameter_groups()["DBParameterGroups"]
                               if g["DBParameterGroupName"] == f"{STACK}-db-mysql84"],
        "replication_group": [g for g in aws("elasticache").describe_replication_groups()["ReplicationGroups"]
                              if g["ReplicationGroupId"] == f"{STACK}-cache"],
        "cache_subnet_group": [g for g in aws("elasticache").describe_cache_subnet_groups()["CacheSubnetGroups"]
                               if g["CacheSubnetGroupName"] == f"{STACK}-cache"],
        "ses_identity": [i for i in aws("ses").list_identities()["Identities"] if i == DOMAIN],
        "smtp_user": [u for u in iam.list_users()["Users"] if u["UserName"] == f"{STACK}-smtp"],
        "dashboard": named(aws("cloudwatch").list_dashboards()["DashboardEntries"], "DashboardName", STACK),
        "alarms": aws("cloudwatch").describe_alarms(AlarmNamePrefix=f"{STACK}-alarm-")["MetricAlarms"],
        "topic": [t for t in aws("sns").list_topics()["Topics"] if t["TopicArn"].endswith(f":{STACK}-alarms")],
        "role": [r for r in iam.list_roles()["Roles"] if r["RoleName"] == f"{STACK}-web"],
        "instance_profile": [p for p in iam.list_instance_profiles()["InstanceProfiles"]
                             if p["InstanceProfileName"] == f"{STACK}-web"],
    }


def parameters(aws) -> list[str]:
    pages = aws("ssm").get_paginator("get_parameters_by_path").paginate(Path=f"/{STACK}/", Recursive=True)
    return sorted(p["Name"] for page in pages for p in page["Parameters"])


def test_the_converged_stack_has_everything(stack, aws):
    found = inventory_of(aws)
    assert [kind for kind, items in found.items() if not items] == []
    roles = sorted({t["Key"]: t["Value"] for t in i["Tags"]}["Role"] for i in found["instances"])
    assert roles == ["bastion", "web", "web"]  # the bastion is on by default
    assert len(found["alarms"]) > 10


def test_check_mode_deletes_nothing_and_reports_what_would_go(stack, aws_env, aws):
    before = {kind: len(items) for kind, items in inventory_of(aws).items()}
    check = teardown(aws_env, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert check.changed > 0
    would = set(check.changed_tasks())
    for task in ("Delete the alarms", "Delete the instance, with a final snapshot when database_final_snapshot is true",
                 "Terminate the instances and wait until they are gone", f"Delete the VPC {stack['vpc_id']}"):
        assert any(name.endswith(task) for name in would), (task, would)
    assert f"the final snapshot would be {STACK}-db-final-" in check.stdout
    assert {kind: len(items) for kind, items in inventory_of(aws).items()} == before
    if stack["docker"]:
        assert stand_ins() != ([], [])


def test_check_mode_with_one_tag_predicts_only_that_part(stack, aws_env):
    check = teardown(aws_env, check=True, args=("--tags", "storage"))
    assert check.rc == 0, check.stdout[-4000:]
    would = {name.split(" : ", 1)[-1] for name in check.changed_tasks()}
    assert would == {"Delete the instance profile (before its role)",
                     "Delete the IAM role with its inline and attached policies"}


def test_one_tag_tears_down_one_part(stack, aws_env, aws):
    mail = teardown(aws_env, args=("--tags", "mail"))
    assert mail.rc == 0, mail.stdout[-4000:]
    assert mail.changed > 0
    found = inventory_of(aws)
    assert found["ses_identity"] == found["smtp_user"] == []
    assert [kind for kind, items in found.items() if not items] == ["ses_identity", "smtp_user"]
    records = aws("route53").list_resource_record_sets(HostedZoneId=found["public_zone"][0]["Id"])["ResourceRecordSets"]
    assert not [r["Name"] for r in records if "_domainkey" in r["Name"] or r["Name"].startswith("_dmarc.")]


@pytest.fixture(scope="module")
def torn_down(stack, aws_env):
    result = teardown(aws_env)
    assert result.rc == 0, result.stdout[-4000:]
    return result


def test_teardown_removes_everything_but_the_data(torn_down, aws):
    assert torn_down.changed > 0
    assert {kind: items for kind, items in inventory_of(aws).items() if items} == {}


def test_groups_held_by_lingering_network_interfaces_are_deleted_on_a_later_try(torn_down):
    # The emulator layer (fix_lingering_network_interfaces) holds the ALB's, the DB instance's and the
    # replication group's security groups and subnets for a while after their deletion, as AWS does; the
    # teardown reaches the ALB's group while it is held (the subnets, by then, are free again: the layer's
    # unit tests hold those).
    retried = [line for line in torn_down.stdout.splitlines() if line.startswith("FAILED - RETRYING: ")]
    assert any("Delete the security groups, referring groups first" in line for line in retried), retried


def test_the_final_snapshot_is_taken_and_its_option_group_kept(torn_down, stack, aws):
    rds = aws("rds")
    created = stack["db"]["InstanceCreateTime"].strftime("%Y%m%d%H%M%S")
    name = f"{STACK}-db-final-{created}"
    [snapshot] = rds.describe_db_snapshots(DBSnapshotIdentifier=name)["DBSnapshots"]
    assert snapshot["DBInstanceIdentifier"] == f"{STACK}-db"
    assert name in torn_down.stdout
    # AWS refuses to delete an option group a snapshot uses; a restore needs it.
    assert exists(lambda: rds.describe_option_groups(OptionGroupName=f"{STACK}-db-mysql84"), "OptionGroupNotFoundFault")


def test_the_bucket_with_its_objects_and_the_secrets_are_kept(torn_down, stack, aws):
    s3 = aws("s3")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=stack["bucket"])["Contents"]] == [OBJECT_KEY]
    # The database passwords a restore needs stay; the SMTP credentials went with their IAM user.
    # The cache's AUTH token is kept with the passwords (on by default): a restored stack needs them all.
    assert parameters(aws) == [f"/{STACK}/cache/auth_token", f"/{STACK}/database/app_password",
                               f"/{STACK}/database/master_password", f"/{STACK}/secret_key_base"]


def test_the_docker_stand_ins_are_removed(torn_down, stack):
    if not stack["docker"]:
        pytest.skip("no Docker engine (or no local image) to make stand-ins with")
    assert stand_ins() == ([], [])


def test_second_teardown_changes_nothing(torn_down, aws_env):
    again = teardown(aws_env)
    assert again.rc == 0, again.stdout[-4000:]
    assert again.changed == 0, again.changed_tasks()


def test_delete_data_removes_the_bucket_with_its_objects_and_the_secrets(torn_down, stack, aws_env, aws):
    with plain_http_allowed(aws("s3"), stack["bucket"]):
        result = teardown(aws_env, {"teardown_delete_data": True})
    assert result.rc == 0, result.stdout[-4000:]
    assert result.changed > 0
    assert not exists(lambda: aws("s3").head_bucket(Bucket=stack["bucket"]), "404", "NoSuchBucket")
    assert parameters(aws) == []


def test_teardown_of_an_empty_account_changes_nothing(torn_down, emulator, aws_env, recording):
    emulator.reset()
    with recording() as rec:
        result = teardown(aws_env, {"teardown_delete_data": True})
    assert result.rc == 0, result.stdout[-4000:]
    assert result.changed == 0, result.changed_tasks()
    writes = list(rec.writes())
    # amazon.aws.rds_subnet_group state=absent does not look first: it calls DeleteDBSubnetGroup and takes
    # DBSubnetGroupNotFoundFault as "nothing to do". Every other part only reads when there is nothing.
    assert writes in ([], ["rds:DeleteDBSubnetGroup"]), writes


def test_a_lone_database_without_final_snapshot(torn_down, emulator, aws_env, aws):
    """A partial stack (only the database: instance protected against deletion, subnet and option groups) and
    teardown_final_snapshot false: the instance goes without a snapshot, and its groups with it."""
    emulator.reset()
    rds, ec2 = aws("rds"), aws("ec2")
    # Every RDS instance lives in a DB subnet group (the database role's, over the private subnets).
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"ap-northeast-2{az}")[
        "Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    rds.create_db_subnet_group(DBSubnetGroupName=f"{STACK}-db", DBSubnetGroupDescription="db", SubnetIds=subnets)
    rds.create_option_group(OptionGroupName=f"{STACK}-db-mysql80", EngineName="mysql", MajorEngineVersion="8.0",
                            OptionGroupDescription="options")
    rds.create_db_instance(DBInstanceIdentifier=f"{STACK}-db", Engine="mysql", DBInstanceClass="db.t3.micro",
                           AllocatedStorage=20, MasterUsername="admin", MasterUserPassword="not-a-secret-1",
                           DBSubnetGroupName=f"{STACK}-db", OptionGroupName=f"{STACK}-db-mysql80",
                           DeletionProtection=True)
    result = teardown(aws_env, {"teardown_final_snapshot": False}, args=("--tags", "database"))
    assert result.rc == 0, result.stdout[-4000:]
    assert rds.describe_db_instances()["DBInstances"] == []
    assert rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"] == []
    assert rds.describe_db_subnet_groups()["DBSubnetGroups"] == []
    assert not exists(lambda: rds.describe_option_groups(OptionGroupName=f"{STACK}-db-mysql80"),
                      "OptionGroupNotFoundFault")
