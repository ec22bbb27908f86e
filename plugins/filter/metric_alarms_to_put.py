# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: metric_alarms_to_put
version_added: 0.1.0
short_description: The CloudWatch alarms that amazon.aws.cloudwatch_metric_alarm would change
description:
  - Given the alarms as the options of M(amazon.aws.cloudwatch_metric_alarm) and the alarms that exist (one
    M(amazon.aws.cloudwatch_metric_alarm_info) read, which pages DescribeAlarms 100 alarms at a time), returns
    the alarms that are missing or differ, so that the module is called only for those.
  - The comparison is the module's own (amazon.aws 10), that is the PutMetricAlarm parameters its options make
    against the alarm DescribeAlarms returns without its state, timestamps, ARN, C(ActionsEnabled) and
    C(Metrics); a missing C(TreatMissingData) counts as C(missing), empty dimensions as none. An alarm this
    filter leaves out is one the module would report unchanged.
  - On a stack whose alarms are in place, this spares one DescribeAlarms call per alarm per run (the
    module reads each alarm before and after) and one module run per alarm.
author:
  - aws_intro.stack developers (@aws-intro)
positional: existing
options:
  _input:
    description:
      - The alarms, each a dictionary of M(amazon.aws.cloudwatch_metric_alarm) options (C(name),
        C(metric_name) or its alias C(metric), C(namespace), C(statistic), C(comparison), C(threshold),
        C(period), C(evaluation_periods), C(dimensions), C(description), C(alarm_actions), C(ok_actions),
        C(insufficient_data_actions), C(treat_missing_data), C(unit), C(datapoints_to_alarm),
        C(extended_statistic), C(evaluate_low_sample_count_percentile)).
      - Other keys are ignored and returned as they are.
    type: list
    elements: dict
    required: true
  existing:
    description: The C(metric_alarms) of M(amazon.aws.cloudwatch_metric_alarm_info) (snake_case).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the stack's alarms at once
  amazon.aws.cloudwatch_metric_alarm_info:
    alarm_name_prefix: sample-alarm-
    alarm_type: MetricAlarm
  register: existing

- name: Create or update only the alarms that are missing or differ
  amazon.aws.cloudwatch_metric_alarm:
    name: "{{ item.name }}"
    metric_name: "{{ item.metric_name }}"
    namespace: "{{ item.namespace }}"
    statistic: "{{ item.statistic }}"
    comparison: "{{ item.comparison }}"
    threshold: "{{ item.threshold }}"
    period: "{{ item.period }}"
    evaluation_periods: "{{ item.evaluation_periods }}"
    dimensions: "{{ item.dimensions }}"
    state: present
  loop: "{{ alarms | aws_intro.stack.metric_alarms_to_put(existing.metric_alarms) }}"
"""

RETURN = r"""
_value:
  description: The items of the input whose alarm is missing or differs from them, in input order.
  type: list
  elements: dict
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible.module_utils.common.text.converters import to_text

# amazon.aws.cloudwatch_metric_alarm: its option -> the PutMetricAlarm parameter, and the option's type.
_PARAMETERS = (
    ("name", "AlarmName", str),
    ("metric_name", "MetricName", str),
    ("namespace", "Namespace", str),
    ("statistic", "Statistic", str),
    ("comparison", "ComparisonOperator", str),
    ("threshold", "Threshold", float),
    ("period", "Period", int),
    ("evaluate_low_sample_count_percentile", "EvaluateLowSampleCountPercentile", str),
    ("datapoints_to_alarm", "DatapointsToAlarm", int),
    ("evaluation_periods", "EvaluationPeriods", int),
    ("unit", "Unit", str),
    ("description", "AlarmDescription", str),
    ("dimensions", "Dimensions", dict),
    ("alarm_actions", "AlarmActions", list),
    ("insufficient_data_actions", "InsufficientDataActions", list),
    ("ok_actions", "OKActions", list),
    ("treat_missing_data", "TreatMissingData", str),
    ("extended_statistic", "ExtendedStatistic", str),
)
# Options that the module sends only when they are set (not None, not empty).
_ONLY_WHEN_SET = ("unit", "extended_statistic")
_DEFAULTS = {"alarm_actions": [], "insufficient_data_actions": [], "ok_actions": [], "treat_missing_data": "missing"}
# What the module leaves out of its comparison (snake_case, as the info module returns it).
_NOT_COMPARED = ("actions_enabled", "state_value", "state_reason", "state_reason_data", "state_updated_timestamp",
                 "state_transitioned_timestamp", "alarm_arn", "alarm_configuration_updated_timestamp", "metrics")


def _value(option, kind, value):
    if value is None:
        return None
    try:
        if kind is float:
            return float(value)
        if kind is int:
            return int(value)
        if kind is str:
            return to_text(value)
    except (TypeError, ValueError) as e:
        raise AnsibleFilterError(
            "metric_alarms_to_put: {0} must be a {1}, got {2!r}".format(option, kind.__name__, value)
        ) from e
    if kind is dict and not isinstance(value, dict):
        raise AnsibleFilterError("metric_alarms_to_put: {0} must be a dictionary, got {1!r}".format(option, value))
    if kind is list:
        if not is_sequence(value):
            raise AnsibleFilterError("metric_alarms_to_put: {0} must be a list, got {1!r}".format(option, value))
        return [to_text(v) for v in value]
    return value


def put_parameters(alarm):
    """The PutMetricAlarm parameters amazon.aws.cloudwatch_metric_alarm makes of these options."""
    if not isinstance(alarm, dict) or not alarm.get("name"):
        raise AnsibleFilterError(
            "metric_alarms_to_put: every alarm must be a dictionary with a name, got {0!r}".format(alarm)
        )
    options = dict(alarm)
    if "metric_name" not in options and "metric" in options:
        options["metric_name"] = options["metric"]
    params = {}
    for option, parameter, kind in _PARAMETERS:
        value = _value(option, kind, options.get(option, _DEFAULTS.get(option)))
        if option in _ONLY_WHEN_SET and not value:
            continue
        if value is not None:
            params[parameter] = value
    if params.get("Dimensions"):
        params["Dimensions"] = [{"Name": name, "Value": value} for name, value in params["Dimensions"].items()]
    return params


def _as_compared(existing):
    alarm = {key: value for key, value in existing.items() if key not in _NOT_COMPARED}
    alarm.setdefault("treat_missing_data", "missing")
    if not alarm.get("dimensions"):
        alarm.pop("dimensions", None)
    return alarm


def metric_alarms_to_put(alarms, existing):
    """The items of `alarms` whose alarm is not in `existing` or differs from them (the module's comparison)."""
    if not is_sequence(alarms) or not is_sequence(existing):
        raise AnsibleFilterError("metric_alarms_to_put: the alarms and the existing alarms must be lists")
    found = {}
    for alarm in existing:
        if not isinstance(alarm, dict) or "alarm_name" not in alarm:
            raise AnsibleFilterError(
                "metric_alarms_to_put: the existing alarms must be cloudwatch_metric_alarm_info's metric_alarms,"
                " got {0!r}".format(alarm)
            )
        found[alarm["alarm_name"]] = _as_compared(alarm)
    return [alarm for alarm in alarms
            if found.get(alarm.get("name")) != camel_dict_to_snake_dict(put_parameters(alarm))]


class FilterModule(object):
    def filters(self):
        return {"metric_alarms_to_put": metric_alarms_to_put}
