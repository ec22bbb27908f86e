"""Unit tests of plugins/module_utils/ssm.py and iam.py reads with botocore's Stubber: the parameter and the
access keys are found on a later page when the first one is empty (SSM DescribeParameters and IAM
ListAccessKeys may answer fewer items than there are, even none, and say there is more)."""

from __future__ import annotations

import datetime

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.iam import AnsibleIAMError
from ansible_collections.aws_intro.stack.plugins.module_utils import iam as iam_utils
from ansible_collections.aws_intro.stack.plugins.module_utils import ssm as ssm_utils
from botocore.stub import Stubber

NAME = "/sample/mail/smtp/password"
NAME_FILTER = [{"Key": "Name", "Option": "Equals", "Values": [NAME]}]
PARAMETER = {"Name": NAME, "Type": "SecureString", "Description": "Amazon SES SMTP password ..."}


def stubbed(service):
    client = boto3.client(service, region_name="ap-northeast-2", aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # noqa: S106
    return client, Stubber(client)


@pytest.fixture
def ssm():
    client, stubber = stubbed("ssm")
    with stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def iam():
    client, stubber = stubbed("iam")
    with stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_the_parameter_on_the_second_page_is_found(ssm):
    client, stubber = ssm
    stubber.add_response("describe_parameters", {"Parameters": [], "NextToken": "t1"},
                         {"ParameterFilters": NAME_FILTER})
    stubber.add_response("describe_parameters", {"Parameters": [PARAMETER], "NextToken": "t2"},
                         {"ParameterFilters": NAME_FILTER, "NextToken": "t1"})
    assert ssm_utils.describe_parameter(client, NAME) == PARAMETER  # no third page read once found


def test_a_parameter_on_no_page_is_none(ssm):
    client, stubber = ssm
    stubber.add_response("describe_parameters", {"Parameters": [], "NextToken": "t1"},
                         {"ParameterFilters": NAME_FILTER})
    stubber.add_response("describe_parameters", {"Parameters": []},
                         {"ParameterFilters": NAME_FILTER, "NextToken": "t1"})
    assert ssm_utils.describe_parameter(client, NAME) is None


def test_access_keys_of_every_page_oldest_first(iam):
    client, stubber = iam
    older = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    newer = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
    stubber.add_response("list_access_keys", {"AccessKeyMetadata": [], "IsTruncated": True, "Marker": "m1"},
                         {"UserName": "sample-smtp"})
    stubber.add_response("list_access_keys",
                         {"AccessKeyMetadata": [{"AccessKeyId": "AKIANEWER0000000", "CreateDate": newer,
                                                 "UserName": "sample-smtp", "Status": "Active"}],
                          "IsTruncated": True, "Marker": "m2"},
                         {"UserName": "sample-smtp", "Marker": "m1"})
    stubber.add_response("list_access_keys",
                         {"AccessKeyMetadata": [{"AccessKeyId": "AKIAOLDER0000000", "CreateDate": older,
                                                 "UserName": "sample-smtp", "Status": "Active"}],
                          "IsTruncated": False},
                         {"UserName": "sample-smtp", "Marker": "m2"})
    assert iam_utils.list_access_key_ids(client, "sample-smtp") == ["AKIAOLDER0000000", "AKIANEWER0000000"]


def test_access_keys_of_a_missing_user_are_none(iam):
    client, stubber = iam
    stubber.add_client_error("list_access_keys", service_error_code="NoSuchEntity", http_status_code=404)
    assert iam_utils.list_access_key_ids(client, "nobody") == []


def test_an_ssm_error_is_an_ssm_error(ssm):
    """SSM calls fail with the SSM error of module_utils/ssm.py (it used to be amazon.aws's AnsibleIAMError)."""
    client, stubber = ssm
    stubber.add_client_error("put_parameter", service_error_code="ParameterLimitExceeded", http_status_code=400)
    with pytest.raises(ssm_utils.AnsibleSSMError, match="put parameter") as raised:
        ssm_utils.put_secure_parameter(client, NAME, "value", "d", None)
    assert not isinstance(raised.value, AnsibleIAMError)
