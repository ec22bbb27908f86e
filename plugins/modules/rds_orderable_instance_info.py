#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: rds_orderable_instance_info
version_added: 0.1.0
short_description: Tell whether RDS offers a DB instance class for an engine version in a region
description:
  - Asks RDS for the orderable DB instance options of an engine, optionally one version and one class,
    in VPCs (DescribeOrderableDBInstanceOptions, every page).
  - A misspelt class (V(db.t3.micor)) or one the engine version cannot run on gives no option, not an
    error; RV(orderable) is then false, so a playbook can refuse the setting before it makes anything.
  - Makes no change.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  engine:
    description:
      - The DB engine, such as V(mysql).
    type: str
    required: true
  engine_version:
    description:
      - Only this engine version, such as V(8.4.8).
    type: str
  db_instance_class:
    description:
      - Only this DB instance class, such as V(db.t3.micro).
    aliases: [instance_class]
    type: str
  storage_type:
    description:
      - Only the options with this storage type, such as V(gp3).
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Ask whether RDS offers db.t3.micro for MySQL 8.4.8 here
  aws_intro.stack.rds_orderable_instance_info:
    engine: mysql
    engine_version: 8.4.8
    db_instance_class: db.t3.micro
    storage_type: gp3
  register: orderable

- name: Refuse a class RDS does not offer
  ansible.builtin.assert:
    that: orderable.orderable
    fail_msg: RDS offers no db.t3.micro for MySQL 8.4.8 with gp3 storage in this region
"""

RETURN = r"""
orderable:
  description: Whether at least one option matched.
  returned: always
  type: bool
  sample: true
options:
  description: The matching options (one per class, version, license model and storage type).
  returned: always
  type: list
  elements: dict
  contains:
    engine:
      description: The engine.
      type: str
      sample: mysql
    engine_version:
      description: The engine version.
      type: str
      sample: 8.4.8
    db_instance_class:
      description: The DB instance class.
      type: str
      sample: db.t3.micro
    license_model:
      description: The license model.
      type: str
      sample: general-public-license
    storage_type:
      description: The storage type.
      type: str
      sample: gp3
    availability_zones:
      description: The zones the option can be ordered in, sorted.
      type: list
      elements: str
      sample: ["ap-northeast-2a", "ap-northeast-2b"]
    multi_az_capable:
      description: Whether a Multi-AZ deployment can use the option.
      type: bool
      sample: true
    supports_storage_encryption:
      description: Whether the storage can be encrypted.
      type: bool
      sample: true
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.rds import (
    AnsibleRDSError,
    describe_orderable_db_instance_options,
    normalize_orderable_option,
)


def find_options(client, engine, engine_version, instance_class, storage_type):
    options = describe_orderable_db_instance_options(client, engine, engine_version, instance_class)
    found = [normalize_orderable_option(option) for option in options]
    if storage_type:
        found = [option for option in found if option["storage_type"] == storage_type]
    return sorted(found, key=lambda o: (o["db_instance_class"], o["engine_version"], o["storage_type"] or ""))


def main():
    argument_spec = dict(
        engine=dict(type="str", required=True),
        engine_version=dict(type="str"),
        db_instance_class=dict(type="str", aliases=["instance_class"]),
        storage_type=dict(type="str"),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    client = module.client("rds")
    try:
        options = find_options(
            client,
            module.params["engine"],
            module.params["engine_version"],
            module.params["db_instance_class"],
            module.params["storage_type"],
        )
    except AnsibleRDSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, orderable=bool(options), options=options)


if __name__ == "__main__":
    main()
