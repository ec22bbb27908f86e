#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: rds_instance_lifecycle_support
version_added: 0.1.0
short_description: Enrol an RDS DB instance in Amazon RDS Extended Support, or opt it out
description:
  - Sets the engine lifecycle support (C(EngineLifecycleSupport)) of an existing RDS for MySQL or RDS for
    PostgreSQL DB instance with ModifyDBInstance, when it differs from O(engine_lifecycle_support).
  - C(open-source-rds-extended-support) (RDS's default) lets the instance run its major engine version past
    the RDS end of standard support, in Amazon RDS Extended Support, which is charged. With
    C(open-source-rds-extended-support-disabled) it is not enrolled.
  - amazon.aws.rds_instance has no option for this setting; run this module after it, once the instance is
    C(available) (RDS refuses to modify an instance that is still being created).
  - Warns while the instance is enrolled in Extended Support.
author:
  - aws_intro.stack developers (@aws-intro)
notes:
  - RDS User Guide, "Using Amazon RDS Extended Support"; RDS API Reference, ModifyDBInstance,
    EngineLifecycleSupport.
  - The change is sent without ApplyImmediately, which would also apply the instance's other pending
    modifications at once.
options:
  db_instance_identifier:
    description:
      - Identifier of the DB instance.
    type: str
    required: true
    aliases: [id]
  engine_lifecycle_support:
    description:
      - The lifecycle support the instance should have.
    type: str
    required: true
    choices: ["open-source-rds-extended-support-disabled", "open-source-rds-extended-support"]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Keep the database out of paid Extended Support
  aws_intro.stack.rds_instance_lifecycle_support:
    db_instance_identifier: sample-db
    engine_lifecycle_support: open-source-rds-extended-support-disabled
"""

RETURN = r"""
db_instance:
  description: The DB instance's identifier, engine and lifecycle support (predicted in check mode).
  returned: always
  type: complex
  contains:
    db_instance_identifier:
      description: Identifier of the DB instance.
      returned: always
      type: str
      sample: sample-db
    engine:
      description: Database engine.
      returned: always
      type: str
      sample: mysql
    engine_version:
      description: Engine version the instance runs.
      returned: always
      type: str
      sample: 8.4.8
    engine_lifecycle_support:
      description: C(open-source-rds-extended-support) or C(open-source-rds-extended-support-disabled).
      returned: always
      type: str
      sample: open-source-rds-extended-support-disabled
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.rds import (
    EXTENDED_SUPPORT,
    LIFECYCLE_SUPPORT_CHOICES,
    AnsibleRDSError,
    describe_db_instance,
    lifecycle_support,
    modify_lifecycle_support,
)


def summarize(instance):
    return {
        "db_instance_identifier": instance["DBInstanceIdentifier"],
        "engine": instance.get("Engine"),
        "engine_version": instance.get("EngineVersion"),
        "engine_lifecycle_support": lifecycle_support(instance),
    }


def ensure_lifecycle_support(client, instance, wanted, check_mode):
    """(changed, predicted summary): ModifyDBInstance only when the setting differs."""
    current = summarize(instance)
    if current["engine_lifecycle_support"] == wanted:
        return False, current
    if not check_mode:
        modify_lifecycle_support(client, current["db_instance_identifier"], wanted)
    return True, dict(current, engine_lifecycle_support=wanted)


def extended_support_warning(summary):
    if summary["engine_lifecycle_support"] != EXTENDED_SUPPORT:
        return None
    return (
        f"DB instance {summary['db_instance_identifier']} ({summary['engine']} {summary['engine_version']}) is "
        "enrolled in Amazon RDS Extended Support: once its major version is past the RDS end of standard "
        "support, RDS charges for Extended Support on top of the instance price for as long as it runs that "
        "major version. Upgrade to a major version in standard support, or set engine_lifecycle_support to "
        "open-source-rds-extended-support-disabled to avoid the charge."
    )


def main():
    argument_spec = dict(
        db_instance_identifier=dict(type="str", required=True, aliases=["id"]),
        engine_lifecycle_support=dict(type="str", required=True, choices=list(LIFECYCLE_SUPPORT_CHOICES)),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    identifier = module.params["db_instance_identifier"]
    client = module.client("rds")
    try:
        instance = describe_db_instance(client, identifier)
        if instance is None:
            module.fail_json(msg=f"DB instance {identifier} not found")
        original = summarize(instance)
        changed, result = ensure_lifecycle_support(
            client, instance, module.params["engine_lifecycle_support"], module.check_mode
        )
        if changed and not module.check_mode:
            result = summarize(describe_db_instance(client, identifier))
    except AnsibleRDSError as e:
        module.fail_json_aws_error(e)

    warning = extended_support_warning(result)
    if warning:
        module.warn(warning)
    results = {"changed": changed, "db_instance": result}
    if module._diff:
        results["diff"] = {"before": original, "after": result}
    module.exit_json(**results)


if __name__ == "__main__":
    main()
