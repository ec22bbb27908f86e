"""The cloudwatch_dashboard module against the emulator: every change run four times (check
says changed, run changes, check again and run again change nothing), semantic comparison,
the diff, deletion, and AWS's validation messages passed on."""

from __future__ import annotations

import json

import pytest

from tests.integration.ansible_runner import run_playbook

TEST_INVENTORY = "tests/integration/inventory"
NAME = "aws-intro-dashboard-test"
WIDGETS = [
    {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# aws-intro"}},
    {"type": "metric", "x": 0, "y": 2, "width": 12, "height": 6,
     "properties": {"title": "CPU", "region": "ap-northeast-2", "stat": "Average", "period": 300,
                    "metrics": [["AWS/EC2", "CPUUtilization", "InstanceId", "i-0123456789abcdef0"]]}},
]


def run(aws_env, args, check=False, expect_failure=False):
    result = run_playbook("cloudwatch_dashboard.yml", aws_env, inventory=TEST_INVENTORY, check=check,
                          extra_vars={"dashboard_args": args, "dashboard_expect_failure": expect_failure})
    assert result.rc == 0, result.stdout[-4000:]
    return result.outputs["result"]


def four_runs(aws_env, args):
    """check, run, check, run: the result of each, asserting changed, changed, not, not."""
    results = [run(aws_env, args, check=check) for check in (True, False, True, False)]
    assert [r["changed"] for r in results] == [True, True, False, False], [r.get("diff") for r in results]
    return results


def stored_body(aws, name=NAME):
    return json.loads(aws("cloudwatch").get_dashboard(DashboardName=name)["DashboardBody"])


@pytest.fixture(scope="module")
def fresh(emulator):
    emulator.reset()


def test_create_four_runs(fresh, aws_env, aws):
    check, created, _, again = four_runs(aws_env, {"name": NAME, "widgets": WIDGETS})
    assert check["dashboard"]["dashboard_body"] == {"widgets": WIDGETS}
    assert check["dashboard"]["dashboard_arn"] is None  # predicted: not created yet
    assert created["dashboard"]["dashboard_body"] == {"widgets": WIDGETS}
    assert created["dashboard"]["dashboard_arn"].endswith(f":dashboard/{NAME}")
    assert again["dashboard"] == created["dashboard"]
    assert stored_body(aws) == {"widgets": WIDGETS}


def test_same_body_as_json_text_with_other_key_order_is_no_change(aws_env):
    reordered = [dict(reversed(list(w.items()))) for w in WIDGETS]
    text = json.dumps({"widgets": reordered}, indent=4)
    for check in (True, False):
        assert run(aws_env, {"name": NAME, "body": text}, check=check)["changed"] is False


def test_update_four_runs_with_a_diff_of_the_body(aws_env, aws):
    widgets = [*WIDGETS, {"type": "alarm", "x": 12, "y": 2, "width": 12, "height": 6,
                          "properties": {"title": "Alarms", "alarms": []}}]
    check, updated, _, _ = four_runs(aws_env, {"name": NAME, "widgets": widgets})
    assert '"type": "alarm"' not in check["diff"]["before"]
    assert '"type": "alarm"' in check["diff"]["after"]
    assert updated["dashboard"]["dashboard_body"] == {"widgets": widgets}
    assert stored_body(aws) == {"widgets": widgets}


def test_rejected_body_fails_with_aws_validation_messages_and_changes_nothing(aws_env, aws):
    before = stored_body(aws)
    bad = [{"type": "graph", "x": 0, "y": 0, "properties": {}}, {"type": "text", "x": 0, "y": 6}]
    result = run(aws_env, {"name": NAME, "widgets": bad}, expect_failure=True)
    assert result["failed"] is True
    assert "AWS rejected the body of dashboard" in result["msg"]
    assert "/widgets/0/type" in result["msg"]
    assert result["validation_messages"] == [
        {"data_path": "/widgets/0/type",
         "message": "Should be equal to one of the allowed values ['metric', 'text', 'log', 'alarm', 'explorer']"},
        {"data_path": "/widgets/1", "message": "Should have required property 'properties'"},
    ]
    assert stored_body(aws) == before


def test_body_that_is_not_json_fails_before_any_call(aws_env, recording):
    with recording() as rec:
        result = run(aws_env, {"name": NAME, "body": "{not json"}, expect_failure=True)
    assert result["failed"] is True
    assert "is not valid JSON" in result["msg"]
    assert rec.summary()["total"] == 0


def test_delete_four_runs(aws_env, aws):
    check, deleted, _, _ = four_runs(aws_env, {"name": NAME, "state": "absent"})
    assert check["dashboard"] is None
    assert deleted["dashboard"] is None
    names = [d["DashboardName"] for d in aws("cloudwatch").list_dashboards()["DashboardEntries"]]
    assert NAME not in names
