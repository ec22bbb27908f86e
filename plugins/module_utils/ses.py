# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon SES calls of the ses_domain_identity, ses_smtp_credentials and ses_account modules,
the SMTP password derivation and the SMTP endpoints.

Every API call is wrapped by an error handler (AnsibleSESError) and AWSRetry.jittered_backoff();
reads of something that does not exist return None.
"""

import base64
import contextlib
import hashlib
import hmac

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.aws_intro.stack.plugins.module_utils.waiters import (
    botocore_waiter,
    timed_out,
    wait,
)

with contextlib.suppress(ImportError):  # modules report a missing botocore themselves
    from botocore.exceptions import WaiterError

# The regions with an SES SMTP endpoint (email-smtp.<region>.amazonaws.com) as listed by AWS's own
# SMTP-password script: SES Developer Guide, "Obtaining Amazon SES SMTP credentials",
# https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html (SMTP_REGIONS). The role keeps the
# same list in roles/mail/vars/main.yml (a unit test holds the two together).
SMTP_REGIONS = (
    "us-east-2",
    "us-east-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-south-1",
    "eu-north-1",
    "sa-east-1",
    "us-gov-west-1",
    "us-gov-east-1",
)

# Fixed inputs of the documented derivation (same page): a SigV4 signing key for the date
# 11111111, the region, service "ses" and "aws4_request", used to sign "SendRawEmail";
# the password is base64(version byte 0x04 + that signature).
_SMTP_DATE = "11111111"
_SMTP_SERVICE = "ses"
_SMTP_TERMINAL = "aws4_request"
_SMTP_MESSAGE = "SendRawEmail"
_SMTP_VERSION = 0x04


def smtp_endpoint(region):
    """The SMTP interface's host name in a region."""
    return f"email-smtp.{region}.amazonaws.com"


def _sign(key, message):
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def smtp_password(secret_access_key, region):
    """The SES SMTP password of an IAM secret access key for one region (signature version 4)."""
    if region not in SMTP_REGIONS:
        raise ValueError(f"{region} has no Amazon SES SMTP endpoint")
    signature = _sign(("AWS4" + secret_access_key).encode("utf-8"), _SMTP_DATE)
    for part in (region, _SMTP_SERVICE, _SMTP_TERMINAL, _SMTP_MESSAGE):
        signature = _sign(signature, part)
    return base64.b64encode(bytes([_SMTP_VERSION]) + signature).decode("utf-8")


class AnsibleSESError(AnsibleAWSError):
    pass


class SESErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSESError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


# ---- SES (API version 2010-12-01): domain identities, Easy DKIM, MAIL FROM ----


@SESErrorHandler.common_error_handler("get identity verification attributes")
@AWSRetry.jittered_backoff()
def get_verification_attributes(client, identity):
    """{VerificationStatus, VerificationToken} of the identity, or None when there is none."""
    attributes = client.get_identity_verification_attributes(Identities=[identity])["VerificationAttributes"]
    return attributes.get(identity)


@SESErrorHandler.common_error_handler("get identity DKIM attributes")
@AWSRetry.jittered_backoff()
def get_dkim_attributes(client, identity):
    return client.get_identity_dkim_attributes(Identities=[identity])["DkimAttributes"].get(identity) or {}


@SESErrorHandler.common_error_handler("get identity MAIL FROM attributes")
@AWSRetry.jittered_backoff()
def get_mail_from_attributes(client, identity):
    attributes = client.get_identity_mail_from_domain_attributes(Identities=[identity])
    return attributes["MailFromDomainAttributes"].get(identity) or {}


@SESErrorHandler.common_error_handler("verify domain identity")
@AWSRetry.jittered_backoff()
def verify_domain_identity(client, domain):
    return client.verify_domain_identity(Domain=domain)["VerificationToken"]


@SESErrorHandler.common_error_handler("verify domain DKIM")
@AWSRetry.jittered_backoff()
def verify_domain_dkim(client, domain):
    return client.verify_domain_dkim(Domain=domain)["DkimTokens"]


@SESErrorHandler.common_error_handler("set identity DKIM enabled")
@AWSRetry.jittered_backoff()
def set_dkim_enabled(client, identity, enabled):
    client.set_identity_dkim_enabled(Identity=identity, DkimEnabled=enabled)


@SESErrorHandler.common_error_handler("set identity MAIL FROM domain")
@AWSRetry.jittered_backoff()
def set_mail_from_domain(client, identity, mail_from_domain, behavior_on_mx_failure):
    if mail_from_domain:
        client.set_identity_mail_from_domain(
            Identity=identity, MailFromDomain=mail_from_domain, BehaviorOnMXFailure=behavior_on_mx_failure
        )
    else:
        client.set_identity_mail_from_domain(Identity=identity)


@SESErrorHandler.common_error_handler("delete identity")
@AWSRetry.jittered_backoff()
def delete_identity(client, identity):
    client.delete_identity(Identity=identity)


def describe_domain_identity(client, domain):
    """The domain identity as one snake_case dict, or None when SES has no such identity."""
    verification = get_verification_attributes(client, domain)
    if verification is None:
        return None
    dkim = get_dkim_attributes(client, domain)
    mail_from = get_mail_from_attributes(client, domain)
    return {
        "domain": domain,
        "verification_status": verification.get("VerificationStatus"),
        "verification_token": verification.get("VerificationToken"),
        "dkim_enabled": bool(dkim.get("DkimEnabled")),
        "dkim_verification_status": dkim.get("DkimVerificationStatus"),
        "dkim_tokens": list(dkim.get("DkimTokens") or []),
        "mail_from_domain": mail_from.get("MailFromDomain") or "",
        "mail_from_domain_status": mail_from.get("MailFromDomainStatus"),
        "behavior_on_mx_failure": mail_from.get("BehaviorOnMXFailure") or "UseDefaultValue",
    }


# botocore's identity_exists waits until SES reports the identity verified (Success); SES may also report Failed
# (SES API Reference, IdentityVerificationAttributes), which ends the wait at once.
_VERIFICATION_FAILED = {
    "matcher": "pathAny",
    "argument": "VerificationAttributes.*.VerificationStatus",
    "expected": "Failed",
    "state": "failure",
}


def wait_for_verification(client, domain, timeout, delay=15):
    """Wait with botocore's identity_exists waiter until SES reports the domain verified, polling every ``delay``
    seconds; fail on Failed or when ``timeout`` seconds pass."""
    waiter = botocore_waiter(client, "identity_exists", after=[_VERIFICATION_FAILED])
    try:
        wait(waiter, timeout, delay, Identities=[domain])
    except WaiterError as e:
        attributes = ((e.last_response or {}).get("VerificationAttributes") or {}).get(domain) or {}
        status = attributes.get("VerificationStatus")
        if status == "Failed":
            raise AnsibleSESError(message=f"SES failed to verify {domain}: check the DKIM CNAME records",
                                  exception=e) from e
        if timed_out(e):
            raise AnsibleSESError(message=f"Timeout waiting {timeout} s for SES to verify {domain} (status {status})",
                                  exception=e) from e
        raise AnsibleSESError(message=f"Waiting for SES to verify {domain} failed", exception=e) from e


def dkim_records(domain, tokens):
    """The Easy DKIM CNAME records SES documents for the tokens of a domain."""
    return [
        {
            "name": f"{token}._domainkey.{domain}",
            "type": "CNAME",
            "value": f"{token}.dkim.amazonses.com",
        }
        for token in tokens
    ]


# ---- SES sending permissions of an SMTP user (an IAM policy document) ----


def send_only_policy(identity_arns):
    """The only permission an SES SMTP user needs: ses:SendRawEmail on the given identities."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SendRawEmailOnly",
                "Effect": "Allow",
                "Action": "ses:SendRawEmail",
                "Resource": sorted(identity_arns),
            }
        ],
    }


def identity_arn(partition, region, account_id, identity):
    return f"arn:{partition}:ses:{region}:{account_id}:identity/{identity}"


# ---- SES (API version 2019-09-27, sesv2): the account ----


@SESErrorHandler.common_error_handler("get the SES account")
@AWSRetry.jittered_backoff()
def get_account(client):
    return client.get_account()


@SESErrorHandler.common_error_handler("request production access")
@AWSRetry.jittered_backoff()
def put_account_details(client, details):
    client.put_account_details(**details)
