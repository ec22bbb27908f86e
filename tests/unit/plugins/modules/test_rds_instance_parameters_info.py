"""Unit tests for plugins/modules/rds_instance_parameters_info.py against moto in-process, with the emulator
layer's MySQL engine defaults (moto lists only the parameters a user set, without their data types)."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils.rds import convert_parameter
from ansible_collections.aws_intro.stack.plugins.modules import rds_instance_parameters_info as module
from moto import mock_aws
from moto.rds.responses import RDSResponse

from local.emulator import layer

GROUP = "sample-mysql84"
WANTED = {"character_set_server": "utf8mb4", "time_zone": "Asia/Seoul", "slow_query_log": True,
          "max_connections": "1K"}


@pytest.fixture
def client(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    for name in ("describe_db_parameters", "describe_db_parameter_groups"):
        monkeypatch.setattr(RDSResponse, name, getattr(RDSResponse, name))
    layer.fix_rds_db_parameters_engine_defaults()
    with mock_aws():
        rds = boto3.client("rds", region_name="ap-northeast-2")
        rds.create_db_parameter_group(DBParameterGroupName=GROUP, DBParameterGroupFamily="mysql8.4",
                                      Description="test")
        yield rds


def set_values(rds, **values):
    rds.modify_db_parameter_group(DBParameterGroupName=GROUP, Parameters=[
        {"ParameterName": k, "ParameterValue": v, "ApplyMethod": "immediate"} for k, v in values.items()])


def test_a_new_group_differs_in_every_wanted_value_as_the_upstream_module_would_send_it(client):
    result = module.read(client, GROUP, None, WANTED)
    assert result["exists"] is True
    assert result["errors"] == []
    assert result["differences"] == [
        {"name": "character_set_server", "before": None, "after": "utf8mb4"},
        {"name": "max_connections", "before": None, "after": "1024"},
        {"name": "slow_query_log", "before": None, "after": "1"},
        {"name": "time_zone", "before": None, "after": "Asia/Seoul"},
    ]


def test_values_already_set_are_no_difference_and_a_value_changed_by_hand_is(client):
    set_values(client, character_set_server="utf8mb4", max_connections="1024", slow_query_log="1",
               time_zone="UTC")
    result = module.read(client, GROUP, "user", WANTED)
    assert result["differences"] == [{"name": "time_zone", "before": "UTC", "after": "Asia/Seoul"}]
    assert [p["parameter_name"] for p in result["parameters"]] == sorted(
        ["character_set_server", "max_connections", "slow_query_log", "time_zone"])
    assert {p["source"] for p in result["parameters"]} == {"user"}


def test_every_parameter_is_listed_without_a_source(client):
    result = module.read(client, GROUP, None, None)
    names = [p["parameter_name"] for p in result["parameters"]]
    assert "mysql_native_password" in names
    assert names == sorted(names)
    assert result["differences"] == []


def test_an_unknown_name_is_an_error_not_a_difference(client):
    result = module.read(client, GROUP, None, {"time_zon": "Asia/Seoul"})
    assert result["differences"] == []
    assert result["errors"] == ["Parameter time_zon is not an available parameter of the group's family"]


def test_a_missing_group_plans_every_value(client):
    result = module.read(client, "no-such-group", None, {"time_zone": "Asia/Seoul"})
    assert result == {"exists": False, "family": None, "db_parameter_group_arn": None, "tags": {}, "parameters": [],
                      "errors": [], "differences": [{"name": "time_zone", "before": None, "after": "Asia/Seoul"}]}


def test_the_group_its_family_and_its_tags_are_read(client):
    arn = client.describe_db_parameter_groups(DBParameterGroupName=GROUP)["DBParameterGroups"][0]["DBParameterGroupArn"]
    client.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "Stack", "Value": "sample"}])
    result = module.read(client, GROUP, None, None)
    assert (result["exists"], result["family"], result["db_parameter_group_arn"]) == (True, "mysql8.4", arn)
    assert result["tags"] == {"Stack": "sample"}


def test_a_group_without_tags_reads_an_empty_dictionary(client):
    assert module.read(client, GROUP, None, None)["tags"] == {}


@pytest.mark.parametrize(
    ("data_type", "value", "sent"),
    [
        pytest.param("integer", "4M", str(4 * 1024 * 1024), id="integer-multiplier"),
        pytest.param("integer", 300, "300", id="integer"),
        pytest.param("integer", "{DBInstanceClassMemory/12582880}", "{DBInstanceClassMemory/12582880}",
                     id="formula-passes-through"),
        pytest.param("boolean", "on", "1", id="boolean-word"),
        pytest.param("boolean", False, "0", id="boolean-false"),
        pytest.param("string", "utf8mb4", "utf8mb4", id="string"),
    ],
)
def test_convert_parameter_matches_the_upstream_module(data_type, value, sent):
    assert convert_parameter({"DataType": data_type}, value) == sent
