# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon RDS calls of the rds_instance_lifecycle_support, rds_instance_parameters_info and
rds_orderable_instance_info modules.

Every API call is wrapped by the one RDS error handler (RDSErrorHandler, raising AnsibleRDSError) and
AWSRetry.jittered_backoff(); a DB instance or a DB parameter group that does not exist reads as None.
DescribeOrderableDBInstanceOptions pages to the end (one entry per class, version, license and storage type,
hundreds for an engine).
"""

from ansible.module_utils.parsing.convert_bool import BOOLEANS_TRUE
from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

# RDS API Reference, CreateDBInstance, EngineLifecycleSupport: "Valid Values:
# open-source-rds-extended-support | open-source-rds-extended-support-disabled
# Default: open-source-rds-extended-support".
EXTENDED_SUPPORT = "open-source-rds-extended-support"
EXTENDED_SUPPORT_DISABLED = "open-source-rds-extended-support-disabled"
LIFECYCLE_SUPPORT_CHOICES = (EXTENDED_SUPPORT_DISABLED, EXTENDED_SUPPORT)
DEFAULT_LIFECYCLE_SUPPORT = EXTENDED_SUPPORT


class AnsibleRDSError(AnsibleAWSError):
    pass


class RDSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRDSError

    @classmethod
    def _is_missing(cls):
        # Each read names one kind of resource, so one list serves them all.
        return is_boto3_error_code(["DBInstanceNotFound", "DBParameterGroupNotFound"])


@RDSErrorHandler.list_error_handler("describe DB instance")
@AWSRetry.jittered_backoff()
def describe_db_instance(client, db_instance_identifier):
    instances = client.describe_db_instances(DBInstanceIdentifier=db_instance_identifier)["DBInstances"]
    return instances[0] if instances else None


@RDSErrorHandler.common_error_handler("modify DB instance engine lifecycle support")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidDBInstanceState"])
def modify_lifecycle_support(client, db_instance_identifier, engine_lifecycle_support):
    # No ApplyImmediately: it would also apply every pending modification of the instance at once.
    return client.modify_db_instance(
        DBInstanceIdentifier=db_instance_identifier, EngineLifecycleSupport=engine_lifecycle_support
    )["DBInstance"]


def lifecycle_support(instance):
    """The EngineLifecycleSupport of a DBInstance (RDS's default when the field is absent)."""
    return instance.get("EngineLifecycleSupport") or DEFAULT_LIFECYCLE_SUPPORT


@RDSErrorHandler.list_error_handler("describe DB parameter group", default_value=None)
@AWSRetry.jittered_backoff()
def describe_db_parameter_group(client, db_parameter_group_name):
    """The DB parameter group (its family and ARN), None when it does not exist."""
    groups = client.describe_db_parameter_groups(DBParameterGroupName=db_parameter_group_name)["DBParameterGroups"]
    return groups[0] if groups else None


@RDSErrorHandler.list_error_handler("list tags of an RDS resource", default_value=None)
@AWSRetry.jittered_backoff()
def list_tags_for_resource(client, arn):
    """The tags of an RDS resource by ARN, as a dictionary; None when it does not exist."""
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceName=arn)["TagList"])


@RDSErrorHandler.list_error_handler("describe DB parameters", default_value=None)
@AWSRetry.jittered_backoff()
def describe_db_parameters(client, db_parameter_group_name, source=None):
    """Every parameter of a DB parameter group (DescribeDBParameters pages by 100), None for a missing group."""
    params = {"DBParameterGroupName": db_parameter_group_name}
    if source:
        params["Source"] = source
    paginator = client.get_paginator("describe_db_parameters")
    return paginator.paginate(**params).build_full_result()["Parameters"]


# The value amazon.aws.rds_instance_param_group sends for a wanted value (its convert_parameter(), 10.1.2):
# integers may carry a K/M/G/T multiplier, booleans go as 1/0, everything as a string. A planned
# difference is then exactly a parameter that module would modify.
INT_MODIFIERS = {"K": 1024, "M": pow(1024, 2), "G": pow(1024, 3), "T": pow(1024, 4)}


def convert_parameter(parameter, value):
    converted = value
    if parameter.get("DataType") == "integer":
        if isinstance(value, bool):
            converted = 1 if value else 0
        elif isinstance(value, str):
            for suffix, modifier in INT_MODIFIERS.items():
                if value.endswith(suffix) and value[:-1].isdigit():
                    converted = int(value[:-1]) * modifier
    elif parameter.get("DataType") == "boolean":
        if isinstance(value, str):
            converted = value in BOOLEANS_TRUE
        converted = 1 if converted else 0
    return str(converted)


def plan_parameters(current, wanted):
    """(differences, errors) between a group's parameters and the wanted values, as the upstream module sees them.

    differences: [{"name", "before", "after"}] for every wanted value the group does not hold (an engine
    default has no value, so it always differs); errors: a name the family does not know, or one it does
    not let anyone modify.
    """
    lookup = dict((parameter["ParameterName"], parameter) for parameter in current)
    differences, errors = [], []
    for name in sorted(wanted):
        if name not in lookup:
            errors.append("Parameter {0} is not an available parameter of the group's family".format(name))
            continue
        after = convert_parameter(lookup[name], wanted[name])
        before = lookup[name].get("ParameterValue")
        if after == before:
            continue
        if not lookup[name].get("IsModifiable"):
            errors.append("Parameter {0} is not modifiable".format(name))
            continue
        differences.append({"name": name, "before": before, "after": after})
    return differences, errors


def normalize_parameter(parameter):
    return {
        "parameter_name": parameter.get("ParameterName"),
        "parameter_value": parameter.get("ParameterValue"),
        "source": parameter.get("Source"),
        "data_type": parameter.get("DataType"),
        "apply_type": parameter.get("ApplyType"),
        "apply_method": parameter.get("ApplyMethod"),
        "is_modifiable": bool(parameter.get("IsModifiable")),
    }


@RDSErrorHandler.common_error_handler("describe orderable DB instance options")
@AWSRetry.jittered_backoff()
def describe_orderable_db_instance_options(client, engine, engine_version=None, instance_class=None):
    params = {"Engine": engine, "Vpc": True}
    if engine_version:
        params["EngineVersion"] = engine_version
    if instance_class:
        params["DBInstanceClass"] = instance_class
    paginator = client.get_paginator("describe_orderable_db_instance_options")
    return paginator.paginate(**params).build_full_result()["OrderableDBInstanceOptions"]


def normalize_orderable_option(option):
    """The parts of an OrderableDBInstanceOption a stack's settings are checked against, snake_cased."""
    return {
        "engine": option.get("Engine"),
        "engine_version": option.get("EngineVersion"),
        "db_instance_class": option.get("DBInstanceClass"),
        "license_model": option.get("LicenseModel"),
        "storage_type": option.get("StorageType"),
        "availability_zones": sorted(zone.get("Name") for zone in option.get("AvailabilityZones", [])),
        "multi_az_capable": bool(option.get("MultiAZCapable")),
        "supports_storage_encryption": bool(option.get("SupportsStorageEncryption")),
    }
