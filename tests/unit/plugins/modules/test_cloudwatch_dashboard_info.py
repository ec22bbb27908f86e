"""Unit tests for plugins/modules/cloudwatch_dashboard_info.py against moto in-process."""

from __future__ import annotations

import json

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.modules import cloudwatch_dashboard_info as module
from moto import mock_aws

BODY = json.dumps({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 6, "height": 2,
                                "properties": {"markdown": "hi"}}]})


@pytest.fixture
def client(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        cw = boto3.client("cloudwatch", region_name="ap-northeast-2")
        for name in ("sample", "sample-extra", "other"):
            cw.put_dashboard(DashboardName=name, DashboardBody=BODY)
        yield cw


@pytest.mark.parametrize(
    ("name", "prefix", "expected"),
    [
        pytest.param(None, None, ["other", "sample", "sample-extra"], id="all"),
        pytest.param("sample", None, ["sample"], id="by-name-not-its-prefix"),
        pytest.param(None, "sample", ["sample", "sample-extra"], id="by-prefix"),
        pytest.param("missing", None, [], id="missing-name-is-empty"),
        pytest.param(None, "missing", [], id="missing-prefix-is-empty"),
    ],
)
def test_find_dashboards(client, name, prefix, expected):
    found = module.find_dashboards(client, name, prefix)
    assert [d["dashboard_name"] for d in found] == expected
    for dashboard in found:
        assert dashboard["dashboard_arn"].endswith(":dashboard/" + dashboard["dashboard_name"])
        assert dashboard["size"] > 0
        assert isinstance(dashboard["last_modified"], str)
