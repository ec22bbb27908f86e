# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ACM calls of the acm_certificate_request module (its Route 53 calls are in module_utils/route53.py).

Every call is wrapped by an error handler (AnsibleACMError) and AWSRetry.jittered_backoff();
reads of something that does not exist return None (or an empty list).

The waits (``wait_for_certificate``) are botocore waiters of this collection's models (``CERTIFICATE_WAITERS``):
botocore's own ``certificate_validated`` waits until every name's validation succeeded, which is neither of what the
module waits for (the validation records ACM adds seconds after the request, and the certificate issued), and does
not end on VALIDATION_TIMED_OUT, REVOKED or EXPIRED.
"""

import contextlib
import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import (
    ansible_dict_to_boto3_tag_list,
    boto3_tag_list_to_ansible_dict,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.common import JSON_THROTTLED
from ansible_collections.aws_intro.stack.plugins.module_utils.route53 import normalize_name
from ansible_collections.aws_intro.stack.plugins.module_utils.waiters import (
    custom_waiter,
    last_error_code,
    timed_out,
    wait,
)

with contextlib.suppress(ImportError):  # modules report a missing botocore themselves
    from botocore.exceptions import WaiterError

# Certificates in these states can still become (or are) usable; the others need a new request.
LIVE_STATUSES = ["PENDING_VALIDATION", "ISSUED", "INACTIVE"]
FAILED_STATUSES = ["FAILED", "VALIDATION_TIMED_OUT", "REVOKED", "EXPIRED"]


class AnsibleACMError(AnsibleAWSError):
    pass


class ACMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleACMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@ACMErrorHandler.list_error_handler("list certificates", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def list_certificates(client, key_algorithm, statuses=None):
    paginator = client.get_paginator("list_certificates")
    return paginator.paginate(
        CertificateStatuses=statuses or LIVE_STATUSES,
        Includes={"keyTypes": [key_algorithm]},
    ).build_full_result()["CertificateSummaryList"]


@ACMErrorHandler.list_error_handler("describe certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def describe_certificate(client, arn):
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@ACMErrorHandler.list_error_handler("list certificate tags", {})
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def get_certificate_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_certificate(CertificateArn=arn).get("Tags", []))


@ACMErrorHandler.common_error_handler("request certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def request_certificate(client, domain_name, subject_alternative_names, key_algorithm, idempotency_token, tags):
    params = dict(
        DomainName=domain_name,
        ValidationMethod="DNS",
        KeyAlgorithm=key_algorithm,
        IdempotencyToken=idempotency_token,
        Tags=ansible_dict_to_boto3_tag_list(tags),
    )
    if subject_alternative_names:
        params["SubjectAlternativeNames"] = subject_alternative_names
    return client.request_certificate(**params)["CertificateArn"]


@ACMErrorHandler.common_error_handler("tag certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def tag_certificate(client, arn, tags):
    if tags:
        client.add_tags_to_certificate(CertificateArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@ACMErrorHandler.common_error_handler("untag certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def untag_certificate(client, arn, tag_keys):
    if tag_keys:
        client.remove_tags_from_certificate(CertificateArn=arn, Tags=[{"Key": key} for key in tag_keys])


@ACMErrorHandler.deletion_error_handler("delete certificate")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def delete_certificate(client, arn):
    client.delete_certificate(CertificateArn=arn)
    return True


def validation_records(certificate):
    """The distinct DNS validation records of a certificate (apex and wildcard share one)."""
    records = {}
    for option in certificate.get("DomainValidationOptions") or []:
        record = option.get("ResourceRecord")
        if not record:
            continue
        key = (normalize_name(record["Name"]), record["Type"])
        entry = records.setdefault(
            key,
            {
                "name": record["Name"],
                "type": record["Type"],
                "value": record["Value"],
                "domain_names": [],
                "validation_status": option.get("ValidationStatus"),
            },
        )
        entry["domain_names"].append(option["DomainName"])
    return sorted(records.values(), key=lambda r: normalize_name(r["name"]))


def validation_records_pending(certificate):
    """True when some domain of the certificate has no validation record yet (ACM adds them a few seconds after
    the request)."""
    options = certificate.get("DomainValidationOptions") or []
    return not options or any("ResourceRecord" not in option for option in options)


# ---- Waiting for a certificate ----

WAIT_DELAY = 5
_CERTIFICATE_GONE = {"matcher": "error", "expected": "ResourceNotFoundException", "state": "failure"}
_CERTIFICATE_FAILED = [
    {"matcher": "path", "argument": "Certificate.Status", "expected": status, "state": "failure"}
    for status in FAILED_STATUSES
]
# What the module waits for -> (waiter name, waiter model).
CERTIFICATE_WAITERS = {
    # Every name of the certificate has its validation record (validation_records_pending is False).
    "the validation records": ("CertificateValidationRecordsAdded", {
        "operation": "DescribeCertificate",
        "delay": WAIT_DELAY,
        "maxAttempts": 120,
        "acceptors": [
            {
                "matcher": "path",
                "argument": "length(Certificate.DomainValidationOptions || `[]`) > `0` && "
                "length(Certificate.DomainValidationOptions[?ResourceRecord == null] || `[]`) == `0`",
                "expected": True,
                "state": "success",
            },
            *_CERTIFICATE_FAILED,
            _CERTIFICATE_GONE,
        ],
    }),
    "the issue": ("CertificateIssued", {
        "operation": "DescribeCertificate",
        "delay": WAIT_DELAY,
        "maxAttempts": 120,
        "acceptors": [
            {"matcher": "path", "argument": "Certificate.Status", "expected": "ISSUED", "state": "success"},
            *_CERTIFICATE_FAILED,
            _CERTIFICATE_GONE,
        ],
    }),
}


def wait_for_certificate(client, arn, deadline, what):
    """Wait until the certificate has ``what`` ("the validation records" or "the issue") or time.monotonic() passes
    ``deadline``; the certificate as it is then. Fails at once when the certificate failed or disappeared."""
    waiter = custom_waiter(client, *CERTIFICATE_WAITERS[what])
    try:
        return wait(waiter, deadline - time.monotonic(), WAIT_DELAY, CertificateArn=arn)["Certificate"]
    except WaiterError as e:
        if last_error_code(e) == "ResourceNotFoundException":
            raise AnsibleACMError(message=f"certificate {arn} disappeared while waiting for {what}", exception=e) from e
        certificate = (e.last_response or {}).get("Certificate") or {}
        status = certificate.get("Status")
        if status in FAILED_STATUSES:
            reason = certificate.get("FailureReason", "no reason given")
            raise AnsibleACMError(message=f"certificate {arn} is {status} ({reason}) while waiting for {what}",
                                  exception=e) from e
        if timed_out(e):
            raise AnsibleACMError(
                message=f"timed out waiting for {what} of certificate {arn} (status {status}); "
                "raise wait_timeout or check the validation records",
                exception=e,
            ) from e
        raise AnsibleACMError(message=f"waiting for {what} of certificate {arn} failed", exception=e) from e
