"""local/emulator/slow.py: new RDS instances and replication groups stay `creating` for the set time."""

from __future__ import annotations

import time

import boto3
import pytest
from moto import mock_aws

from local.emulator import slow


@pytest.fixture
def patched(monkeypatch):
    from moto.elasticache.models import ElastiCacheBackend
    from moto.rds.models import RDSBackend

    for cls, names in ((RDSBackend, ("create_db_instance", "describe_db_instances")),
                       (ElastiCacheBackend, ("create_replication_group", "describe_replication_groups"))):
        for name in names:
            monkeypatch.setattr(cls, name, getattr(cls, name))  # restored after the test
    monkeypatch.setenv("AWS_INTRO_SLOW_RDS", "1.5")
    monkeypatch.setenv("AWS_INTRO_SLOW_ELASTICACHE", "1.5")
    slow.apply_from_environment()


@mock_aws
def test_rds_instance_is_creating_then_available(patched):
    rds = boto3.client("rds", region_name="ap-northeast-2")
    rds.create_db_instance(DBInstanceIdentifier="slow-db", Engine="mysql", DBInstanceClass="db.t3.micro",
                           MasterUsername="admin", MasterUserPassword="secret-password", AllocatedStorage=20)
    status = rds.describe_db_instances(DBInstanceIdentifier="slow-db")["DBInstances"][0]["DBInstanceStatus"]
    assert status == "creating"
    time.sleep(1.6)
    status = rds.describe_db_instances(DBInstanceIdentifier="slow-db")["DBInstances"][0]["DBInstanceStatus"]
    assert status == "available"


@mock_aws
def test_replication_group_is_creating_then_available(patched):
    elasticache = boto3.client("elasticache", region_name="ap-northeast-2")
    elasticache.create_replication_group(ReplicationGroupId="slow-rg", ReplicationGroupDescription="slow",
                                         Engine="redis", CacheNodeType="cache.t3.micro", NumCacheClusters=1)
    group = elasticache.describe_replication_groups(ReplicationGroupId="slow-rg")["ReplicationGroups"][0]
    assert group["Status"] == "creating"
    time.sleep(1.6)
    group = elasticache.describe_replication_groups(ReplicationGroupId="slow-rg")["ReplicationGroups"][0]
    assert group["Status"] == "available"


def test_nothing_is_slowed_without_the_variables(monkeypatch):
    monkeypatch.delenv("AWS_INTRO_SLOW_RDS", raising=False)
    monkeypatch.delenv("AWS_INTRO_SLOW_ELASTICACHE", raising=False)
    assert slow.seconds("RDS") == 0
    assert slow.seconds("ELASTICACHE") == 0
