"""The module_utils calls of JSON-protocol services retry their throttling error (ThrottlingException), which
AWSRetry's own list lacks (it has the query protocol's Throttling), and Route 53 changes retry
PriorRequestNotComplete: botocore's Stubber answers the error once, then the call succeeds."""

from __future__ import annotations

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils import cloud
from ansible_collections.aws_intro.stack.plugins.module_utils import acm, route53, route53domains, ssm
from botocore.config import Config
from botocore.stub import Stubber

NO_RETRY = Config(retries={"mode": "standard", "max_attempts": 1})  # botocore gives up at once: AWSRetry must retry
ARN = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0c9c0c4e-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(cloud.time, "sleep", lambda seconds: None)


def stubbed(service, region="ap-northeast-2"):
    client = boto3.client(service, region_name=region, aws_access_key_id="testing",
                          aws_secret_access_key="testing", config=NO_RETRY)  # noqa: S106
    return client, Stubber(client)


@pytest.mark.parametrize(("service", "code", "operation", "response", "call"), [
    ("acm", "ThrottlingException", "describe_certificate", {"Certificate": {"CertificateArn": ARN}},
     lambda c: acm.describe_certificate(c, ARN)),
    ("ssm", "ThrottlingException", "get_parameter", {"Parameter": {"Name": "/p", "Value": "v"}},
     lambda c: ssm.get_parameter_value(c, "/p")),
    ("route53domains", "ThrottlingException", "get_domain_detail", {"DomainName": "example.com", "Nameservers": [],
     "AdminContact": {}, "RegistrantContact": {}, "TechContact": {}}, lambda c: route53domains.get_domain_detail(
         c, "example.com")),
    ("route53", "PriorRequestNotComplete", "change_resource_record_sets",
     {"ChangeInfo": {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": "2026-01-01T00:00:00Z"}},
     lambda c: route53.upsert_records(c, "Z1", [{"name": "a.example.com.", "type": "CNAME", "value": "b."}], 300, "x")),
])
def test_a_throttled_call_is_tried_again(service, code, operation, response, call):
    client, stubber = stubbed(service, "us-east-1" if service == "route53domains" else "ap-northeast-2")
    with stubber:
        stubber.add_client_error(operation, service_error_code=code, http_status_code=400)
        stubber.add_response(operation, response)
        assert call(client)
        stubber.assert_no_pending_responses()
