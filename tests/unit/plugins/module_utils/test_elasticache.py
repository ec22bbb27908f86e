"""Unit tests of plugins/module_utils/elasticache.py with botocore's Stubber (no network): a missing group
or cluster reads as None, throttling is retried, other errors raise AnsibleElastiCacheError, deleting a
group that is gone returns False."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import elasticache
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
