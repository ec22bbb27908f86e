# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM calls of the ses_smtp_credentials module (its SMTP user, the user's policies and access keys).

Every call is wrapped by amazon.aws's IAMErrorHandler (AnsibleIAMError) and AWSRetry.jittered_backoff(); reads
of something that does not exist return None (or an empty list). The IAM calls amazon.aws already has
(get_iam_user, detach_iam_user_policy) are used from there.

Lists are read to their last page: IAM API Reference, ListAccessKeys, IsTruncated ("Note that IAM might return
fewer than the MaxItems number of results even when there are more results available. We recommend that you check
IsTruncated after every call to ensure that you receive all your results."). A key read from one page could look
missing, and the module would rotate it for nothing.
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.iam import IAMErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list


@IAMErrorHandler.common_error_handler("create user")
@AWSRetry.jittered_backoff()
def create_user(client, name, path, tags):
    kwargs = {"UserName": name, "Path": path}
    if tags:
        kwargs["Tags"] = ansible_dict_to_boto3_tag_list(tags)
    return client.create_user(**kwargs)["User"]


@IAMErrorHandler.deletion_error_handler("delete user")
@AWSRetry.jittered_backoff()
def delete_user(client, name):
    client.delete_user(UserName=name)
    return True


@IAMErrorHandler.common_error_handler("tag user")
@AWSRetry.jittered_backoff()
def tag_user(client, name, tags):
    if tags:
        client.tag_user(UserName=name, Tags=ansible_dict_to_boto3_tag_list(tags))


@IAMErrorHandler.common_error_handler("untag user")
@AWSRetry.jittered_backoff()
def untag_user(client, name, keys):
    if keys:
        client.untag_user(UserName=name, TagKeys=list(keys))


@IAMErrorHandler.list_error_handler("list user inline policies", [])
@AWSRetry.jittered_backoff()
def list_user_policies(client, name):
    return client.get_paginator("list_user_policies").paginate(UserName=name).build_full_result()["PolicyNames"]


@IAMErrorHandler.list_error_handler("list user attached policies", [])
@AWSRetry.jittered_backoff()
def list_attached_user_policies(client, name):
    paginator = client.get_paginator("list_attached_user_policies")
    return paginator.paginate(UserName=name).build_full_result()["AttachedPolicies"]


@IAMErrorHandler.list_error_handler("get user policy")
@AWSRetry.jittered_backoff()
def get_user_policy(client, name, policy_name):
    document = client.get_user_policy(UserName=name, PolicyName=policy_name)["PolicyDocument"]
    # botocore decodes the URL-encoded JSON into a dict; older versions hand back the string.
    return json.loads(document) if isinstance(document, str) else document


@IAMErrorHandler.common_error_handler("put user policy")
@AWSRetry.jittered_backoff()
def put_user_policy(client, name, policy_name, document):
    client.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=json.dumps(document))


@IAMErrorHandler.deletion_error_handler("delete user policy")
@AWSRetry.jittered_backoff()
def delete_user_policy(client, name, policy_name):
    client.delete_user_policy(UserName=name, PolicyName=policy_name)
    return True


@IAMErrorHandler.list_error_handler("list access keys", [])
@AWSRetry.jittered_backoff()
def list_access_key_ids(client, name):
    """The ids of the user's access keys, oldest first, from every page of ListAccessKeys."""
    paginator = client.get_paginator("list_access_keys")
    keys = paginator.paginate(UserName=name).build_full_result().get("AccessKeyMetadata") or []
    return [k["AccessKeyId"] for k in sorted(keys, key=lambda k: str(k.get("CreateDate", "")))]


@IAMErrorHandler.common_error_handler("create access key")
@AWSRetry.jittered_backoff()
def create_access_key(client, name):
    key = client.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


@IAMErrorHandler.deletion_error_handler("delete access key")
@AWSRetry.jittered_backoff()
def delete_access_key(client, name, key_id):
    client.delete_access_key(UserName=name, AccessKeyId=key_id)
    return True
