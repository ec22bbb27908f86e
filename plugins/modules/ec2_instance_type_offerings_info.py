#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ec2_instance_type_offerings_info
version_added: 0.1.0
short_description: Tell which EC2 instance types a region or its zones offer
description:
  - Asks EC2 where the given instance types are offered (DescribeInstanceTypeOfferings, every page),
    in the region of the connection or in the given availability zones.
  - A misspelt type (V(t3.micor)) or one the region does not have gives no offering, not an error.
    RV(not_offered) lists it, so a playbook can refuse the setting before it launches anything.
  - Makes no change.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  instance_types:
    description:
      - The instance types to look for, such as V(t3.micro).
    type: list
    elements: str
    required: true
  location_type:
    description:
      - V(region) asks whether the region of the connection offers each type; V(availability-zone) and
        V(availability-zone-id) ask per zone.
    type: str
    choices: [region, availability-zone, availability-zone-id]
    default: region
  locations:
    description:
      - Only these locations (zone names or zone ids, by O(location_type)). With zones given, a type
        missing from any of them is in RV(not_offered).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ask whether the region offers the web and bastion instance types
  aws_intro.stack.ec2_instance_type_offerings_info:
    instance_types: [t3.micro, t3.small]
  register: offerings

- name: Refuse a type the region does not offer
  ansible.builtin.assert:
    that: offerings.not_offered | length == 0
    fail_msg: "Not offered here: {{ offerings.not_offered | join(', ') }}"

- name: Ask per zone
  aws_intro.stack.ec2_instance_type_offerings_info:
    instance_types: [t3.micro]
    location_type: availability-zone
    locations: [ap-northeast-2a, ap-northeast-2c]
  register: zones
"""

RETURN = r"""
offered:
  description: For each asked instance type, the locations (of those asked, if any) that offer it, sorted;
    an empty list when none does.
  returned: always
  type: dict
  sample: {"t3.micro": ["ap-northeast-2"], "t3.micor": []}
not_offered:
  description: The asked instance types offered nowhere (or, with O(locations), missing from one of them), sorted.
  returned: always
  type: list
  elements: str
  sample: ["t3.micor"]
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.ec2 import (
    AnsibleEC2Error,
    describe_instance_type_offerings,
    not_offered,
    offered_locations,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule


def find_offerings(client, instance_types, location_type, locations):
    offerings = describe_instance_type_offerings(client, location_type, instance_types, locations)
    offered = offered_locations(offerings, instance_types)
    return offered, not_offered(offered, locations)


def main():
    argument_spec = dict(
        instance_types=dict(type="list", elements="str", required=True),
        location_type=dict(
            type="str", choices=["region", "availability-zone", "availability-zone-id"], default="region"
        ),
        locations=dict(type="list", elements="str", default=[]),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if not module.params["instance_types"]:
        module.fail_json(msg="instance_types must name at least one instance type")
    client = module.client("ec2")
    try:
        offered, missing = find_offerings(
            client, module.params["instance_types"], module.params["location_type"], module.params["locations"]
        )
    except AnsibleEC2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, offered=offered, not_offered=missing)


if __name__ == "__main__":
    main()
