"""Unit tests for plugins/modules/rds_orderable_instance_info.py against moto in-process, with the
emulator layer's MySQL catalogue (moto answers only for aurora-postgresql and neptune)."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.modules import rds_orderable_instance_info as module
from moto import mock_aws
from moto.rds.responses import RDSResponse

from local.emulator import layer


@pytest.fixture
def client(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setattr(RDSResponse, "describe_orderable_db_instance_options",
                        RDSResponse.describe_orderable_db_instance_options)
    layer.fix_rds_orderable_mysql_options()
    with mock_aws():
        yield boto3.client("rds", region_name="ap-northeast-2")


@pytest.mark.parametrize(
    ("version", "klass", "storage", "count"),
    [
        pytest.param("8.4.8", "db.t3.micro", "gp3", 1, id="offered"),
        pytest.param("8.4.8", "db.t3.micro", None, 4, id="every-storage-type"),
        pytest.param("8.4.8", "db.t3.micor", "gp3", 0, id="misspelt-class"),
        pytest.param("8.4.99", "db.t3.micro", "gp3", 0, id="unknown-version"),
        pytest.param("8.4.8", "db.t3.micro", "standard", 0, id="storage-type-not-offered"),
    ],
)
def test_find_options(client, version, klass, storage, count):
    found = module.find_options(client, "mysql", version, klass, storage)
    assert len(found) == count
    for option in found:
        assert (option["engine"], option["engine_version"], option["db_instance_class"]) == ("mysql", version, klass)
        assert option["availability_zones"] == [f"ap-northeast-2{z}" for z in "abcd"]
        assert option["multi_az_capable"] is True


def test_all_pages_are_read(client):
    everything = module.find_options(client, "mysql", None, None, None)
    assert len(everything) > 100  # more than one page of DescribeOrderableDBInstanceOptions (MaxRecords 100)
    keys = {(o["db_instance_class"], o["engine_version"], o["storage_type"]) for o in everything}
    assert len(keys) == len(everything)
