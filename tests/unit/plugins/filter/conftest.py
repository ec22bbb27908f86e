"""What the EC2 filters' tests share: moto in-process, and the upstream amazon.aws modules run on it in check mode
(each filter is checked against the module whose questions it asks)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import boto3
import pytest
from ansible.module_utils.testing import patch_module_args
from moto import mock_aws

REGION = "ap-northeast-2"


@pytest.fixture
def moto_ec2(monkeypatch, capsys):
    """moto in-process: .region, .client (boto3 EC2), and .run(module, args), the upstream module's result for
    these options in check mode (it must not fail)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")

    def run(module, args):
        with patch_module_args({"region": REGION, "_ansible_check_mode": True, **args}), pytest.raises(SystemExit):
            module.main()
        result = json.loads(capsys.readouterr().out)
        assert not result.get("failed"), result
        return result

    with mock_aws():
        yield SimpleNamespace(region=REGION, client=boto3.client("ec2", region_name=REGION), run=run)
