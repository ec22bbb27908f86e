"""aws_intro.stack.elasticache_replication_group against the emulator over HTTP: the four-run pattern for
create, modify and delete (asserted inside the playbook), the result read back with boto3, refusals, bad
input before any AWS call, a TLS group whose AUTH token never shows in -vvv output, and cluster mode.

moto 5.2.5 lacks some of it; tests/emulator/layer.py (fix_elasticache_replication_group_members) restores
the documented member clusters, reader endpoint, in-place changes and deletion. What remains missing is
skipped below with the reason."""

from __future__ import annotations

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


def play(aws_env, security_groups, phase, **kwargs):
    extra = {"erg_prefix": PREFIX, "erg_sg_a": security_groups[0], "erg_sg_b": security_groups[1],
             "erg_phase": phase, "erg_token": TOKEN}
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
    assert member["EngineVersion"] == "7.1"
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
                "(ENVIRONMENT.md); the planned call is covered by tests/unit (test_plan_changes more/fewer-replicas)")


def test_delete_runs_four_times_and_the_group_is_gone(present, aws_env, security_groups, aws):
    result = play(aws_env, security_groups, "absent")
    assert result.rc == 0, result.stdout[-5000:]
    assert result.changed_tasks() == ["Delete (check mode)", "Delete"]
    ids = [g["ReplicationGroupId"] for g in aws("elasticache").describe_replication_groups()["ReplicationGroups"]]
    assert f"{PREFIX}-cache" not in ids
