# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon RDS calls of the rds_instance_lifecycle_support module.

Every API call is wrapped by an error handler (AnsibleRDSLifecycleError) and AWSRetry.jittered_backoff();
a DB instance that does not exist reads as None.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# RDS API Reference, CreateDBInstance, EngineLifecycleSupport: "Valid Values:
# open-source-rds-extended-support | open-source-rds-extended-support-disabled
# Default: open-source-rds-extended-support".
EXTENDED_SUPPORT = "open-source-rds-extended-support"
EXTENDED_SUPPORT_DISABLED = "open-source-rds-extended-support-disabled"
LIFECYCLE_SUPPORT_CHOICES = (EXTENDED_SUPPORT_DISABLED, EXTENDED_SUPPORT)
DEFAULT_LIFECYCLE_SUPPORT = EXTENDED_SUPPORT


class AnsibleRDSLifecycleError(AnsibleAWSError):
    pass


class RDSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRDSLifecycleError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("DBInstanceNotFound")


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
