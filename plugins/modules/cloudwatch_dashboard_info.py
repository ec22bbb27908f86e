#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard_info
version_added: 0.1.0
short_description: List Amazon CloudWatch dashboards
description:
  - Lists the CloudWatch dashboards of the account (ListDashboards), all of them, those whose name
    begins with O(name_prefix), or the one named O(name).
  - A dashboard that does not exist gives an empty list, not an error.
  - Returns names, ARNs and sizes, not bodies; M(aws_intro.stack.cloudwatch_dashboard) manages a body.
  - Makes no change.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  name:
    description:
      - Name of one dashboard.
    aliases: ["dashboard_name"]
    type: str
  name_prefix:
    description:
      - Only the dashboards whose name begins with this.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Find the dashboard of stack aws-intro
  aws_intro.stack.cloudwatch_dashboard_info:
    name: aws-intro
  register: dashboard

- name: List the dashboards whose name begins with aws-intro
  aws_intro.stack.cloudwatch_dashboard_info:
    name_prefix: aws-intro
  register: dashboards
"""

RETURN = r"""
dashboards:
  description: The dashboards found, in name order.
  returned: always
  type: list
  elements: dict
  contains:
    dashboard_name:
      description: Name of the dashboard.
      type: str
      sample: aws-intro
    dashboard_arn:
      description: ARN of the dashboard.
      type: str
      sample: arn:aws:cloudwatch::111122223333:dashboard/aws-intro
    size:
      description: Size of the dashboard body in bytes.
      type: int
      sample: 7647
    last_modified:
      description: When the dashboard last changed (ISO 8601).
      type: str
      sample: "2026-11-25T11:27:46.799000+00:00"
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.cloudwatch import (
    AnsibleCloudWatchError,
    list_dashboards,
    normalize_dashboard_entry,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule


def find_dashboards(client, name, name_prefix):
    """The dashboards named name (exactly) or beginning with name_prefix, in name order."""
    entries = list_dashboards(client, name or name_prefix) or []
    if name:
        entries = [entry for entry in entries if entry.get("DashboardName") == name]
    return sorted((normalize_dashboard_entry(entry) for entry in entries), key=lambda d: d["dashboard_name"])


def main():
    argument_spec = dict(
        name=dict(type="str", aliases=["dashboard_name"]),
        name_prefix=dict(type="str"),
    )
    module = AnsibleStackAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["name", "name_prefix"]],
        supports_check_mode=True,
    )
    client = module.client("cloudwatch")
    try:
        dashboards = find_dashboards(client, module.params["name"], module.params["name_prefix"])
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, dashboards=dashboards)


if __name__ == "__main__":
    main()
