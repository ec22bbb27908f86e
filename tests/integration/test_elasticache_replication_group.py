"""aws_intro.stack.elasticache_replication_group against the emulator over HTTP: the four-run pattern for
create, modify and delete (asserted inside the playbook), the result read back with boto3, refusals, bad
input before any AWS call, a TLS group whose AUTH token never shows in -vvv output, and cluster mode.

moto 5.2.5 lacks some of it; local/emulator/layer.py (fix_elasticache_replication_group_members) restores
the documented member clusters, reader endpoint, in-place changes and deletion, and
fix_elasticache_engine_patch_versions makes the members report the engine version as AWS does (7.1 runs as
7.1.0), which the version tests below rely on. What remains missing is skipped below with the reason."""

from __future__ import annotations

import re

import pytest

from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"
PREFIX = "erg-test"
TOKEN = "Integration-Token-0123456789"  # noqa: S105 - a test value


@pytest.fixture(scope="module")
def security_groups(emulator, aws):
    emulator.reset()
    ec2 = aws("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    return [ec2.create_security_group(GroupName=f"{PREFIX}-{name}", Description=name, VpcId=vpc)["GroupId"]
            for name in ("a", "b")]


def play(aws_env, security_groups, phase, extra_vars=None, **kwargs):
    extra = {"erg_prefix": PREFIX, "erg_sg_a": security_groups[0], "erg_sg_b": security_groups[1],
             "erg_phase": phase, "erg_token": TOKEN, **(extra_vars or {})}
    return run_playbook("elasticache_replication_group.yml", aws_env, extra_vars=extra, inventory=INVENTORY, **kwargs)


@pytest.fixture(scope="module")
def present(aws_env, security_groups):
    result = play(aws_env, security_groups, "present")
    assert result.rc == 0, result.stdout[-5000:]
    return result


def test_create_and_modify_run_four_times_each(present):
    # check: changed, real: changed, check: no change, real: no change, for create and for modify,
    # and the failover-without-replica refusal: asserted by the playbook's own assert tasks.
    assert present.failed == 0
    assert present.changed_tasks() == ["Create (check mode)", "Create", "Modify (check mode)", "Modify"]


def test_the_group_reads_back_as_modified(present, aws, security_groups):
    client = aws("elasticache")
    group = client.describe_replication_groups(ReplicationGroupId=f"{PREFIX}-cache")["ReplicationGroups"][0]
    assert group["Status"] == "available"
    assert group["CacheNodeType"] == "cache.t3.small"
    assert (group["AutomaticFailover"], group["MultiAZ"]) == ("enabled", "enabled")
    assert group["AtRestEncryptionEnabled"] is True
    assert group["TransitEncryptionEnabled"] is False
    assert group["SnapshotRetentionLimit"] == 3
    assert [len(ng["NodeGroupMembers"]) for ng in group["NodeGroups"]] == [2]
    member = client.describe_cache_clusters(CacheClusterId=group["MemberClusters"][0])["CacheClusters"][0]
    assert sorted(sg["SecurityGroupId"] for sg in member["SecurityGroups"]) == sorted(security_groups)
    assert member["PreferredMaintenanceWindow"] == "mon:02:00-mon:03:00"
    assert re.fullmatch(r"7\.1\.\d+", member["EngineVersion"]), member["EngineVersion"]  # 7.1 runs as 7.1.x
    tags = client.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Name": f"{PREFIX}-cache", "Stack": PREFIX, "Owner": "tests"}


def test_what_cannot_change_in_place_is_refused(present, aws_env, security_groups, aws):
    result = play(aws_env, security_groups, "refused")
    assert result.rc == 0, result.stdout[-5000:]
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId=f"{PREFIX}-cache")["ReplicationGroups"][0]
    assert group["ClusterMode"] == "disabled"
    assert group["AtRestEncryptionEnabled"] is True


def test_bad_input_fails_before_any_aws_call(aws_env, recording):
    with recording() as rec:
        result = run_playbook("elasticache_replication_group_bad.yml", aws_env, inventory=INVENTORY)
    assert result.rc != 0
    assert "replicas_per_node_group must be 0 to 5, got 6" in result.stdout
    assert "preferred_maintenance_window must be ddd:hh24:mi-ddd:hh24:mi (UTC)" in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()


def test_auth_token_never_shows_in_verbose_output(present, aws_env, security_groups, aws):
    result = play(aws_env, security_groups, "token", args=("-vvv",))
    assert result.rc == 0, result.stdout[-5000:]
    assert TOKEN not in result.stdout
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId=f"{PREFIX}-tls")["ReplicationGroups"][0]
    assert group["TransitEncryptionEnabled"] is True
    assert group["AuthTokenEnabled"] is True


def test_cluster_mode_with_two_shards(present, aws_env, security_groups):
    result = play(aws_env, security_groups, "sharded")
    assert result.rc == 0, result.stdout[-5000:]


def test_replica_count_change():
    pytest.skip("moto 5.2.5 answers IncreaseReplicaCount with HTTP 500 and has no DecreaseReplicaCount "
                "(moto/elasticache has no handler for either); the planned call is covered by tests/unit "
                "(test_plan_changes more/fewer-replicas)")


VERSIONED = f"{PREFIX}-ver"


def at_version(aws_env, security_groups, version, check=False):
    return play(aws_env, security_groups, "version", extra_vars={"erg_version": version}, check=check)


def reported_version(aws):
    """EngineVersion of the group's member clusters, as boto3 reads it from the emulator."""
    client = aws("elasticache")
    group = client.describe_replication_groups(ReplicationGroupId=VERSIONED)["ReplicationGroups"][0]
    versions = {client.describe_cache_clusters(CacheClusterId=member)["CacheClusters"][0]["EngineVersion"]
                for member in group["MemberClusters"]}
    assert len(versions) == 1, versions
    return versions.pop()


def changes(rec):
    """The recorded calls that are not reads."""
    return rec.writes()


@pytest.fixture(scope="module")
def at_7_0(security_groups, aws_env, aws):
    result = at_version(aws_env, security_groups, "7.0")
    assert result.rc == 0, result.stdout[-5000:]
    assert result.changed == 1
    return result


def test_a_version_aws_reports_with_its_patch_level_changes_nothing(at_7_0, aws_env, security_groups, aws,
                                                                    recording):
    assert reported_version(aws) == at_7_0.outputs["result"]["replication_group"]["engine_version"] == "7.0.7"
    with recording() as rec:
        again = at_version(aws_env, security_groups, "7.0")
        check = at_version(aws_env, security_groups, "7.0", check=True)
    assert (again.rc, check.rc) == (0, 0), (again.stdout[-3000:], check.stdout[-3000:])
    assert (again.changed, check.changed) == (0, 0), (again.changed_tasks(), check.changed_tasks())
    assert changes(rec) == {}, rec.summary()
    diff = check.outputs["result"]["diff"]
    assert diff["before"]["engine_version"] == diff["after"]["engine_version"] == "7.0.7"


def test_an_upgrade_still_changes_and_then_reads_7_1_x(at_7_0, aws_env, security_groups, aws, recording):
    with recording() as rec:
        check = at_version(aws_env, security_groups, "7.1", check=True)
    assert check.rc == 0, check.stdout[-3000:]
    assert check.changed == 1
    assert changes(rec) == {}, rec.summary()  # check mode changes nothing
    diff = check.outputs["result"]["diff"]
    assert (diff["before"]["engine_version"], diff["after"]["engine_version"]) == ("7.0.7", "7.1")
    assert reported_version(aws) == "7.0.7"

    with recording() as rec:
        upgrade = at_version(aws_env, security_groups, "7.1")
    assert upgrade.rc == 0, upgrade.stdout[-3000:]
    assert upgrade.changed == 1
    assert changes(rec) == {"elasticache:ModifyReplicationGroup": 1}, rec.summary()
    assert reported_version(aws) == upgrade.outputs["result"]["replication_group"]["engine_version"] == "7.1.0"

    with recording() as rec:
        again = at_version(aws_env, security_groups, "7.1")
        check_again = at_version(aws_env, security_groups, "7.1", check=True)
    assert (again.changed, check_again.changed) == (0, 0), (again.changed_tasks(), check_again.changed_tasks())
    assert changes(rec) == {}, rec.summary()


def test_a_downgrade_fails_naming_the_versions_before_any_change(at_7_0, aws_env, security_groups, aws,
                                                                 recording):
    before = reported_version(aws)  # 7.0.7, or 7.1.0 after the upgrade test
    with recording() as rec:
        result = at_version(aws_env, security_groups, "6.2")
    assert result.rc != 0
    assert f"engine_version 6.2 is lower than {before}, the version of replication group {VERSIONED}" in result.stdout
    assert "AWS cannot downgrade an engine" in result.stdout
    assert changes(rec) == {}, rec.summary()
    assert rec.summary()["total"] > 0  # it did read the group
    assert reported_version(aws) == before


def test_delete_runs_four_times_and_the_group_is_gone(present, aws_env, security_groups, aws):
    result = play(aws_env, security_groups, "absent")
    assert result.rc == 0, result.stdout[-5000:]
    assert result.changed_tasks() == ["Delete (check mode)", "Delete"]
    ids = [g["ReplicationGroupId"] for g in aws("elasticache").describe_replication_groups()["ReplicationGroups"]]
    assert f"{PREFIX}-cache" not in ids
