"""Unit tests for plugins/modules/cloudwatch_dashboard.py: the desired body, check mode's
prediction, idempotence and deletion, against a fake CloudWatch client."""

from __future__ import annotations

import json
from unittest.mock import MagicMock

import pytest
from ansible_collections.aws_intro.stack.plugins.modules import cloudwatch_dashboard as module

WIDGETS = [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# hi"}}]
ARN = "arn:aws:cloudwatch::111122223333:dashboard/d"


def existing(body):
    return {"dashboard_name": "d", "dashboard_arn": ARN, "dashboard_body": body}


@pytest.mark.parametrize(
    ("widgets", "body", "expected"),
    [
        pytest.param(WIDGETS, None, {"widgets": WIDGETS}, id="widgets"),
        pytest.param(None, {"widgets": WIDGETS, "start": "-PT3H"}, {"widgets": WIDGETS, "start": "-PT3H"},
                     id="body-structure"),
        pytest.param(None, json.dumps({"widgets": WIDGETS}), {"widgets": WIDGETS}, id="body-json-text"),
    ],
)
def test_desired_body(widgets, body, expected):
    assert module.desired_body(widgets, body) == expected


@pytest.mark.parametrize(
    "body",
    [pytest.param("{not json", id="not-json"), pytest.param("[1, 2]", id="json-array"),
     pytest.param('"text"', id="json-string")],
)
def test_desired_body_rejects_what_is_not_a_json_object(body):
    with pytest.raises(ValueError):  # noqa: PT011 - json.JSONDecodeError is a ValueError too
        module.desired_body(None, body)


@pytest.mark.parametrize(
    ("original", "check_mode", "changed", "puts"),
    [
        pytest.param(None, True, True, 0, id="create-check"),
        pytest.param(None, False, True, 1, id="create"),
        pytest.param(existing({"widgets": []}), True, True, 0, id="update-check"),
        pytest.param(existing({"widgets": []}), False, True, 1, id="update"),
        pytest.param(existing({"widgets": WIDGETS}), True, False, 0, id="same-check"),
        pytest.param(existing({"widgets": WIDGETS}), False, False, 0, id="same"),
    ],
)
def test_ensure_present(original, check_mode, changed, puts):
    client = MagicMock()
    client.put_dashboard.return_value = {"DashboardValidationMessages": []}
    got_changed, predicted, messages = module.ensure_present(client, original, "d", {"widgets": WIDGETS}, check_mode)
    assert got_changed is changed
    assert client.put_dashboard.call_count == puts
    assert predicted["dashboard_body"] == {"widgets": WIDGETS}
    assert predicted["dashboard_name"] == "d"
    assert predicted["dashboard_arn"] == (original or {}).get("dashboard_arn")
    assert messages == []


@pytest.mark.parametrize(
    ("original", "check_mode", "changed", "deletes"),
    [
        pytest.param(None, False, False, 0, id="absent-already"),
        pytest.param(existing({"widgets": []}), True, True, 0, id="delete-check"),
        pytest.param(existing({"widgets": []}), False, True, 1, id="delete"),
    ],
)
def test_ensure_absent(original, check_mode, changed, deletes):
    client = MagicMock()
    assert module.ensure_absent(client, original, "d", check_mode) == (changed, None)
    assert client.delete_dashboards.call_count == deletes


@pytest.mark.parametrize(
    ("dashboard", "text"),
    [
        pytest.param(None, "", id="none"),
        pytest.param(existing({"b": 1, "a": 2}), '{\n  "a": 2,\n  "b": 1\n}\n', id="sorted-pretty"),
    ],
)
def test_body_text_for_the_diff(dashboard, text):
    assert module.body_text(dashboard) == text
