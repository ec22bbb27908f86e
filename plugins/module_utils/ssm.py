# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SSM Parameter Store calls of the ses_smtp_credentials module (the SMTP password kept as a SecureString).

Every call is wrapped by SSMErrorHandler (AnsibleSSMError) and AWSRetry.jittered_backoff() with JSON_THROTTLED
(SSM is a JSON-protocol service); a parameter that does not exist reads as None.

DescribeParameters is read until the parameter is found or there are no more pages: SSM API Reference,
DescribeParameters ("Request results are returned on a best-effort basis. ... The number of items returned,
however, can be between zero and the value of MaxResults.").
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.aws_intro.stack.plugins.module_utils.common import JSON_THROTTLED


class AnsibleSSMError(AnsibleAWSError):
    pass


class SSMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSSMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ParameterNotFound")


@SSMErrorHandler.list_error_handler("get parameter")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def get_parameter_value(client, name):
    return client.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]


@SSMErrorHandler.list_error_handler("describe parameter")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def describe_parameter(client, name):
    """The DescribeParameters entry of one parameter (it has the Description, GetParameter has not), or None.

    The pages are read until the parameter is found or there are no more: a page may be empty and still
    carry a NextToken.
    """
    paginator = client.get_paginator("describe_parameters")
    pages = paginator.paginate(ParameterFilters=[{"Key": "Name", "Option": "Equals", "Values": [name]}])
    for page in pages:
        for parameter in page.get("Parameters") or []:
            if parameter.get("Name") == name:
                return parameter
    return None


@SSMErrorHandler.common_error_handler("put parameter")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def put_secure_parameter(client, name, value, description, kms_key_id):
    kwargs = {"Name": name, "Value": value, "Type": "SecureString", "Overwrite": True, "Description": description}
    if kms_key_id:
        kwargs["KeyId"] = kms_key_id
    client.put_parameter(**kwargs)


@SSMErrorHandler.deletion_error_handler("delete parameter")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def delete_parameter(client, name):
    client.delete_parameter(Name=name)
    return True
