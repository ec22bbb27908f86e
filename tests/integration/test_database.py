"""The database role against the emulator: converge, second run changed=0, --check changed=0, the
instance and its groups read back with boto3, db.home, the kept master password (never in -vvv
output), the wait/lookup entry points, bad input refused before any AWS call, and the engine version's
life: RDS's own minor upgrade kept without a call, an older major and an unallowed major upgrade refused
before any write, MySQL 8.0 pinned in (warned) Extended Support, an allowed major upgrade to 8.4.

moto gaps handled in local/emulator/layer.py (each citing the RDS API reference or user guide):
fix_rds_db_parameters_engine_defaults (DescribeDBParameters metadata for mysql8.0/mysql8.4,
DescribeDBParameterGroups by name), fix_rds_static_parameters_pending_reboot, fix_rds_option_group_mysql84,
fix_rds_engine_lifecycle_support (EngineLifecycleSupport at creation), fix_rds_auto_minor_version_upgrade
(ApplyPendingMaintenanceAction db-upgrade) and fix_rds_gp3_baseline_performance (gp3 Iops/StorageThroughput)."""

from __future__ import annotations

import pytest

from tests.integration.ansible_runner import handler_results, run_playbook

INVENTORY = "tests/integration/inventory"
TAGS = ("--tags", "database")
DB_ID = "sample-db"
PASSWORD_PARAMETER = "/sample/database/master_password"  # noqa: S105 - a parameter name, not a secret
VERSION = "8.4.8"  # the role's default database_engine_version
GROUP = "sample-db-mysql84"
DISABLED = "open-source-rds-extended-support-disabled"
ENROLLED = "open-source-rds-extended-support"
WARNING = "is enrolled in Amazon RDS Extended Support"


@pytest.fixture(scope="module")
def first_check(network, aws_env, aws):
    """--check on an account with the network but no database yet: what it reports, and what exists after."""
    result = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    made = {"instances": aws("rds").describe_db_instances()["DBInstances"],
            "subnet_groups": aws("rds").describe_db_subnet_groups()["DBSubnetGroups"],
            # amazon.aws 10.1.2 rds_option_group would create it in check mode (tags given); the role predicts it
            "option_groups": [g["OptionGroupName"] for g in aws("rds").describe_option_groups()["OptionGroupsList"]
                              if not g["OptionGroupName"].startswith("default:")],
            "parameters": aws("ssm").describe_parameters()["Parameters"]}
    return result, made


@pytest.fixture(scope="module")
def converged(first_check, aws_env):
    result = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=(*TAGS, "-vvv"))
    assert result.rc == 0, result.stdout[-5000:]
    return result


@pytest.fixture(scope="module")
def outputs(converged):
    return converged.outputs["database_outputs"]


@pytest.fixture(scope="module")
def instance(converged, aws):
    return aws("rds").describe_db_instances(DBInstanceIdentifier=DB_ID)["DBInstances"][0]


def test_check_mode_before_the_first_run_predicts_changes_and_makes_nothing(first_check):
    result, made = first_check
    assert result.rc == 0, result.stdout[-5000:]
    assert "aws_intro.stack.database : RDS MySQL instance (creation is started, not awaited)" in result.changed_tasks()
    assert "aws_intro.stack.database : Predict the option group (check mode, no group yet)" in result.changed_tasks()
    assert made == {"instances": [], "subnet_groups": [], "option_groups": [], "parameters": []}


def test_converge_changes_and_publishes_outputs(converged, outputs, instance):
    assert converged.failed == 0
    assert converged.changed > 0
    assert outputs["host"] == "db.home"
    assert outputs["endpoint"] == instance["Endpoint"]["Address"]
    assert outputs["port"] == 3306
    assert outputs["status"] == "available"
    assert outputs["master_password_parameter"] == PASSWORD_PARAMETER
    assert outputs["master_username"] == "admin"
    assert (outputs["engine_version"], outputs["engine_lifecycle_support"]) == (VERSION, DISABLED)
    assert (outputs["parameter_group"], outputs["option_group"]) == (GROUP, GROUP)


def test_instance_is_private_encrypted_and_in_the_db_security_group_only(instance, network):
    assert instance["Engine"] == "mysql"
    assert instance["EngineVersion"] == VERSION
    assert instance["AutoMinorVersionUpgrade"] is True
    # Created enrolled (RDS's default: amazon.aws.rds_instance cannot say otherwise), then opted out.
    assert instance["EngineLifecycleSupport"] == DISABLED
    assert instance["DBInstanceClass"] == "db.t3.micro"
    assert instance["PubliclyAccessible"] is False
    assert instance["StorageEncrypted"] is True
    assert [g["VpcSecurityGroupId"] for g in instance["VpcSecurityGroups"]] == [network["security_group_ids"]["db"]]
    assert instance["StorageType"] == "gp3"
    assert (instance["AllocatedStorage"], instance["MaxAllocatedStorage"]) == (20, 100)
    assert instance["MultiAZ"] is False
    assert instance["BackupRetentionPeriod"] == 7
    assert instance["PreferredBackupWindow"] == "17:00-17:30"
    assert instance["PreferredMaintenanceWindow"] == "sun:18:00-sun:18:30"
    assert instance["DeletionProtection"] is True
    assert sorted(instance["EnabledCloudwatchLogsExports"]) == ["error", "slowquery"]
    tags = {t["Key"]: t["Value"] for t in instance["TagList"]}
    assert tags == {"Name": DB_ID, "Stack": "sample", "ManagedBy": "aws_intro.stack"}


def test_subnet_group_covers_the_private_subnets(instance, network):
    group = instance["DBSubnetGroup"]
    assert group["DBSubnetGroupName"] == DB_ID
    assert sorted(s["SubnetIdentifier"] for s in group["Subnets"]) == sorted(network["private_subnet_ids"])


def test_the_only_access_is_mysql_from_the_web_hosts(aws, network):
    ids = network["security_group_ids"]
    group = aws("ec2").describe_security_groups(GroupIds=[ids["db"]])["SecurityGroups"][0]
    rules = [(p["IpProtocol"], p["FromPort"], p["ToPort"], [g["GroupId"] for g in p["UserIdGroupPairs"]],
              p["IpRanges"]) for p in group["IpPermissions"]]
    assert rules == [("tcp", 3306, 3306, [ids["web"]], [])]


def test_parameter_group_is_utf8mb4_and_seoul_time(instance, aws):
    names = [g["DBParameterGroupName"] for g in instance["DBParameterGroups"]]
    assert names == [GROUP]
    rds = aws("rds")
    group = rds.describe_db_parameter_groups(DBParameterGroupName=names[0])["DBParameterGroups"][0]
    assert group["DBParameterGroupFamily"] == "mysql8.4"
    set_by_role = rds.describe_db_parameters(DBParameterGroupName=names[0], Source="user")["Parameters"]
    params = {p["ParameterName"]: p.get("ParameterValue") for p in set_by_role}
    assert params == {
        "character_set_server": "utf8mb4", "character_set_client": "utf8mb4", "character_set_connection": "utf8mb4",
        "character_set_database": "utf8mb4", "character_set_results": "utf8mb4",
        "collation_server": "utf8mb4_0900_ai_ci", "collation_connection": "utf8mb4_0900_ai_ci",
        "time_zone": "Asia/Seoul", "mysql_native_password": "1",
    }
    # The static parameter went with pending-reboot (the emulator refuses immediate for it, as RDS does).
    methods = [p["ApplyMethod"] for p in set_by_role if p["ParameterName"] == "mysql_native_password"]
    assert methods == ["pending-reboot"]


def test_option_group_is_mysql_84_without_options(instance, aws):
    assert [g["OptionGroupName"] for g in instance["OptionGroupMemberships"]] == [GROUP]
    group = aws("rds").describe_option_groups(OptionGroupName=GROUP)["OptionGroupsList"][0]
    assert (group["EngineName"], group["MajorEngineVersion"], group["Options"]) == ("mysql", "8.4", [])


def test_db_home_points_at_the_endpoint(instance, aws, network):
    records = aws("route53").list_resource_record_sets(HostedZoneId=network["private_zone_id"])["ResourceRecordSets"]
    cname = [r for r in records if r["Name"] == "db.home." and r["Type"] == "CNAME"]
    assert [[v["Value"] for v in r["ResourceRecords"]] for r in cname] == [[instance["Endpoint"]["Address"]]]


def test_master_password_is_kept_in_ssm_and_never_shown(converged, aws):
    parameter = aws("ssm").get_parameter(Name=PASSWORD_PARAMETER, WithDecryption=True)["Parameter"]
    assert parameter["Type"] == "SecureString"
    assert len(parameter["Value"]) == 32
    assert parameter["Value"] not in converged.stdout  # the converge ran with -vvv


PARAMETER_TASK = "aws_intro.stack.database : Parameter group with utf8mb4 and Asia/Seoul, family mysql8.4"
STATIC_TASK = "aws_intro.stack.database : Static parameters of the group (mysql_native_password)"
OPTION_TASK = "aws_intro.stack.database : Option group (mysql 8.4)"
LIFECYCLE_TASK = f"aws_intro.stack.database : RDS Extended Support enrolment ({DISABLED})"
LOOKUP_TASK = "aws_intro.stack.database : Look up the instance"


def test_second_run_changes_nothing(converged, aws_env, aws, recording):
    before = aws("ssm").get_parameter(Name=PASSWORD_PARAMETER, WithDecryption=True)["Parameter"]["Value"]
    with recording() as rec:
        again = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert again.rc == 0, again.stdout[-5000:]
    assert again.changed == 0, again.changed_tasks()
    # The parameter group, its tags and its values are read once; rds_instance_param_group, which reads all of them
    # again each time it runs, runs for neither task.
    # The option group is read once with its tags (rds_option_group reads it twice and its tags three times); the
    # enrolment is taken from the wait step's read, and database_outputs from that read too (the cloud play publishes
    # them twice: from rds_instance's result when the role starts the instance, then from the wait step's read).
    for task in (PARAMETER_TASK, STATIC_TASK, OPTION_TASK, LIFECYCLE_TASK):
        assert handler_results(again.stdout, task) == ["skipping: [localhost]"], task
    assert handler_results(again.stdout, LOOKUP_TASK) == ["skipping: [localhost]"] * 2
    calls = rec.summary()["by_call"]
    assert calls.get("rds:DescribeDBParameters") == 1, calls
    assert calls.get("rds:DescribeOptionGroups") == 1, calls
    # The instance: read before the groups (current.yml), twice by rds_instance, once by the wait step.
    assert calls.get("rds:DescribeDBInstances") == 4, calls
    assert again.outputs["database_outputs"] == converged.outputs["database_outputs"]
    assert aws("ssm").get_parameter(Name=PASSWORD_PARAMETER, WithDecryption=True)["Parameter"]["Value"] == before


def test_check_mode_on_the_converged_database_reports_no_change(converged, aws_env):
    check = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    assert check.rc == 0, check.stdout[-5000:]
    assert check.changed == 0, check.changed_tasks()


def test_a_parameter_changed_by_hand_is_reported_by_check_mode_and_put_back_by_a_run(converged, aws_env, aws,
                                                                                       recording):
    rds = aws("rds")
    rds.modify_db_parameter_group(DBParameterGroupName=GROUP, Parameters=[
        {"ParameterName": "time_zone", "ParameterValue": "UTC", "ApplyMethod": "immediate"}])
    with recording() as rec:
        check = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    assert check.rc == 0, check.stdout[-5000:]
    assert check.changed_tasks() == ["aws_intro.stack.database : Predict the parameter values a run would set "
                                     "(check mode)"]
    assert "Would set time_zone from UTC to Asia/Seoul" in check.stdout
    assert writes(rec) == []

    repair = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert repair.rc == 0, repair.stdout[-5000:]
    assert repair.changed_tasks() == ["aws_intro.stack.database : Parameter group with utf8mb4 and Asia/Seoul, "
                                      "family mysql8.4"]
    values = {p["ParameterName"]: p.get("ParameterValue")
              for p in rds.describe_db_parameters(DBParameterGroupName=GROUP, Source="user")["Parameters"]}
    assert values["time_zone"] == "Asia/Seoul"


def parameter_group_arn(rds) -> str:
    return rds.describe_db_parameter_groups(DBParameterGroupName=GROUP)["DBParameterGroups"][0]["DBParameterGroupArn"]


def option_group_arn(rds) -> str:
    return rds.describe_option_groups(OptionGroupName=GROUP)["OptionGroupsList"][0]["OptionGroupArn"]


# The parameter group's two tasks both see the tag in check mode; in a run the first puts it back and the second finds
# nothing left to do.
@pytest.mark.parametrize(("arn_of", "reported", "repaired"), [
    pytest.param(parameter_group_arn, [PARAMETER_TASK, STATIC_TASK], [PARAMETER_TASK], id="parameter-group"),
    pytest.param(option_group_arn, [OPTION_TASK], [OPTION_TASK], id="option-group"),
])
def test_a_tag_changed_by_hand_on_a_group_is_reported_by_check_mode_and_put_back(converged, aws_env, aws, recording,
                                                                                 arn_of, reported, repaired):
    rds = aws("rds")
    arn = arn_of(rds)
    rds.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "ManagedBy", "Value": "hand"}])
    with recording() as rec:
        check = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    assert check.rc == 0, check.stdout[-5000:]
    assert check.changed_tasks() == reported, check.changed_tasks()
    assert writes(rec) == []
    with recording() as rec:
        repair = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert repair.rc == 0, repair.stdout[-5000:]
    assert repair.changed_tasks() == repaired, repair.changed_tasks()
    assert writes(rec) == ["rds:AddTagsToResource"], writes(rec)
    tags = {t["Key"]: t["Value"] for t in rds.list_tags_for_resource(ResourceName=arn)["TagList"]}
    assert tags["ManagedBy"] == "aws_intro.stack"


@pytest.mark.parametrize("entry", ["wait", "lookup"])
def test_wait_step_alone_publishes_the_same_outputs_without_writing(outputs, aws_env, recording, entry):
    """The converge published database_outputs from the wait step's read; the lookup entry point reads for itself."""
    with recording() as rec:
        found = run_playbook("database_lookup.yml", aws_env, inventory=INVENTORY, extra_vars={"database_entry": entry})
    assert found.rc == 0, found.stdout[-5000:]
    assert found.changed == 0, found.changed_tasks()
    assert handler_results(found.stdout, LOOKUP_TASK) == (["ok: [localhost]"] if entry == "lookup"
                                                          else ["skipping: [localhost]"])
    assert found.outputs["database_outputs"] == outputs
    assert rec.writes() == {}, "the wait step re-wrote something on a converged database"


def writes(rec) -> list[str]:
    """The recorded calls that may change something."""
    return list(rec.writes())


def read_instance(aws) -> dict:
    return aws("rds").describe_db_instances(DBInstanceIdentifier=DB_ID)["DBInstances"][0]


# The engine version's life, in order: each test starts from the state the one before left.

def test_a_minor_upgrade_rds_made_on_its_own_is_kept_without_a_call(converged, aws, aws_env, recording):
    rds = aws("rds")
    # RDS's automatic minor version upgrade, applied now instead of in the maintenance window.
    rds.apply_pending_maintenance_action(ResourceIdentifier=read_instance(aws)["DBInstanceArn"],
                                         ApplyAction="db-upgrade", OptInType="immediate")
    assert read_instance(aws)["EngineVersion"] == "8.4.10"
    with recording() as rec:
        again = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert again.rc == 0, again.stdout[-5000:]
    assert again.changed == 0, again.changed_tasks()
    assert "rds:ModifyDBInstance" not in rec.summary()["by_call"], rec.summary()
    assert writes(rec) == [], "a run after RDS's minor upgrade wrote something"
    assert read_instance(aws)["EngineVersion"] == "8.4.10"
    assert again.outputs["database_outputs"]["engine_version"] == "8.4.10"
    check = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    assert (check.rc, check.changed) == (0, 0), check.changed_tasks() or check.stdout[-3000:]


def test_an_older_major_is_refused_before_any_change(aws, aws_env, recording):
    with recording() as rec:
        result = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS,
                              extra_vars={"database_engine_version": "8.0.46",
                                          "database_engine_lifecycle_support": ENROLLED})
    assert result.rc != 0
    assert "sample-db runs MySQL 8.4.10; database_engine_version 8.0.46 is an older major version" in result.stdout
    assert writes(rec) == [], "a refused downgrade wrote something"
    assert read_instance(aws)["EngineVersion"] == "8.4.10"
    names = [g["DBParameterGroupName"] for g in aws("rds").describe_db_parameter_groups()["DBParameterGroups"]]
    assert "sample-db-mysql80" not in names


def test_mysql_80_pinned_in_extended_support_is_kept_and_warned_about(aws, aws_env):
    # An instance an earlier release of the role made on MySQL 8.0 (the emulator keeps whatever it is sent).
    aws("rds").modify_db_instance(DBInstanceIdentifier=DB_ID, EngineVersion="8.0.46", ApplyImmediately=True)
    pinned = {"database_engine_version": "8.0.46", "database_engine_lifecycle_support": ENROLLED}
    first = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, extra_vars=pinned)
    assert first.rc == 0, first.stdout[-5000:]
    assert "aws_intro.stack.database : RDS Extended Support enrolment (open-source-rds-extended-support)" \
        in first.changed_tasks()
    assert f"[WARNING]: DB instance sample-db (mysql 8.0.46) {WARNING}" in first.stdout
    instance = read_instance(aws)
    assert (instance["EngineVersion"], instance["EngineLifecycleSupport"]) == ("8.0.46", ENROLLED)
    assert [g["DBParameterGroupName"] for g in instance["DBParameterGroups"]] == ["sample-db-mysql80"]
    again = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, extra_vars=pinned)
    assert again.rc == 0, again.stdout[-5000:]
    assert again.changed == 0, again.changed_tasks()
    assert WARNING in again.stdout, "the Extended Support warning is printed on every run"


def test_a_major_upgrade_needs_database_allow_major_version_upgrade(aws, aws_env, recording):
    with recording() as rec:
        result = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert result.rc != 0
    assert "is a major version upgrade (8.0 -> 8.4)" in result.stdout
    assert "set database_allow_major_version_upgrade: true" in result.stdout
    assert writes(rec) == [], "a refused major upgrade wrote something"
    assert read_instance(aws)["EngineVersion"] == "8.0.46"


def test_an_allowed_major_upgrade_moves_to_84_and_its_groups(aws, aws_env, recording):
    with recording() as rec:
        result = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS,
                              extra_vars={"database_allow_major_version_upgrade": True})
    assert result.rc == 0, result.stdout[-5000:]
    assert rec.summary()["by_call"].get("rds:ModifyDBInstance") == 2, rec.summary()  # version; lifecycle
    assert WARNING not in result.stdout
    instance = read_instance(aws)
    assert (instance["EngineVersion"], instance["EngineLifecycleSupport"]) == (VERSION, DISABLED)
    assert [g["DBParameterGroupName"] for g in instance["DBParameterGroups"]] == [GROUP]
    assert [g["OptionGroupName"] for g in instance["OptionGroupMemberships"]] == [GROUP]
    assert result.outputs["database_outputs"]["parameter_group"] == GROUP
    again = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert again.rc == 0, again.stdout[-5000:]
    assert again.changed == 0, again.changed_tasks()


@pytest.mark.parametrize(
    ("extra_vars", "message"),
    [
        pytest.param({"database_engine_version": "8.0.99"}, "database_engine_version '8.0.99' is not a known",
                     id="unknown-engine-version"),
        pytest.param({"database_engine_version": "5.7.44"}, "database_engine_version '5.7.44' is not a known",
                     id="mysql-5.7"),
        pytest.param({"database_allocated_storage": 19}, "database_allocated_storage must be 20 to 65536 GiB, got 19",
                     id="storage-below-20"),
        pytest.param({"database_max_allocated_storage": 20},
                     "database_max_allocated_storage must be 0 (no autoscaling) or above", id="ceiling-not-above"),
        pytest.param({"database_backup_window": "2:00-2:30"}, "database_backup_window must be hh24:mi-hh24:mi",
                     id="bad-backup-window"),
        pytest.param({"database_maintenance_window": "sunday 03:00"},
                     "database_maintenance_window must be ddd:hh24:mi-ddd:hh24:mi", id="bad-maintenance-window"),
        pytest.param({"database_backup_retention_period": 0}, "database_backup_retention_period must be 1 to 35",
                     id="no-backups"),
        pytest.param({"database_cloudwatch_logs_exports": ["slow"]},
                     "database_cloudwatch_logs_exports may only hold", id="unknown-log-type"),
        pytest.param({"database_engine_version": "8.0.46"},
                     "database_engine_version 8.0.46: RDS for MySQL 8.0 ended RDS standard support on 2026-07-31",
                     id="mysql-8.0-without-extended-support"),
        pytest.param({"database_engine_lifecycle_support": "extended"},
                     "database_engine_lifecycle_support must be one of", id="unknown-lifecycle-support"),
    ],
)
def test_bad_input_fails_before_any_aws_call(emulator, aws_env, recording, extra_vars, message):
    with recording() as rec:
        result = run_playbook("database.yml", aws_env, inventory=INVENTORY, args=TAGS, extra_vars=extra_vars)
    assert result.rc != 0
    assert message in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()
