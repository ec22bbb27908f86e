"""aws_intro.stack.metric_alarms_to_put: an alarm is left out exactly when amazon.aws.cloudwatch_metric_alarm would
report it unchanged. Checked against the upstream module's own comparison (its create_metric_alarm, in check mode)
on alarms stored and read back by moto in-process."""

from __future__ import annotations

import copy

import boto3
import pytest
from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.modules import cloudwatch_metric_alarm as upstream
from ansible_collections.aws_intro.stack.plugins.filter.metric_alarms_to_put import (
    FilterModule,
    metric_alarms_to_put,
    put_parameters,
)
from moto import mock_aws

REGION = "ap-northeast-2"
TOPIC = f"arn:aws:sns:{REGION}:123456789012:sample-alarms"
ALARM = {
    "name": "sample-alarm-web-cpu-i-0123", "key": "web_cpu", "concern": "web", "resource_id": "i-0123",
    "namespace": "AWS/EC2", "metric": "CPUUtilization", "statistic": "Average", "comparison": "GreaterThanThreshold",
    "threshold": 80, "period": "300", "evaluation_periods": 2, "treat_missing_data": "missing",
    "dimensions": {"InstanceId": "i-0123"}, "description": "sample: CPU high - i-0123",
    "alarm_actions": [TOPIC], "ok_actions": [TOPIC], "insufficient_data_actions": [],
}


class Exited(Exception):
    pass


class CheckModeModule:
    """What upstream create_metric_alarm uses of its module: check_mode, exit_json, fail_json_aws."""

    check_mode = True

    def exit_json(self, **result):
        raise Exited(result)

    def fail_json_aws(self, error, **kwargs):
        raise AssertionError(f"{error} {kwargs}")


def upstream_changed(cloudwatch, alarm: dict) -> bool:
    with pytest.raises(Exited) as exited:
        upstream.create_metric_alarm(cloudwatch, CheckModeModule(), put_parameters(alarm))
    return exited.value.args[0]["changed"]


def existing(cloudwatch) -> list:
    """cloudwatch_metric_alarm_info's metric_alarms: every page of DescribeAlarms, snake_case."""
    pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix="sample-alarm-").build_full_result()
    return [camel_dict_to_snake_dict(alarm) for alarm in pages["MetricAlarms"]]


@pytest.fixture
def cloudwatch(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    with mock_aws():
        client = boto3.client("cloudwatch", region_name=REGION)
        client.put_metric_alarm(**put_parameters(ALARM))
        yield client


def changed(**options) -> dict:
    return {**copy.deepcopy(ALARM), **options}


VARIANTS = [
    pytest.param({}, id="as-stored"),
    pytest.param({"threshold": "80.0", "period": 300}, id="same-values-other-types"),
    pytest.param({"threshold": 90}, id="threshold"),
    pytest.param({"period": 60}, id="period"),
    pytest.param({"comparison": "LessThanThreshold"}, id="comparison"),
    pytest.param({"dimensions": {"InstanceId": "i-0456"}}, id="dimension-value"),
    pytest.param({"ok_actions": []}, id="ok-actions"),
    pytest.param({"treat_missing_data": "breaching"}, id="missing-data"),
    pytest.param({"description": "other"}, id="description"),
    pytest.param({"unit": "Percent"}, id="unit-added"),
    pytest.param({"datapoints_to_alarm": 2}, id="datapoints-added"),
]


@pytest.mark.parametrize("options", VARIANTS)
def test_left_out_exactly_when_the_module_reports_no_change(cloudwatch, options):
    alarm = changed(**options)
    assert (metric_alarms_to_put([alarm], existing(cloudwatch)) == [alarm]) is upstream_changed(cloudwatch, alarm)


def test_an_alarm_as_stored_is_left_out_and_a_changed_or_missing_one_kept_in_order(cloudwatch):
    other = changed(name="sample-alarm-web-cpu-i-0456", dimensions={"InstanceId": "i-0456"})
    raised = changed(threshold=95)
    assert metric_alarms_to_put([ALARM, other, raised], existing(cloudwatch)) == [other, raised]


def test_an_alarm_without_treat_missing_data_counts_as_missing(cloudwatch):
    stored = existing(cloudwatch)
    del stored[0]["treat_missing_data"]
    assert metric_alarms_to_put([ALARM], stored) == []


def test_the_parameters_are_the_modules():
    params = put_parameters(changed(unit="", extended_statistic=None))
    assert params["Threshold"] == 80.0
    assert isinstance(params["Threshold"], float)
    assert params["Period"] == 300
    assert params["MetricName"] == "CPUUtilization"
    assert params["Dimensions"] == [{"Name": "InstanceId", "Value": "i-0123"}]
    assert "Unit" not in params
    assert "ExtendedStatistic" not in params
    assert "DatapointsToAlarm" not in params
    assert params["InsufficientDataActions"] == []


@pytest.mark.parametrize(("alarms", "stored", "message"), [
    ("alarm", [], "must be lists"),
    ([{"metric": "CPUUtilization"}], [], "with a name"),
    ([changed(threshold="high")], [], "threshold must be a float"),
    ([changed(dimensions=["InstanceId"])], [], "dimensions must be a dictionary"),
    ([ALARM], [{"name": "x"}], "cloudwatch_metric_alarm_info's metric_alarms"),
])
def test_bad_input_is_a_filter_error_naming_it(alarms, stored, message):
    with pytest.raises(AnsibleFilterError, match=message):
        metric_alarms_to_put(alarms, stored)


def test_the_filter_is_registered():
    assert FilterModule().filters()["metric_alarms_to_put"] is metric_alarms_to_put
