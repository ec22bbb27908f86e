"""Benchmark-only emulator layer: slow creations, as in AWS.

moto makes an RDS instance and a replication group `available` at once (and a certificate
`ISSUED` after MOTO_ACM_VALIDATION_WAIT seconds). To measure whether the cloud play awaits them
together, this layer keeps each new one `creating` for a set time, read from the environment:

    AWS_INTRO_SLOW_RDS=60 AWS_INTRO_SLOW_ELASTICACHE=90 MOTO_ACM_VALIDATION_WAIT=45

AWS: DescribeDBInstances reports DBInstanceStatus "creating" until the instance is "available"
(RDS User Guide, "Viewing Amazon RDS DB instance status"); DescribeReplicationGroups reports
Status "creating" until "available" (ElastiCache API Reference, ReplicationGroup.Status).
Only tests/benchmarks use it; tests/emulator/layer.py applies it when a variable is set.
"""

from __future__ import annotations

import os
import time


def seconds(name: str) -> float:
    return float(os.environ.get(f"AWS_INTRO_SLOW_{name}", "0") or 0)


def _slow(model_status_owner, created: dict, key: str, delay: float) -> None:
    started = created.get(key)
    if started is None:
        return
    model_status_owner.status = "creating" if time.monotonic() - started < delay else "available"


def slow_rds(delay: float) -> None:
    from moto.rds.models import RDSBackend

    created: dict[str, float] = {}
    create, describe = RDSBackend.create_db_instance, RDSBackend.describe_db_instances

    def create_db_instance(self, db_kwargs):  # type: ignore[no-untyped-def]
        database = create(self, db_kwargs)
        created[database.db_instance_identifier] = time.monotonic()
        database.status = "creating"
        return database

    def describe_db_instances(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        databases = describe(self, *args, **kwargs)
        for database in databases:
            _slow(database, created, database.db_instance_identifier, delay)
        return databases

    RDSBackend.create_db_instance = create_db_instance
    RDSBackend.describe_db_instances = describe_db_instances


def slow_elasticache(delay: float) -> None:
    from moto.elasticache.models import ElastiCacheBackend

    created: dict[str, float] = {}
    create, describe = ElastiCacheBackend.create_replication_group, ElastiCacheBackend.describe_replication_groups

    def create_replication_group(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        group = create(self, *args, **kwargs)
        created[group.replication_group_id] = time.monotonic()
        group.status = "creating"
        return group

    def describe_replication_groups(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        groups = describe(self, *args, **kwargs)
        for group in groups:
            _slow(group, created, group.replication_group_id, delay)
        return groups

    ElastiCacheBackend.create_replication_group = create_replication_group
    ElastiCacheBackend.describe_replication_groups = describe_replication_groups


def apply_from_environment() -> None:
    if seconds("RDS"):
        slow_rds(seconds("RDS"))
    if seconds("ELASTICACHE"):
        slow_elasticache(seconds("ELASTICACHE"))
