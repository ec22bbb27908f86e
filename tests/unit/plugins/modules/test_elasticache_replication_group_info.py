"""Unit tests for plugins/modules/elasticache_replication_group_info.py against moto in-process."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import elasticache
from ansible_collections.aws_intro.stack.plugins.modules import elasticache_replication_group_info as module
from moto import mock_aws


@pytest.fixture
def client(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        ec = boto3.client("elasticache", region_name="ap-northeast-2")
        for group_id, stack in (("a-cache", "a"), ("b-cache", "b")):
            ec.create_replication_group(
                ReplicationGroupId=group_id, ReplicationGroupDescription=group_id, Engine="redis",
                CacheNodeType="cache.t3.micro", ReplicasPerNodeGroup=1,
                Tags=[{"Key": "Stack", "Value": stack}])
        yield ec


@pytest.mark.parametrize(
    ("group_id", "tags", "expected"),
    [
        pytest.param(None, {}, ["a-cache", "b-cache"], id="all"),
        pytest.param(None, {"Stack": "a"}, ["a-cache"], id="by-tag"),
        pytest.param(None, {"Stack": "c"}, [], id="tag-matches-none"),
        pytest.param("b-cache", {}, ["b-cache"], id="by-id"),
        pytest.param("b-cache", {"Stack": "a"}, [], id="by-id-tag-differs"),
        pytest.param("missing", {}, [], id="missing-id-is-empty"),
    ],
)
def test_find_replication_groups(client, group_id, tags, expected):
    groups = module.find_replication_groups(client, group_id, tags)
    assert sorted(g["replication_group_id"] for g in groups) == expected
    for group in groups:
        assert group["tags"]["Stack"] == group["replication_group_id"][0]
        assert len(group["member_clusters"]) == 2


def test_a_group_has_the_shape_elasticache_replication_group_returns(client):
    """Both modules return a group through module_utils/elasticache.py's normalize: the same keys, the settings
    the shards and their members as the module reports them."""
    (found,) = module.find_replication_groups(client, "a-cache", {})
    assert set(found) == set(elasticache.normalize({"ReplicationGroupId": "x"}))
    assert found["cluster_mode"] == "disabled"
    assert (found["num_node_groups"], found["replicas_per_node_group"]) == (1, 1)
    assert found["cache_node_type"] == "cache.t3.micro"
    assert found["engine"] == "redis"
    assert found["node_groups"][0]["members"][0]["cache_cluster_id"] in found["member_clusters"]
