"""Unit tests for plugins/modules/ec2_instance_type_offerings_info.py against moto in-process."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.modules import ec2_instance_type_offerings_info as module
from moto import mock_aws

REGION = "ap-northeast-2"


@pytest.fixture
def client(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        yield boto3.client("ec2", region_name=REGION)


@pytest.mark.parametrize(
    ("types", "location_type", "locations", "offered", "missing"),
    [
        pytest.param(["t3.micro"], "region", [], {"t3.micro": [REGION]}, [], id="region-offers-it"),
        pytest.param(["t3.micro", "t3.micor"], "region", [], {"t3.micro": [REGION], "t3.micor": []}, ["t3.micor"],
                     id="a-misspelt-type-is-offered-nowhere"),
        pytest.param(["t3.micro"], "availability-zone", [f"{REGION}a", f"{REGION}c"],
                     {"t3.micro": [f"{REGION}a", f"{REGION}c"]}, [], id="in-both-zones"),
        pytest.param(["t3.micro"], "availability-zone", [f"{REGION}a", f"{REGION}z"],
                     {"t3.micro": [f"{REGION}a"]}, ["t3.micro"], id="missing-from-one-zone"),
    ],
)
def test_find_offerings(client, types, location_type, locations, offered, missing):
    assert module.find_offerings(client, types, location_type, locations) == (offered, missing)

