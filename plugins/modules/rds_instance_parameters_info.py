#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: rds_instance_parameters_info
version_added: 0.1.0
short_description: Read the parameter values of an RDS DB parameter group, and plan wanted values
description:
  - Reads a DB parameter group (DescribeDBParameterGroups), its tags (ListTagsForResource) and its parameters
    (DescribeDBParameters, every page).
  - Given O(parameters), also returns the values that M(amazon.aws.rds_instance_param_group) would modify
    to reach them (RV(differences)), converted as that module converts them (integers with a V(K), V(M),
    V(G) or V(T) multiplier, booleans as V(1) or V(0)). That module reports no change in check mode for
    a group that exists (amazon.aws 10.1.2), so a playbook can use this module to tell, in check mode,
    which parameters a run would put back, and outside check mode call that module only when a value, a tag or
    the family differs (it reads the group twice, its tags twice and every parameter once).
  - Makes no change. A group that does not exist is reported with RV(exists) false, not as an error.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  db_parameter_group_name:
    description:
      - The name of the DB parameter group.
    aliases: [name]
    type: str
    required: true
  source:
    description:
      - Only the parameters of this source; V(user) are the values set on the group.
      - Ignored for RV(differences), which are planned against every parameter of the group.
    type: str
    choices: [user, system, engine-default]
  parameters:
    description:
      - The wanted values, by parameter name, as given to M(amazon.aws.rds_instance_param_group).
    type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The values set on a group
  aws_intro.stack.rds_instance_parameters_info:
    name: sample-mysql84
    source: user
  register: group

- name: What a run would change (check mode)
  aws_intro.stack.rds_instance_parameters_info:
    name: sample-mysql84
    parameters:
      character_set_server: utf8mb4
      time_zone: Asia/Seoul
  register: plan

- name: Report each parameter a run would put back
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.before }} -> {{ item.after }}"
  loop: "{{ plan.differences }}"
"""

RETURN = r"""
exists:
  description: Whether the group exists.
  returned: always
  type: bool
  sample: true
family:
  description: The group's family (DBParameterGroupFamily); null when it does not exist.
  returned: always
  type: str
  sample: mysql8.4
db_parameter_group_arn:
  description: The group's ARN; null when it does not exist.
  returned: always
  type: str
  sample: arn:aws:rds:ap-northeast-2:123456789012:pg:sample-mysql84
tags:
  description: The group's tags; empty when it does not exist.
  returned: always
  type: dict
  sample: {"Stack": "sample"}
parameters:
  description: The group's parameters (those of O(source) when it is set), sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    parameter_name:
      description: The name.
      type: str
      sample: time_zone
    parameter_value:
      description: The value; absent (null) for an engine default without one.
      type: str
      sample: Asia/Seoul
    source:
      description: Where the value comes from (V(user), V(system), V(engine-default)).
      type: str
      sample: user
    data_type:
      description: The type of the value (V(string), V(integer), V(boolean), ...).
      type: str
      sample: string
    apply_type:
      description: V(dynamic) or V(static).
      type: str
      sample: dynamic
    apply_method:
      description: How the last change is applied (V(immediate) or V(pending-reboot)).
      type: str
      sample: immediate
    is_modifiable:
      description: Whether the value can be changed.
      type: bool
      sample: true
differences:
  description:
    - For O(parameters), the values the group does not hold, with the group's value (null for an engine default)
      and the value a run would set. Empty when O(parameters) is not given, or every value is already set.
    - For a group that does not exist, every wanted value (before null, as given).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "time_zone", "before": "UTC", "after": "Asia/Seoul"}]
errors:
  description: The names of O(parameters) that the group's family does not have, or that cannot be modified.
  returned: always
  type: list
  elements: str
  sample: ["Parameter time_zon is not an available parameter of the group's family"]
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.rds import (
    AnsibleRDSError,
    describe_db_parameter_group,
    describe_db_parameters,
    list_tags_for_resource,
    normalize_parameter,
    plan_parameters,
)


def read(client, name, source, wanted):
    """The module's result for group `name`: the group, its tags, its parameters and, for `wanted`, the plan."""
    group = describe_db_parameter_group(client, name)
    everything = describe_db_parameters(client, name) if group is not None else None
    if everything is None:
        differences = [{"name": key, "before": None, "after": str(wanted[key])} for key in sorted(wanted or {})]
        return {"exists": False, "family": None, "db_parameter_group_arn": None, "tags": {}, "parameters": [],
                "differences": differences, "errors": []}
    shown = [p for p in everything if not source or p.get("Source") == source]
    differences, errors = plan_parameters(everything, wanted or {})
    arn = group.get("DBParameterGroupArn")
    return {
        "exists": True,
        "family": group.get("DBParameterGroupFamily"),
        "db_parameter_group_arn": arn,
        "tags": (list_tags_for_resource(client, arn) or {}) if arn else {},
        "parameters": sorted((normalize_parameter(p) for p in shown), key=lambda p: p["parameter_name"]),
        "differences": differences,
        "errors": errors,
    }


def main():
    argument_spec = dict(
        db_parameter_group_name=dict(type="str", required=True, aliases=["name"]),
        source=dict(type="str", choices=["user", "system", "engine-default"]),
        parameters=dict(type="dict"),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("rds")
    try:
        result = read(client, module.params["db_parameter_group_name"], module.params["source"],
                      module.params["parameters"])
    except AnsibleRDSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
