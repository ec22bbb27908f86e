"""Benchmark-only emulator layer: slow creations, as in AWS.

moto makes an RDS instance and a replication group `available` at once (and a certificate
`ISSUED` after MOTO_ACM_VALIDATION_WAIT seconds). To measure whether the cloud play awaits them
together, this layer keeps each new one `creating` for a set time, read from the environment:

    AWS_INTRO_SLOW_RDS=60 AWS_INTRO_SLOW_ELASTICACHE=90 MOTO_ACM_VALIDATION_WAIT=45

AWS: DescribeDBInstances reports DBInstanceStatus "creating" until the instance is "available"
(RDS User Guide, "Viewing Amazon RDS DB instance status"); DescribeReplicationGroups reports
Status "creating" until "available" (ElastiCache API Reference, ReplicationGroup.Status).
Only tests/benchmarks use it; local/emulator/layer.py applies it when a variable is set.
"""

from __future__ import annotations

import os
import time


def seconds(name: str) -> float:
    return float(os.environ.get(f"AWS_INTRO_SLOW_{name}", "0") or 0)


def slow_down(backend, create: str, describe: str, id_attribute: str, delay: float) -> None:
    """Wrap backend.<create> and backend.<describe>: a new resource reads `creating` for `delay` seconds."""
    created: dict[str, float] = {}
    original_create, original_describe = getattr(backend, create), getattr(backend, describe)

    def create_resource(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        resource = original_create(self, *args, **kwargs)
        created[getattr(resource, id_attribute)] = time.monotonic()
        resource.status = "creating"
        return resource

    def describe_resources(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        resources = original_describe(self, *args, **kwargs)
        for resource in resources:
            started = created.get(getattr(resource, id_attribute))
            if started is not None:
                resource.status = "creating" if time.monotonic() - started < delay else "available"
        return resources

    setattr(backend, create, create_resource)
    setattr(backend, describe, describe_resources)


def slow_rds(delay: float) -> None:
    from moto.rds.models import RDSBackend

    slow_down(RDSBackend, "create_db_instance", "describe_db_instances", "db_instance_identifier", delay)


def slow_elasticache(delay: float) -> None:
    from moto.elasticache.models import ElastiCacheBackend

    slow_down(ElastiCacheBackend, "create_replication_group", "describe_replication_groups",
              "replication_group_id", delay)


def apply_from_environment() -> None:
    if seconds("RDS"):
        slow_rds(seconds("RDS"))
    if seconds("ELASTICACHE"):
        slow_elasticache(seconds("ELASTICACHE"))
