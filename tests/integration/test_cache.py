"""The cache role against the emulator: converge, second run changed=0, --check changed=0, the replication
group read back with boto3 (one shard, one replica, failover, encrypted at rest and in transit, an AUTH token,
cache SG only), cache.home, cache_outputs.redis_address (rediss:// to the primary endpoint) and the token that
never shows in -vvv output, the plain variant a client without TLS needs, and bad input refused before any AWS
call.

moto 5.2.5 lacks member cache clusters, the reader endpoint and in-place changes of replication groups;
local/emulator/layer.py (fix_elasticache_replication_group_members) restores them, citing the ElastiCache
API reference. moto has no cache parameter group API, so the role's default (the engine's default group,
reported by the member clusters) is all that is checked of parameter groups."""

from __future__ import annotations

import re

import pytest

from tests.integration.ansible_runner import handler_results, run_playbook

INVENTORY = "tests/integration/inventory"
TAGS = ("--tags", "cache")
GROUP_ID = "sample-cache"


@pytest.fixture(scope="module")
def first_check(network, aws_env, aws):
    """--check on an account with the network but no cache yet: what it reports, and what exists after."""
    result = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    client = aws("elasticache")
    made = {"groups": client.describe_replication_groups()["ReplicationGroups"],
            "subnet_groups": client.describe_cache_subnet_groups()["CacheSubnetGroups"]}
    return result, made


@pytest.fixture(scope="module")
def converged(first_check, aws_env):
    result = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=TAGS)
    assert result.rc == 0, result.stdout[-5000:]
    return result


@pytest.fixture(scope="module")
def group(converged, aws):
    return aws("elasticache").describe_replication_groups(ReplicationGroupId=GROUP_ID)["ReplicationGroups"][0]


def test_check_mode_before_the_first_run_predicts_changes_and_makes_nothing(first_check):
    result, made = first_check
    assert result.rc == 0, result.stdout[-5000:]
    started = "aws_intro.stack.cache : Redis replication group (creation is started, not awaited)"
    assert started in result.changed_tasks()
    assert made == {"groups": [], "subnet_groups": []}


def test_converge_changes_and_publishes_outputs(converged, group):
    outputs = converged.outputs["cache_outputs"]
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]
    assert converged.changed > 0
    assert outputs["replication_group_id"] == GROUP_ID
    assert outputs["status"] == "available"
    assert outputs["endpoint"] == primary["Address"]
    assert outputs["port"] == 6379
    assert outputs["address"] == "cache.home"
    # TLS by default: the client names the group's own endpoint, the host its certificate is issued for.
    assert outputs["transit_encryption"] is True
    assert outputs["redis_address"] == f"rediss://{primary['Address']}:6379/0"
    assert outputs["auth_token_parameter"] == "/sample/cache/auth_token"  # noqa: S105 - a parameter name


def test_group_has_one_shard_one_replica_failover_and_encryption_at_rest(group, aws, network):
    assert group["Status"] == "available"
    assert group["ClusterMode"] == "disabled"
    assert [len(ng["NodeGroupMembers"]) for ng in group["NodeGroups"]] == [2]
    assert group["CacheNodeType"] == "cache.t3.micro"
    assert (group["AutomaticFailover"], group["MultiAZ"]) == ("enabled", "disabled")
    assert group["AtRestEncryptionEnabled"] is True
    assert group["TransitEncryptionEnabled"] is True
    assert group["AuthTokenEnabled"] is True
    assert group["SnapshotRetentionLimit"] == 1
    client = aws("elasticache")
    for member_id in group["MemberClusters"]:
        member = client.describe_cache_clusters(CacheClusterId=member_id)["CacheClusters"][0]
        assert [sg["SecurityGroupId"] for sg in member["SecurityGroups"]] == [network["security_group_ids"]["cache"]]
        assert member["CacheSubnetGroupName"] == GROUP_ID
        # cache_engine_version 7.1 runs as 7.1.x (AWS reports the patch; fix_elasticache_engine_patch_versions)
        assert member["Engine"] == "redis"
        assert re.fullmatch(r"7\.1\.\d+", member["EngineVersion"]), member["EngineVersion"]
        assert member["CacheParameterGroup"]["CacheParameterGroupName"] == "default.redis7"
        assert member["PreferredMaintenanceWindow"] == "sun:19:00-sun:20:00"
    tags = {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]}
    assert tags == {"Name": GROUP_ID, "Stack": "sample", "ManagedBy": "aws_intro.stack"}


def test_subnet_group_covers_the_private_subnets(converged, aws, network):
    group = aws("elasticache").describe_cache_subnet_groups(CacheSubnetGroupName=GROUP_ID)["CacheSubnetGroups"][0]
    assert sorted(s["SubnetIdentifier"] for s in group["Subnets"]) == sorted(network["private_subnet_ids"])


def test_the_only_access_is_redis_from_the_web_hosts(aws, network):
    ids = network["security_group_ids"]
    sg = aws("ec2").describe_security_groups(GroupIds=[ids["cache"]])["SecurityGroups"][0]
    rules = [(p["IpProtocol"], p["FromPort"], p["ToPort"], [g["GroupId"] for g in p["UserIdGroupPairs"]],
              p["IpRanges"]) for p in sg["IpPermissions"]]
    assert rules == [("tcp", 6379, 6379, [ids["web"]], [])]


def test_cache_home_points_at_the_primary_endpoint(group, aws, network):
    records = aws("route53").list_resource_record_sets(HostedZoneId=network["private_zone_id"])["ResourceRecordSets"]
    cname = [r for r in records if r["Name"] == "cache.home." and r["Type"] == "CNAME"]
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    assert [[v["Value"] for v in r["ResourceRecords"]] for r in cname] == [[primary]]


def test_second_run_changes_nothing_and_never_shows_the_token(converged, group, aws_env, aws, recording):
    with recording() as rec:
        again = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=(*TAGS, "-vvv"),
                             extra_vars={"test_output_vars": ["cache_outputs"]})
    assert again.rc == 0, again.stdout[-5000:]
    assert again.changed == 0, again.changed_tasks()
    # The group reports 7.1.x for the role's 7.1: no upgrade is sent for it.
    assert "elasticache:ModifyReplicationGroup" not in rec.summary()["by_call"], rec.summary()
    # The start found the group available and changed nothing: neither the wait step nor the two publications of
    # cache_outputs (the role's, then the wait step's) read the group again. One read of each kind in the run.
    waits = handler_results(again.stdout, "Redis replication group (awaited until available)")
    assert waits, again.stdout[-3000:]
    assert all(line.startswith("skipping:") for line in waits), waits
    reads = {call: n for call, n in rec.summary()["by_call"].items() if call.startswith("elasticache:")}
    assert reads == {"elasticache:DescribeCacheSubnetGroups": 2, "elasticache:DescribeReplicationGroups": 1,
                     "elasticache:DescribeCacheClusters": 1, "elasticache:ListTagsForResource": 1}, reads
    # The token is made once (64 letters and digits: ElastiCache refuses /, " and @, and a URL carries it
    # unescaped), nowhere in -vvv output or in cache_outputs, which name its parameter for the host that
    # needs it (rails_app puts it in the app's address: test_site reads each host's env file).
    token = aws("ssm").get_parameter(Name="/sample/cache/auth_token", WithDecryption=True)["Parameter"]["Value"]
    assert re.fullmatch(r"[A-Za-z0-9]{64}", token)
    assert token not in again.stdout
    outputs = again.outputs["cache_outputs"]
    assert token not in str(outputs)
    primary = group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    assert (outputs["redis_address"], outputs["auth_token_parameter"]) == (f"rediss://{primary}:6379/0",
                                                                           "/sample/cache/auth_token")


def test_check_mode_on_the_converged_cache_reports_no_change(converged, aws_env):
    check = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=TAGS, check=True)
    assert check.rc == 0, check.stdout[-5000:]
    assert check.changed == 0, check.changed_tasks()


def test_a_change_that_needs_a_new_group_is_refused(converged, aws_env, aws):
    result = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=TAGS,
                          extra_vars={"cache_at_rest_encryption": False})
    assert result.rc != 0
    assert "at_rest_encryption cannot change on an existing replication group" in result.stdout
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId=GROUP_ID)["ReplicationGroups"][0]
    assert group["AtRestEncryptionEnabled"] is True


def test_without_tls_a_plain_address_through_cache_home_and_no_token(converged, aws_env, aws):
    # For a client without TLS. A second stack name in the same emulator: its own group and record (the
    # network is looked up by the sample stack's names, so network_outputs is handed over from the converge).
    extra = {"cache_transit_encryption": False, "cache_auth_token_enabled": False,
             "network_outputs": converged.outputs["network_outputs"], "stack_name": "plain",
             "cache_record_name": "cache-plain", "test_output_vars": ["cache_outputs"]}
    result = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=TAGS, extra_vars=extra)
    assert result.rc == 0, result.stdout[-5000:]
    group = aws("elasticache").describe_replication_groups(ReplicationGroupId="plain-cache")["ReplicationGroups"][0]
    assert (group["TransitEncryptionEnabled"], group["AuthTokenEnabled"]) == (False, False)
    outputs = result.outputs["cache_outputs"]
    assert outputs["redis_address"] == "redis://cache-plain.home:6379/0"
    assert outputs["auth_token_parameter"] == ""
    with pytest.raises(aws("ssm").exceptions.ParameterNotFound):
        aws("ssm").get_parameter(Name="/plain/cache/auth_token")


@pytest.mark.parametrize(
    ("extra_vars", "message"),
    [
        pytest.param({"cache_engine_version": "5.0.6"}, "cache_engine_version '5.0.6' is not a known redis version",
                     id="unknown-engine-version"),
        pytest.param({"cache_replicas_per_node_group": 6}, "cache_replicas_per_node_group must be 0 to 5, got 6",
                     id="replicas-above-5"),
        pytest.param({"cache_replicas_per_node_group": 0},
                     "cache_automatic_failover and cache_multi_az need cache_replicas_per_node_group of at least 1",
                     id="failover-with-0-replicas"),
        pytest.param({"cache_cluster_mode": "enabled"}, "cache_cluster_mode is 'enabled', but the sample app",
                     id="cluster-mode-without-override"),
        pytest.param({"cache_transit_encryption": False}, "cache_auth_token_enabled needs cache_transit_encryption",
                     id="token-without-tls"),
        pytest.param({"cache_maintenance_window": "Sun 03:00"},
                     "cache_maintenance_window must be ddd:hh24:mi-ddd:hh24:mi", id="bad-maintenance-window"),
        pytest.param({"cache_snapshot_window": "4-5"}, "cache_snapshot_window must be hh24:mi-hh24:mi",
                     id="bad-snapshot-window"),
    ],
)
def test_bad_input_fails_before_any_aws_call(emulator, aws_env, recording, extra_vars, message):
    with recording() as rec:
        result = run_playbook("cache.yml", aws_env, inventory=INVENTORY, args=TAGS, extra_vars=extra_vars)
    assert result.rc != 0
    assert message in result.stdout
    assert rec.summary()["total"] == 0, rec.summary()
