"""Unit tests of plugins/module_utils/elasticache.py with botocore's Stubber (no network): a missing group
or cluster reads as None, throttling is retried, other errors raise AnsibleElastiCacheError, deleting a
group that is gone returns False."""

from __future__ import annotations

import boto3
import botocore.exceptions
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import elasticache, waiters
from botocore.stub import Stubber

GROUP = {"ReplicationGroupId": "sample-cache", "Status": "available"}


@pytest.fixture
def client():
    client = boto3.client("elasticache", region_name="ap-northeast-2", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # noqa: S106
    with Stubber(client) as stubber:
        client.stubber = stubber
        yield client
        stubber.assert_no_pending_responses()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)


@pytest.mark.parametrize(
    ("call", "method", "error_code"),
    [
        pytest.param(elasticache.get_replication_group, "describe_replication_groups", "ReplicationGroupNotFoundFault",
                     id="group"),
        pytest.param(elasticache.get_cache_cluster, "describe_cache_clusters", "CacheClusterNotFound", id="cluster"),
    ],
)
def test_a_missing_resource_reads_as_none(client, call, method, error_code):
    client.stubber.add_client_error(method, service_error_code=error_code, http_status_code=404)
    assert call(client, "sample-cache") is None


def test_throttling_is_retried(client):
    client.stubber.add_client_error("describe_replication_groups", service_error_code="Throttling",
                                    http_status_code=400)
    client.stubber.add_response("describe_replication_groups", {"ReplicationGroups": [GROUP]},
                                {"ReplicationGroupId": "sample-cache"})
    assert elasticache.get_replication_group(client, "sample-cache") == GROUP


def test_a_busy_group_is_retried_before_a_change(client):
    client.stubber.add_client_error("modify_replication_group", service_error_code="InvalidReplicationGroupState",
                                    http_status_code=400)
    client.stubber.add_response("modify_replication_group", {"ReplicationGroup": GROUP},
                                {"ReplicationGroupId": "sample-cache", "ApplyImmediately": True})
    assert elasticache.modify_replication_group(client, ReplicationGroupId="sample-cache",
                                                ApplyImmediately=True) == GROUP


def test_other_errors_raise_the_collection_error(client):
    client.stubber.add_client_error("create_replication_group", service_error_code="InvalidParameterValue",
                                    http_status_code=400, service_message="bad node type")
    with pytest.raises(elasticache.AnsibleElastiCacheError, match="create replication group"):
        elasticache.create_replication_group(client, ReplicationGroupId="x", ReplicationGroupDescription="d")


def test_deleting_a_group_that_is_gone_returns_false(client):
    client.stubber.add_client_error("delete_replication_group", service_error_code="ReplicationGroupNotFoundFault",
                                    http_status_code=404)
    assert elasticache.delete_replication_group(client, "sample-cache") is False


@pytest.mark.parametrize(
    ("requested", "reported", "expected"),
    [
        pytest.param("7.1", "7.1.0", 0, id="major-minor-satisfied-by-its-first-patch"),
        pytest.param("7.1", "7.1.4", 0, id="major-minor-satisfied-by-a-later-patch"),
        pytest.param("7.1", "7.1", 0, id="same-text"),
        pytest.param("6.2", "6.2.6", 0, id="redis-6.2"),
        pytest.param("8.0", "8.0.1", 0, id="valkey-8.0"),
        pytest.param("6.x", "6.2.6", 0, id="6.x-any-6"),
        pytest.param("5.0.6", "5.0.6", 0, id="full-version-equal"),
        pytest.param("7.1.0", "7.1", 0, id="reported-without-patch-is-patch-0"),
        pytest.param(" 7.1 ", "7.1.0", 0, id="spaces-ignored"),
        pytest.param("7.1", "7.0.7", 1, id="minor-upgrade"),
        pytest.param("7.0", "6.2.6", 1, id="major-upgrade"),
        pytest.param("7.10", "7.9.0", 1, id="numbers-not-text-7.10-after-7.9"),
        pytest.param("5.0.6", "5.0.0", 1, id="patch-upgrade-of-a-full-version"),
        pytest.param("7.1.2", "7.1", 1, id="patch-above-a-reported-major-minor"),
        pytest.param("7.1", None, 1, id="nothing-reported"),
        pytest.param("7.0", "7.1.0", -1, id="minor-downgrade"),
        pytest.param("6.2", "7.0.7", -1, id="major-downgrade"),
        pytest.param("7.9", "7.10.0", -1, id="numbers-not-text-7.9-before-7.10"),
        pytest.param("6.x", "7.0.7", -1, id="6.x-below-7"),
        pytest.param("5.0.0", "5.0.6", -1, id="patch-downgrade-of-a-full-version"),
        pytest.param("latest", "latest", 0, id="text-equal"),
        pytest.param("latest", "7.1.0", 1, id="text-differs-left-to-aws"),
    ],
)
def test_compare_engine_versions(requested, reported, expected):
    assert elasticache.compare_engine_versions(requested, reported) == expected


@pytest.mark.parametrize(
    ("version", "parts"),
    [("7.1.0", (7, 1, 0)), ("7.1", (7, 1)), ("6.x", (6,)), ("6.X", (6,)), ("10", (10,)), ("7.a", None), ("", None),
     (None, None), ("x", None)],
)
def test_engine_version_parts(version, parts):
    assert elasticache.engine_version_parts(version) == parts


@pytest.mark.parametrize(
    ("version", "valid"),
    [("7.1", True), ("5.0.6", True), ("6.x", True), ("7", True), ("7.1.0.1", False), ("v7.1", False),
     ("7.1 ", False), ("7.1\n", False), ("latest", False), ("7.x.1", False)],
)
def test_engine_version_pattern(version, valid):
    assert bool(elasticache.ENGINE_VERSION_PATTERN.fullmatch(version)) is valid


# ---- replication_group_waiter: botocore's waiter, every shard too, throttled polls retried ----


def _described(status, *shard_statuses):
    group = {"ReplicationGroupId": "sample-cache", "Status": status,
             "NodeGroups": [{"NodeGroupId": f"000{i}", "Status": s} for i, s in enumerate(shard_statuses, 1)]}
    return {"ReplicationGroups": [group]}


@pytest.mark.parametrize(
    ("answers", "polls"),
    [
        pytest.param([_described("creating"), _described("available", "available")], 2, id="created"),
        pytest.param([_described("available", "modifying", "available"), _described("available", "available")], 2,
                     id="a-shard-still-modifying"),
        pytest.param([_described("modifying", "available"), _described("available", "available", "available")], 2,
                     id="modifying"),
        pytest.param(["ReplicationGroupNotFoundFault", _described("available", "available")], 2,
                     id="not-found-yet"),
        pytest.param(["Throttling", _described("available", "available")], 1, id="throttled-poll-retried"),
    ],
)
def test_waiter_waits_until_the_group_and_every_shard_are_available(client, slept, answers, polls):
    for answer in answers:
        if isinstance(answer, str):
            client.stubber.add_client_error("describe_replication_groups", service_error_code=answer,
                                            http_status_code=400)
        else:
            client.stubber.add_response("describe_replication_groups", answer, {"ReplicationGroupId": "sample-cache"})
    elasticache.replication_group_waiter(client, "available").wait(
        ReplicationGroupId="sample-cache", WaiterConfig=waiters.waiter_config(60, elasticache.WAIT_DELAY))
    # The waiter sleeps its delay between polls; a throttled call is retried inside one poll (AWSRetry).
    assert slept.count(elasticache.WAIT_DELAY) == polls - 1


@pytest.mark.parametrize(
    ("answers", "timed_out"),
    [
        pytest.param([_described("creating")] * 3, True, id="still-creating-after-the-timeout"),
        pytest.param([_described("creating"), _described("create-failed")], False, id="create-failed-at-once"),
        pytest.param([_described("deleted")], False, id="deleted"),
    ],
)
def test_waiter_fails_on_timeout_or_a_failed_group(client, slept, answers, timed_out):
    for answer in answers:
        client.stubber.add_response("describe_replication_groups", answer, {"ReplicationGroupId": "sample-cache"})
    with pytest.raises(botocore.exceptions.WaiterError) as raised:
        elasticache.replication_group_waiter(client, "available").wait(
            ReplicationGroupId="sample-cache", WaiterConfig=waiters.waiter_config(30, elasticache.WAIT_DELAY))
    assert waiters.timed_out(raised.value) is timed_out
    assert slept == [elasticache.WAIT_DELAY] * (len(answers) - 1)


def test_deleted_waiter_ends_when_the_group_is_gone(client, slept):
    client.stubber.add_response("describe_replication_groups", _described("deleting", "deleting"),
                                {"ReplicationGroupId": "sample-cache"})
    client.stubber.add_client_error("describe_replication_groups", service_error_code="ReplicationGroupNotFoundFault",
                                    http_status_code=404)
    elasticache.replication_group_waiter(client, "deleted").wait(
        ReplicationGroupId="sample-cache", WaiterConfig=waiters.waiter_config(60, elasticache.WAIT_DELAY))
    assert slept == [elasticache.WAIT_DELAY]


@pytest.mark.parametrize(("timeout", "attempts"), [(0, 1), (14, 1), (15, 2), (1800, 121)])
def test_waiter_config_polls_for_the_timeout(timeout, attempts):
    assert waiters.waiter_config(timeout, 15) == {"Delay": 15, "MaxAttempts": attempts}
