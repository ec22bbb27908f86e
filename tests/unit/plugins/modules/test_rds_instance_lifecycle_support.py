"""Unit tests of rds_instance_lifecycle_support: ModifyDBInstance only when the setting differs, RDS's
default when DescribeDBInstances leaves the field out, the Extended Support warning, and the calls sent
(botocore Stubber, so request shapes are checked against the RDS model)."""

from __future__ import annotations

from unittest.mock import MagicMock

import boto3
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import rds
from ansible_collections.aws_intro.stack.plugins.modules import rds_instance_lifecycle_support as module
from botocore.stub import Stubber

DISABLED = "open-source-rds-extended-support-disabled"
ENROLLED = "open-source-rds-extended-support"
INSTANCE = {"DBInstanceIdentifier": "sample-db", "Engine": "mysql", "EngineVersion": "8.0.46"}


@pytest.mark.parametrize(
    ("current", "wanted", "changed"),
    [
        pytest.param(ENROLLED, DISABLED, True, id="opt-out"),
        pytest.param(DISABLED, ENROLLED, True, id="enrol"),
        pytest.param(DISABLED, DISABLED, False, id="already-out"),
        pytest.param(None, ENROLLED, False, id="absent-field-is-rds-default"),
        pytest.param(None, DISABLED, True, id="absent-field-opt-out"),
    ],
)
def test_modify_only_when_the_setting_differs(current, wanted, changed):
    instance = dict(INSTANCE, **({"EngineLifecycleSupport": current} if current else {}))
    for check_mode in (True, False):
        client = MagicMock()
        result_changed, result = module.ensure_lifecycle_support(client, instance, wanted, check_mode)
        assert result_changed is changed
        assert result["engine_lifecycle_support"] == wanted
        sent = [c for c in client.mock_calls if c[0] == "modify_db_instance"]
        if changed and not check_mode:
            # No ApplyImmediately: it would push the instance's other pending changes through too.
            assert [c.kwargs for c in sent] == [{"DBInstanceIdentifier": "sample-db", "EngineLifecycleSupport": wanted}]
        else:
            assert sent == []


def test_the_warning_names_the_instance_and_the_cost_only_while_enrolled():
    enrolled = module.summarize(dict(INSTANCE, EngineLifecycleSupport=ENROLLED))
    warning = module.extended_support_warning(enrolled)
    assert warning.startswith("DB instance sample-db (mysql 8.0.46) is enrolled in Amazon RDS Extended Support")
    assert "charges" in warning
    assert module.extended_support_warning(module.summarize(dict(INSTANCE, EngineLifecycleSupport=DISABLED))) is None


def test_requests_match_the_rds_model():
    client = boto3.client("rds", region_name="ap-northeast-2", aws_access_key_id="x",
                          aws_secret_access_key="x")  # noqa: S106
    with Stubber(client) as stub:
        stub.add_response("describe_db_instances", {"DBInstances": [INSTANCE]},
                          {"DBInstanceIdentifier": "sample-db"})
        stub.add_response("modify_db_instance", {"DBInstance": dict(INSTANCE, EngineLifecycleSupport=DISABLED)},
                          {"DBInstanceIdentifier": "sample-db", "EngineLifecycleSupport": DISABLED})
        stub.add_client_error("describe_db_instances", service_error_code="DBInstanceNotFound", http_status_code=404)
        assert rds.describe_db_instance(client, "sample-db") == INSTANCE
        rds.modify_lifecycle_support(client, "sample-db", DISABLED)
        assert rds.describe_db_instance(client, "missing-db") is None
        stub.assert_no_pending_responses()
