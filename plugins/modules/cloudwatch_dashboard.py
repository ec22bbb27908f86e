#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard
version_added: 0.1.0
short_description: Manage Amazon CloudWatch dashboards
description:
  - Create, update or delete a CloudWatch dashboard from its body.
  - The body is given either as a list of widgets (O(widgets)) or as the whole dashboard body
    (O(body)), a structure or a JSON string.
  - Bodies are compared by meaning, not by text, so key order and whitespace never cause a change.
    The body is sent to AWS as canonical JSON (sorted keys, no insignificant whitespace).
  - When AWS rejects a body it returns validation messages; the module fails with them in its
    message and in RV(validation_messages). Messages AWS returns with an accepted body are warnings.
  - Dashboards cannot carry tags (CloudWatch tags only alarms, Contributor Insights rules and
    metric streams), so this module has no C(tags) option.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  name:
    description:
      - Name of the dashboard (up to 255 characters; letters, digits, C(-) and C(_)).
    aliases: ["dashboard_name"]
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the dashboard, V(absent) deletes it.
    type: str
    choices: ["present", "absent"]
    default: "present"
  widgets:
    description:
      - The dashboard's widgets, each a dictionary as described in the CloudWatch Dashboard Body
        Structure U(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
      - 'The body becomes C({"widgets": widgets}).'
      - Mutually exclusive with O(body). One of them is required when O(state=present).
    type: list
    elements: dict
  body:
    description:
      - The whole dashboard body, as a dictionary or a JSON string (for example the output of
        a template or of C(lookup('file', ...))).
      - Mutually exclusive with O(widgets).
    type: raw
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create a dashboard with one CPU graph
  aws_intro.stack.cloudwatch_dashboard:
    name: aws-intro
    widgets:
      - type: metric
        x: 0
        y: 0
        width: 12
        height: 6
        properties:
          title: CPU
          region: ap-northeast-2
          stat: Average
          period: 300
          metrics:
            - ["AWS/EC2", "CPUUtilization", "InstanceId", "i-0123456789abcdef0"]

- name: Replace the body with one kept in a JSON file
  aws_intro.stack.cloudwatch_dashboard:
    name: aws-intro
    body: "{{ lookup('ansible.builtin.file', 'dashboard.json') }}"

- name: Show what would change, without changing it
  aws_intro.stack.cloudwatch_dashboard:
    name: aws-intro
    body:
      widgets:
        - type: text
          x: 0
          y: 0
          width: 24
          height: 2
          properties:
            markdown: "# aws-intro"
  check_mode: true
  diff: true

- name: Delete the dashboard
  aws_intro.stack.cloudwatch_dashboard:
    name: aws-intro
    state: absent
"""

RETURN = r"""
dashboard:
  description:
    - The dashboard as AWS holds it after the run (in check mode, as it would be).
    - Null when the dashboard does not exist (O(state=absent)).
  returned: always
  type: complex
  contains:
    dashboard_name:
      description: Name of the dashboard.
      returned: when the dashboard exists
      type: str
      sample: aws-intro
    dashboard_arn:
      description: ARN of the dashboard (null in check mode for a dashboard not yet created).
      returned: when the dashboard exists
      type: str
      sample: arn:aws:cloudwatch::111122223333:dashboard/aws-intro
    dashboard_body:
      description: The dashboard body, parsed from JSON.
      returned: when the dashboard exists
      type: dict
      sample:
        widgets:
          - {"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {"markdown": "# aws-intro"}}
validation_messages:
  description:
    - What AWS said about the body. With a rejected body the module fails and these say why;
      with an accepted body they are warnings.
  returned: always
  type: list
  elements: dict
  contains:
    data_path:
      description: Where in the body the message applies (a JSON path).
      type: str
      sample: /widgets/0/properties/metrics
    message:
      description: What is wrong there.
      type: str
      sample: Should NOT have more than 2 items
  sample: []
"""

import json
from copy import deepcopy

from ansible_collections.aws_intro.stack.plugins.module_utils.cloudwatch import (
    AnsibleCloudWatchError,
    DashboardValidationError,
    bodies_equal,
    delete_dashboard,
    get_dashboard,
    normalize_dashboard,
    parse_body,
    put_dashboard,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule


def desired_body(widgets, body):
    """The body the user asked for, as a structure.

    Raises ValueError when O(body) is a string that is not JSON, or not a JSON object.
    """
    if widgets is not None:
        return {"widgets": widgets}
    parsed = parse_body(body)
    if not isinstance(parsed, dict):
        raise ValueError(
            "the body must be a JSON object (with a 'widgets' list), got {0}".format(type(parsed).__name__)
        )
    return parsed


def describe_dashboard(client, name):
    return normalize_dashboard(get_dashboard(client, name))


def ensure_present(client, original, name, body, check_mode):
    """Returns (changed, predicted dashboard, validation messages)."""
    if original is not None and bodies_equal(original.get("dashboard_body"), body):
        return False, original, []

    predicted = deepcopy(original) if original else {"dashboard_name": name, "dashboard_arn": None}
    predicted["dashboard_body"] = deepcopy(body)
    if check_mode:
        return True, predicted, []

    messages = put_dashboard(client, name, body)
    return True, predicted, messages


def ensure_absent(client, original, name, check_mode):
    """Returns (changed, predicted dashboard)."""
    if original is None:
        return False, None
    if check_mode:
        return True, None
    delete_dashboard(client, name)
    return True, None


def body_text(dashboard):
    """A dashboard body as the diff shows it: pretty JSON, keys sorted ("" when there is none)."""
    if not dashboard:
        return ""
    return json.dumps(dashboard.get("dashboard_body"), indent=2, sort_keys=True) + "\n"


def main():
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["dashboard_name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        widgets=dict(type="list", elements="dict"),
        body=dict(type="raw"),
    )
    module = AnsibleStackAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["widgets", "body"]],
        required_if=[["state", "present", ["widgets", "body"], True]],
        supports_check_mode=True,
    )

    name = module.params["name"]
    state = module.params["state"]

    body = None
    if state == "present":
        try:
            body = desired_body(module.params["widgets"], module.params["body"])
        except ValueError as e:
            module.fail_json(msg="body of dashboard {0} is not valid JSON: {1}".format(name, e))

    client = module.client("cloudwatch")
    messages = []
    try:
        original = describe_dashboard(client, name)
        if state == "absent":
            changed, final = ensure_absent(client, original, name, module.check_mode)
        else:
            changed, final, messages = ensure_present(client, original, name, body, module.check_mode)
        if changed and not module.check_mode:
            final = describe_dashboard(client, name)
    except DashboardValidationError as e:
        module.fail_json_aws(e.exception, msg=e.message, validation_messages=e.validation_messages)
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)

    for message in messages:
        module.warn("dashboard {0}: {1}: {2}".format(name, message["data_path"], message["message"]))

    results = {"changed": changed, "dashboard": final, "validation_messages": messages}
    if module._diff:
        results["diff"] = {
            "before_header": "dashboard {0}".format(name) if original else "(no dashboard)",
            "after_header": "dashboard {0}".format(name) if final else "(no dashboard)",
            "before": body_text(original),
            "after": body_text(final),
        }
    module.exit_json(**results)


if __name__ == "__main__":
    main()
