"""Unit tests of plugins/modules/elasticache_replication_group.py (validation, planning again on a group that is
not available yet) and of the logic it takes from plugins/module_utils/elasticache.py (the create request, the
change plan: what is modified in place, what is refused; the normalized result), as tables of inputs and
expectations. The module's lifecycle against the emulator is in tests/integration."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import elasticache as ec
from ansible_collections.aws_intro.stack.plugins.modules import elasticache_replication_group as erg
from botocore.stub import Stubber

OPTIONS = (
    "state", "replication_group_id", "description", "engine", "engine_version", "cache_node_type", "cluster_mode",
    "num_node_groups", "replicas_per_node_group", "automatic_failover", "multi_az", "at_rest_encryption",
    "kms_key_id", "transit_encryption", "auth_token", "auth_token_update_strategy", "cache_subnet_group_name",
    "security_group_ids", "cache_parameter_group_name", "port", "snapshot_retention_limit", "snapshot_window",
    "preferred_maintenance_window", "tags",
)
TOKEN = "s3cret-token-0123456789"  # noqa: S105 - a test value


def params(**overrides):
    values = dict.fromkeys(OPTIONS)
    values.update(state="present", replication_group_id="sample-cache", description="cache",
                  apply_immediately=False, purge_tags=True)
    values.update(overrides)
    return values


def group(**overrides):
    """A normalized existing group: one shard, one replica, failover on, encrypted at rest."""
    current = {
        "replication_group_id": "sample-cache", "arn": "arn:aws:elasticache:ap-northeast-2:111122223333:x",
        "description": "cache", "status": "available", "engine": "redis", "engine_version": "7.1.0",
        "cache_node_type": "cache.t3.micro", "cluster_mode": "disabled", "num_node_groups": 1,
        "replicas_per_node_group": 1, "automatic_failover": "enabled", "multi_az": "disabled",
        "at_rest_encryption_enabled": True, "transit_encryption_enabled": False, "auth_token_enabled": False,
        "kms_key_id": None, "cache_subnet_group_name": "sample-cache", "security_group_ids": ["sg-1"],
        "cache_parameter_group_name": "default.redis7", "port": 6379, "snapshot_retention_limit": 1,
        "snapshot_window": "17:00-18:00", "preferred_maintenance_window": "sun:18:00-sun:19:00",
        "node_groups": [{"node_group_id": "0001", "status": "available", "members": []}],
        "pending_modified_values": {}, "tags": {},
    }
    current.update(overrides)
    return current


@pytest.mark.parametrize(
    ("overrides", "current", "expected"),
    [
        pytest.param({}, None, [], id="minimal-create-is-valid"),
        pytest.param({"replicas_per_node_group": 6}, None, ["replicas_per_node_group must be 0 to 5, got 6"],
                     id="replicas-above-5"),
        pytest.param({"replicas_per_node_group": -1}, None, ["replicas_per_node_group must be 0 to 5, got -1"],
                     id="negative-replicas"),
        pytest.param({"automatic_failover": True, "replicas_per_node_group": 0}, None,
                     ["automatic_failover needs replicas_per_node_group of at least 1 (a replica to promote), got 0"],
                     id="failover-with-0-replicas"),
        pytest.param({"automatic_failover": True}, None,
                     ["automatic_failover needs replicas_per_node_group of at least 1 (a replica to promote), got 0"],
                     id="failover-on-create-without-replicas"),
        pytest.param({"automatic_failover": True}, group(), [], id="failover-with-the-existing-replica"),
        pytest.param({"multi_az": True, "automatic_failover": False, "replicas_per_node_group": 1}, None,
                     ["multi_az needs automatic_failover=true"], id="multi-az-without-failover"),
        pytest.param({"num_node_groups": 2}, None,
                     ["num_node_groups=2 needs cluster_mode=enabled (cluster mode disabled has one shard)"],
                     id="shards-without-cluster-mode"),
        pytest.param({"num_node_groups": 2, "cluster_mode": "enabled", "automatic_failover": False}, None,
                     ["cluster_mode=enabled needs automatic_failover=true"], id="cluster-mode-without-failover"),
        pytest.param({"auth_token": TOKEN}, None,
                     ["auth_token needs transit_encryption=true (Redis AUTH is only accepted over TLS)"],
                     id="token-without-tls"),
        pytest.param({"auth_token": "short", "transit_encryption": True}, None,
                     ['auth_token must be 16 to 128 printable characters without spaces, @, " or /'],
                     id="token-too-short"),
        pytest.param({"auth_token": "with@at-sign-0123456", "transit_encryption": True}, None,
                     ['auth_token must be 16 to 128 printable characters without spaces, @, " or /'],
                     id="token-with-forbidden-character"),
        pytest.param({"auth_token_update_strategy": "ROTATE"}, group(), ["auth_token_update_strategy needs auth_token"],
                     id="strategy-without-token"),
        pytest.param({"snapshot_window": "5:00-6:00"}, None,
                     ["snapshot_window must be hh24:mi-hh24:mi (UTC), got '5:00-6:00'"], id="bad-snapshot-window"),
        pytest.param({"preferred_maintenance_window": "sunday 03:00"}, None,
                     ["preferred_maintenance_window must be ddd:hh24:mi-ddd:hh24:mi (UTC), got 'sunday 03:00'"],
                     id="bad-maintenance-window"),
        pytest.param({"preferred_maintenance_window": "Sun:03:00-Sun:04:00"}, None, [],
                     id="maintenance-window-any-case"),
        pytest.param({"snapshot_retention_limit": 36}, None, ["snapshot_retention_limit must be 0 to 35 days, got 36"],
                     id="retention-above-35"),
        pytest.param({"replication_group_id": "Sample_Cache"}, None,
                     ["replication_group_id must be 1 to 40 lower-case letters, digits and single hyphens starting "
                      "with a letter and not ending with a hyphen, got 'Sample_Cache'"], id="bad-id"),
        pytest.param({"description": None}, None, ["description is required to create a replication group"],
                     id="create-needs-description"),
        pytest.param({"description": None}, group(), [], id="update-needs-no-description"),
        pytest.param({"engine_version": "seven"}, None,
                     ["engine_version must be a version such as 7.1 (major.minor) or 5.0.6, got 'seven'"],
                     id="engine-version-not-a-version"),
        pytest.param({"engine_version": "6.x"}, None, [], id="engine-version-6.x"),
    ],
)
def test_validate(overrides, current, expected):
    assert erg.validate(params(**overrides), current) == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({"automatic_failover": True}, [], id="failover-may-rely-on-the-existing-replicas"),
        pytest.param({"num_node_groups": 3}, [], id="shards-may-rely-on-an-existing-cluster-mode"),
        pytest.param({"auth_token": TOKEN}, [], id="token-may-rely-on-existing-tls"),
        pytest.param({"description": None}, [], id="description-may-be-unneeded"),
        pytest.param({"replicas_per_node_group": 9}, ["replicas_per_node_group must be 0 to 5, got 9"],
                     id="static-errors-still-found"),
        pytest.param({"automatic_failover": True, "replicas_per_node_group": 0},
                     ["automatic_failover needs replicas_per_node_group of at least 1 (a replica to promote), got 0"],
                     id="explicit-conflict-still-found"),
    ],
)
def test_validate_before_reading_the_group_judges_only_what_is_set(overrides, expected):
    assert erg.validate(params(**overrides), partial=True) == expected


def test_validate_absent_checks_only_the_id():
    assert erg.validate(params(state="absent", replicas_per_node_group=9, description=None)) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        pytest.param({}, {"ReplicationGroupId": "sample-cache", "ReplicationGroupDescription": "cache"},
                     id="minimal"),
        pytest.param(
            {"engine": "redis", "engine_version": "7.1", "cache_node_type": "cache.t3.micro",
             "replicas_per_node_group": 1, "automatic_failover": True, "at_rest_encryption": True,
             "security_group_ids": ["sg-1"], "cache_subnet_group_name": "sn",
             "preferred_maintenance_window": "SUN:18:00-SUN:19:00", "tags": {"Stack": "sample"}},
            {"ReplicationGroupId": "sample-cache", "ReplicationGroupDescription": "cache", "Engine": "redis",
             "EngineVersion": "7.1", "CacheNodeType": "cache.t3.micro", "ReplicasPerNodeGroup": 1,
             "AutomaticFailoverEnabled": True, "AtRestEncryptionEnabled": True, "SecurityGroupIds": ["sg-1"],
             "CacheSubnetGroupName": "sn", "PreferredMaintenanceWindow": "sun:18:00-sun:19:00",
             "Tags": [{"Key": "Stack", "Value": "sample"}]},
            id="role-defaults",
        ),
        pytest.param({"cluster_mode": "enabled"},
                     {"ReplicationGroupId": "sample-cache", "ReplicationGroupDescription": "cache",
                      "ClusterMode": "enabled", "NumNodeGroups": 1}, id="cluster-mode-gets-one-shard"),
        pytest.param({"transit_encryption": True, "auth_token": TOKEN},
                     {"ReplicationGroupId": "sample-cache", "ReplicationGroupDescription": "cache",
                      "TransitEncryptionEnabled": True, "AuthToken": TOKEN}, id="tls-and-token"),
    ],
)
def test_create_params(overrides, expected):
    assert ec.create_params(params(**overrides)) == expected


@pytest.mark.parametrize(
    ("overrides", "current", "modify", "shards", "replicas"),
    [
        pytest.param({"cache_node_type": "cache.t3.micro", "engine_version": "7.1", "security_group_ids": ["sg-1"],
                      "automatic_failover": True, "multi_az": False, "snapshot_retention_limit": 1,
                      "preferred_maintenance_window": "SUN:18:00-SUN:19:00", "replicas_per_node_group": 1},
                     group(), {}, None, None, id="converged-changes-nothing"),
        pytest.param({"cache_node_type": "cache.t3.small"}, group(),
                     {"CacheNodeType": "cache.t3.small", "ApplyImmediately": False}, None, None,
                     id="node-type-in-the-maintenance-window"),
        pytest.param({"cache_node_type": "cache.t3.small", "apply_immediately": True}, group(),
                     {"CacheNodeType": "cache.t3.small", "ApplyImmediately": True}, None, None,
                     id="node-type-now"),
        pytest.param({"cache_node_type": "cache.t3.small"},
                     group(pending_modified_values={"cache_node_type": "cache.t3.small"}), {}, None, None,
                     id="pending-change-is-not-requested-twice"),
        pytest.param({"security_group_ids": ["sg-2", "sg-1"]}, group(),
                     {"SecurityGroupIds": ["sg-2", "sg-1"], "ApplyImmediately": False}, None, None,
                     id="security-groups"),
        pytest.param({"security_group_ids": ["sg-1"]}, group(security_group_ids=["sg-1"]), {}, None, None,
                     id="same-security-groups"),
        pytest.param({"multi_az": True}, group(),
                     {"MultiAZEnabled": True, "ApplyImmediately": False}, None, None, id="multi-az-on"),
        pytest.param({"automatic_failover": False}, group(),
                     {"AutomaticFailoverEnabled": False, "ApplyImmediately": False}, None, None, id="failover-off"),
        pytest.param({"engine": "valkey"}, group(), {"Engine": "valkey", "ApplyImmediately": False}, None, None,
                     id="redis-to-valkey"),
        pytest.param({"auth_token": TOKEN, "auth_token_update_strategy": "ROTATE"},
                     group(transit_encryption_enabled=True, auth_token_enabled=True),
                     {"AuthToken": TOKEN, "AuthTokenUpdateStrategy": "ROTATE", "ApplyImmediately": False}, None, None,
                     id="token-rotation"),
        pytest.param({"auth_token": TOKEN}, group(transit_encryption_enabled=True, auth_token_enabled=True),
                     {}, None, None, id="token-without-strategy-is-left-alone"),
        pytest.param({"replicas_per_node_group": 2}, group(), {}, None, 2, id="more-replicas"),
        pytest.param({"replicas_per_node_group": 0, "automatic_failover": False}, group(),
                     {"AutomaticFailoverEnabled": False, "ApplyImmediately": False}, None, 0, id="fewer-replicas"),
        pytest.param({"num_node_groups": 3}, group(cluster_mode="enabled"), {}, 3, None, id="more-shards"),
    ],
)
def test_plan_changes(overrides, current, modify, shards, replicas):
    errors, planned, planned_shards, planned_replicas, predicted = ec.plan_changes(current, params(**overrides))
    assert errors == []
    assert planned == modify
    assert (planned_shards, planned_replicas) == (shards, replicas)
    assert predicted["status"] == ("modifying" if modify or shards or replicas is not None else "available")


@pytest.mark.parametrize(
    ("overrides", "current", "message"),
    [
        pytest.param({"cluster_mode": "enabled"}, group(), "cluster_mode cannot change", id="cluster-mode"),
        pytest.param({"port": 6380}, group(), "port cannot change", id="port"),
        pytest.param({"cache_subnet_group_name": "other"}, group(), "cache_subnet_group_name cannot change",
                     id="subnet-group"),
        pytest.param({"at_rest_encryption": False}, group(), "at_rest_encryption cannot change", id="at-rest"),
        pytest.param({"transit_encryption": True}, group(), "transit_encryption cannot change", id="in-transit"),
        pytest.param({"engine": "redis"}, group(engine="valkey"), "engine cannot change from 'valkey' to 'redis'",
                     id="valkey-to-redis"),
        pytest.param({"num_node_groups": 2}, group(), "num_node_groups can only change with cluster_mode=enabled",
                     id="shards-without-cluster-mode"),
    ],
)
def test_plan_changes_refuses_what_cannot_change_in_place(overrides, current, message):
    errors = ec.plan_changes(current, params(**overrides))[0]
    assert len(errors) == 1
    assert errors[0].startswith(message)


@pytest.mark.parametrize(
    ("requested", "current", "modify"),
    [
        pytest.param("7.1", group(engine_version="7.1.0"), {}, id="7.1-runs-as-7.1.0"),
        pytest.param("7.1", group(engine_version="7.1.3"), {}, id="7.1-runs-as-a-later-patch"),
        pytest.param("6.2", group(engine_version="6.2.6"), {}, id="6.2-runs-as-6.2.6"),
        pytest.param("7.1", group(engine_version="7.0.7"), {"EngineVersion": "7.1", "ApplyImmediately": False},
                     id="upgrade-7.0-to-7.1"),
        pytest.param("7.0", group(engine_version="6.2.6"), {"EngineVersion": "7.0", "ApplyImmediately": False},
                     id="upgrade-6.2-to-7.0"),
        pytest.param("7.1", group(engine_version="7.0.7", pending_modified_values={"engine_version": "7.1"}), {},
                     id="pending-upgrade-is-not-requested-twice"),
        pytest.param("7.1", group(engine_version="7.0.7", pending_modified_values={"engine_version": "7.1.0"}), {},
                     id="pending-upgrade-reported-with-its-patch"),
        pytest.param(None, group(engine_version="7.1.0"), {}, id="unset-keeps-the-version"),
    ],
)
def test_plan_changes_compares_engine_versions_as_aws_reports_them(requested, current, modify):
    errors, planned, _shards, _replicas, predicted = ec.plan_changes(current, params(engine_version=requested))
    assert errors == []
    assert planned == modify
    assert predicted["engine_version"] == current["engine_version"]  # what AWS reports until the change is made
    assert predicted["status"] == ("modifying" if modify else "available")


@pytest.mark.parametrize(
    ("requested", "current", "message"),
    [
        pytest.param("7.0", group(engine_version="7.1.0"),
                     "engine_version 7.0 is lower than 7.1.0, the version of replication group sample-cache: "
                     "AWS cannot downgrade an engine (create a new group to run an older version)", id="7.1-to-7.0"),
        pytest.param("6.2", group(engine_version="7.0.7"),
                     "engine_version 6.2 is lower than 7.0.7, the version of replication group sample-cache: "
                     "AWS cannot downgrade an engine (create a new group to run an older version)", id="7.0-to-6.2"),
        pytest.param("7.0", group(engine_version="7.0.7", pending_modified_values={"engine_version": "7.1"}),
                     "engine_version 7.0 is lower than the upgrade to 7.1 pending on replication group sample-cache: "
                     "AWS cannot downgrade an engine (create a new group to run an older version)",
                     id="below-a-pending-upgrade"),
    ],
)
def test_plan_changes_refuses_a_downgrade(requested, current, message):
    errors, planned, _shards, _replicas, _predicted = ec.plan_changes(current, params(engine_version=requested))
    assert errors == [message]
    assert "EngineVersion" not in planned


def test_an_upgrade_is_predicted_as_requested_now_or_pending():
    now = ec.plan_changes(group(engine_version="7.0.7"), params(engine_version="7.1", apply_immediately=True))[4]
    assert (now["engine_version"], now["pending_modified_values"]) == ("7.1", {})
    later = ec.plan_changes(group(engine_version="7.0.7"), params(engine_version="7.1"))[4]
    assert (later["engine_version"], later["pending_modified_values"]) == ("7.0.7", {"engine_version": "7.1"})


def test_prediction_keeps_deferred_changes_pending():
    predicted = ec.plan_changes(group(), params(cache_node_type="cache.t3.small"))[4]
    assert predicted["cache_node_type"] == "cache.t3.micro"
    assert predicted["pending_modified_values"] == {"cache_node_type": "cache.t3.small"}
    now = ec.plan_changes(group(), params(cache_node_type="cache.t3.small", apply_immediately=True))[4]
    assert now["cache_node_type"] == "cache.t3.small"


DESCRIBED = {
    "ReplicationGroupId": "sample-cache", "Description": "cache", "Status": "available",
    "MemberClusters": ["sample-cache-001", "sample-cache-002"],
    "NodeGroups": [{
        "NodeGroupId": "0001", "Status": "available",
        "PrimaryEndpoint": {"Address": "master.example", "Port": 6379},
        "ReaderEndpoint": {"Address": "replica.example", "Port": 6379},
        "NodeGroupMembers": [
            {"CacheClusterId": "sample-cache-001", "CurrentRole": "primary", "PreferredAvailabilityZone": "a",
             "ReadEndpoint": {"Address": "n1.example", "Port": 6379}},
            {"CacheClusterId": "sample-cache-002", "CurrentRole": "replica", "PreferredAvailabilityZone": "b",
             "ReadEndpoint": {"Address": "n2.example", "Port": 6379}},
        ],
    }],
    "AutomaticFailover": "enabled", "MultiAZ": "enabled", "ClusterEnabled": False, "CacheNodeType": "cache.t3.micro",
    "AuthTokenEnabled": False, "TransitEncryptionEnabled": False, "AtRestEncryptionEnabled": True,
    "SnapshotRetentionLimit": 1, "SnapshotWindow": "17:00-18:00", "ARN": "arn:x", "Engine": "redis",
    "PendingModifiedValues": {"AutomaticFailoverStatus": "enabled"},
}
MEMBER = {
    "CacheClusterId": "sample-cache-001", "EngineVersion": "7.1.0", "CacheSubnetGroupName": "sample-cache",
    "SecurityGroups": [{"SecurityGroupId": "sg-2", "Status": "active"},
                       {"SecurityGroupId": "sg-1", "Status": "active"}],
    "CacheParameterGroup": {"CacheParameterGroupName": "default.redis7"},
    "PreferredMaintenanceWindow": "sun:18:00-sun:19:00", "PendingModifiedValues": {"CacheNodeType": "cache.t3.small"},
}


def test_normalize_gives_snake_case_with_endpoints_and_member_settings():
    result = ec.normalize(DESCRIBED, MEMBER, {"Stack": "sample"})
    assert result["primary_endpoint"] == {"address": "master.example", "port": 6379}
    assert result["reader_endpoint"] == {"address": "replica.example", "port": 6379}
    assert result["configuration_endpoint"] == {}
    assert (result["num_node_groups"], result["replicas_per_node_group"]) == (1, 1)
    assert result["security_group_ids"] == ["sg-1", "sg-2"]
    assert result["engine_version"] == "7.1.0"  # as AWS reports it, with the patch level
    assert result["cache_parameter_group_name"] == "default.redis7"
    assert result["port"] == 6379
    assert result["pending_modified_values"] == {"automatic_failover_status": "enabled",
                                                 "cache_node_type": "cache.t3.small"}
    assert [m["current_role"] for m in result["node_groups"][0]["members"]] == ["primary", "replica"]
    assert result["tags"] == {"Stack": "sample"}


def test_normalize_of_nothing_is_empty():
    assert ec.normalize(None) == {}


class _Module:
    def __init__(self, **overrides):
        self.params = params(**{"wait": True, "wait_timeout": 60, **overrides})
        self.check_mode = False

    def fail_json(self, **kwargs):
        raise AssertionError(kwargs["msg"])


def test_a_group_still_creating_is_planned_again_once_available(monkeypatch):
    """While creating, the group reports no replicas yet: the plan made then (add a replica) is not sent; the plan
    made again on the available group (nothing to change) is."""
    creating = group(status="creating", replicas_per_node_group=0,
                     node_groups=[{"node_group_id": "0001", "status": "creating", "members": []}])
    manager = erg.ReplicationGroupManager(_Module(replicas_per_node_group=1), client=None)
    waited = []
    monkeypatch.setattr(manager, "wait_available", lambda: waited.append(True) or group())
    sent = []
    monkeypatch.setattr(erg, "change_replica_count", lambda *args, **kwargs: sent.append(kwargs))
    monkeypatch.setattr(erg, "modify_replication_group", lambda *args, **kwargs: sent.append(kwargs))
    changed, _ = manager.ensure_present(creating)
    assert waited == [True]
    assert (changed, sent) == (False, [])


def test_a_group_still_modifying_gets_only_what_it_still_needs(monkeypatch):
    """A modification in progress (another run's) lands the snapshot retention asked for: nothing more is sent."""
    modifying = group(status="modifying", snapshot_retention_limit=1)
    manager = erg.ReplicationGroupManager(_Module(snapshot_retention_limit=5, port=6379), client=None)
    monkeypatch.setattr(manager, "wait_available", lambda: group(snapshot_retention_limit=5))
    sent = []
    monkeypatch.setattr(erg, "modify_replication_group", lambda *args, **kwargs: sent.append(kwargs))
    changed, predicted = manager.ensure_present(modifying)
    assert (changed, sent) == (False, [])
    assert predicted["snapshot_retention_limit"] == 5


class _FailingModule(_Module):
    def fail_json_aws(self, exception, msg=None, **kwargs):
        raise AssertionError(msg, type(exception).__name__, kwargs)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        pytest.param("creating", "Timed out after 15 s waiting for replication group sample-cache to be available "
                     "(status creating)", id="timeout"),
        pytest.param("create-failed", "Replication group sample-cache did not become available (status create-failed)",
                     id="create-failed"),
    ],
)
def test_a_wait_that_fails_names_the_group_and_its_status(slept, status, message):
    """The wait is botocore's waiter (tests/unit/plugins/module_utils/test_elasticache.py); a WaiterError ends the
    module with fail_json_aws, the group's status and the group as it is."""
    client = boto3.client("elasticache", region_name="ap-northeast-2", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # noqa: S106
    answer = {"ReplicationGroups": [{"ReplicationGroupId": "sample-cache", "Status": status, "NodeGroups": []}]}
    manager = erg.ReplicationGroupManager(_FailingModule(wait_timeout=15), client)
    with Stubber(client) as stubber:
        # creating: polled at once and after 15 s (wait_timeout 15), then read for the message;
        # create-failed: polled once, then read.
        for _ in range(3 if status == "creating" else 2):
            stubber.add_response("describe_replication_groups", answer, {"ReplicationGroupId": "sample-cache"})
        with pytest.raises(AssertionError) as raised:
            manager.wait_available()
        stubber.assert_no_pending_responses()
    msg, exception, kwargs = raised.value.args
    assert (msg, exception) == (message, "WaiterError")
    assert kwargs["replication_group"]["status"] == status
    assert slept == ([15] if status == "creating" else [])


@pytest.mark.parametrize(
    ("current", "state", "ready"),
    [
        pytest.param(group(), "present", True, id="available-with-its-shard"),
        pytest.param(group(status="modifying"), "present", False, id="modifying"),
        pytest.param(group(node_groups=[{"node_group_id": "0001", "status": "modifying", "members": []}]), "present",
                     False, id="a-shard-still-modifying"),
        pytest.param(None, "present", False, id="not-found-yet"),
        pytest.param(None, "absent", True, id="gone"),
        pytest.param(group(status="deleting"), "absent", False, id="still-deleting"),
    ],
)
def test_an_unchanged_group_is_waited_for_only_when_not_ready(current, state, ready):
    """With nothing sent, the group as first read is the result when it is already what `wait` waits for; the
    module then neither waits nor reads the group again."""
    assert erg._ready(current, state) is ready
