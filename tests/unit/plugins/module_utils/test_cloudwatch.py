"""Unit tests for plugins/module_utils/cloudwatch.py: semantic body comparison, canonical JSON,
validation messages of a rejected body, not-found reads."""

from __future__ import annotations

import json
from unittest.mock import MagicMock

import botocore.exceptions
import pytest
from ansible_collections.aws_intro.stack.plugins.module_utils import cloudwatch

WIDGET = {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# hi"}}


def client_error(code, message="boom", **extra):
    response = {"Error": {"Code": code, "Message": message}, **extra}
    return botocore.exceptions.ClientError(response, "PutDashboard")


@pytest.mark.parametrize(
    ("current", "desired", "equal"),
    [
        pytest.param('{"widgets": []}', {"widgets": []}, True, id="text-vs-structure"),
        pytest.param('{ "a" : 1,\n "b": [1, 2] }', '{"b":[1,2],"a":1}', True, id="key-order-and-whitespace"),
        pytest.param(json.dumps({"widgets": [WIDGET]}), {"widgets": [dict(reversed(list(WIDGET.items())))]}, True,
                     id="nested-key-order"),
        pytest.param('{"widgets": [1, 2]}', {"widgets": [2, 1]}, False, id="list-order-matters"),
        pytest.param('{"a": 1}', {"a": "1"}, False, id="number-is-not-string"),
        pytest.param('{"a": 1}', {"a": 1, "b": None}, False, id="extra-key"),
        pytest.param(None, {"a": 1}, False, id="nothing-vs-something"),
        pytest.param(None, None, True, id="nothing-vs-nothing"),
    ],
)
def test_bodies_equal(current, desired, equal):
    assert cloudwatch.bodies_equal(current, desired) is equal


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param({"b": 1, "a": [{"d": 1, "c": 2}]}, '{"a":[{"c":2,"d":1}],"b":1}', id="structure"),
        pytest.param('{ "b" : 1 , "a" : 2 }', '{"a":2,"b":1}', id="json-text"),
    ],
)
def test_canonical_body_sorts_keys_and_drops_whitespace(body, expected):
    assert cloudwatch.canonical_body(body) == expected


def test_normalize_dashboard_parses_the_body():
    got = cloudwatch.normalize_dashboard(
        {"DashboardName": "d", "DashboardArn": "arn:aws:cloudwatch::111122223333:dashboard/d",
         "DashboardBody": '{"widgets":[]}'})
    assert got == {"dashboard_name": "d", "dashboard_arn": "arn:aws:cloudwatch::111122223333:dashboard/d",
                   "dashboard_body": {"widgets": []}}
    assert cloudwatch.normalize_dashboard(None) is None


def test_get_dashboard_not_found_returns_none():
    client = MagicMock()
    client.get_dashboard.side_effect = client_error("ResourceNotFound", "Dashboard does not exist")
    assert cloudwatch.get_dashboard(client, "nope") is None


def test_get_dashboard_other_error_raises():
    client = MagicMock()
    client.get_dashboard.side_effect = client_error("AccessDenied")
    with pytest.raises(cloudwatch.AnsibleCloudWatchError, match="Failed to get dashboard"):
        cloudwatch.get_dashboard(client, "d")


@pytest.mark.parametrize(
    ("error", "expected_messages", "expected_text"),
    [
        pytest.param(
            client_error("InvalidParameterInput", "The field DashboardBody must be a valid JSON object",
                         dashboardValidationMessages=[
                             {"DataPath": "/widgets/0/type", "Message": "Should be equal to one of the allowed values"},
                             {"DataPath": "/widgets/1", "Message": "Should have required property 'properties'"}]),
            [{"data_path": "/widgets/0/type", "message": "Should be equal to one of the allowed values"},
             {"data_path": "/widgets/1", "message": "Should have required property 'properties'"}],
            "/widgets/0/type: Should be equal to one of the allowed values; "
            "/widgets/1: Should have required property 'properties'",
            id="messages-passed-on",
        ),
        pytest.param(
            client_error("InvalidParameterInput", "Body is invalid JSON"), [], "Body is invalid JSON",
            id="no-messages-uses-aws-message",
        ),
    ],
)
def test_put_dashboard_rejected_body_carries_validation_messages(error, expected_messages, expected_text):
    client = MagicMock()
    client.put_dashboard.side_effect = error
    with pytest.raises(cloudwatch.DashboardValidationError) as raised:
        cloudwatch.put_dashboard(client, "d", {"widgets": []})
    assert raised.value.validation_messages == expected_messages
    assert raised.value.message == f"AWS rejected the body of dashboard d: {expected_text}"


def test_put_dashboard_sends_canonical_json_and_returns_warnings():
    client = MagicMock()
    client.put_dashboard.return_value = {
        "DashboardValidationMessages": [{"DataPath": "/widgets/0", "Message": "unknown metric"}]}
    warnings = cloudwatch.put_dashboard(client, "d", {"widgets": [], "start": "-PT6H"})
    client.put_dashboard.assert_called_once_with(DashboardName="d", DashboardBody='{"start":"-PT6H","widgets":[]}')
    assert warnings == [{"data_path": "/widgets/0", "message": "unknown metric"}]


def test_put_dashboard_other_error_is_not_a_validation_error():
    client = MagicMock()
    client.put_dashboard.side_effect = client_error("AccessDenied")
    with pytest.raises(cloudwatch.AnsibleCloudWatchError) as raised:
        cloudwatch.put_dashboard(client, "d", {"widgets": []})
    assert not isinstance(raised.value, cloudwatch.DashboardValidationError)


def test_delete_dashboard_already_gone_is_false():
    client = MagicMock()
    client.delete_dashboards.side_effect = client_error("ResourceNotFound")
    assert cloudwatch.delete_dashboard(client, "d") is False
