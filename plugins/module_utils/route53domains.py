# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 Domains calls of the route53_domain module.

The Route 53 Domains API exists only in us-east-1. Every call is wrapped by an error handler
(AnsibleRoute53DomainsError) and AWSRetry.jittered_backoff(); a domain that is not registered
in the account reads as None.

An operation (registration, name server or contact privacy update) is waited for with a botocore waiter of this
collection's model (``OPERATION_WAITER``; botocore has no Route 53 Domains waiters): GetOperationDetail until
SUCCESSFUL, ending at once on ERROR or FAILED.
"""

import contextlib
import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.aws_intro.stack.plugins.module_utils.common import JSON_THROTTLED
from ansible_collections.aws_intro.stack.plugins.module_utils.waiters import (
    custom_waiter,
    timed_out,
    wait,
)

with contextlib.suppress(ImportError):  # modules report a missing botocore themselves
    from botocore.exceptions import WaiterError

DOMAINS_REGION = "us-east-1"

# Contact fields of the module (snake_case) and the API (CamelCase).
CONTACT_FIELDS = {
    "first_name": "FirstName",
    "last_name": "LastName",
    "contact_type": "ContactType",
    "organization_name": "OrganizationName",
    "address_line_1": "AddressLine1",
    "address_line_2": "AddressLine2",
    "city": "City",
    "state": "State",
    "country_code": "CountryCode",
    "zip_code": "ZipCode",
    "phone_number": "PhoneNumber",
    "email": "Email",
    "fax": "Fax",
}


class AnsibleRoute53DomainsError(AnsibleAWSError):
    pass


class Route53DomainsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53DomainsError

    @classmethod
    def _is_missing(cls):
        # GetDomainDetail answers InvalidInput "Domain ... not found / is not associated with this account"
        # for a domain registered elsewhere or not at all.
        return (is_boto3_error_message("not associated with this account"), is_boto3_error_message("not found"))


@Route53DomainsErrorHandler.list_error_handler("get domain detail")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def get_domain_detail(client, domain_name):
    return client.get_domain_detail(DomainName=domain_name)


@Route53DomainsErrorHandler.common_error_handler("check domain availability")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def check_domain_availability(client, domain_name):
    return client.check_domain_availability(DomainName=domain_name)["Availability"]


@Route53DomainsErrorHandler.common_error_handler("register domain")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def register_domain(client, **params):
    return client.register_domain(**params)["OperationId"]


@Route53DomainsErrorHandler.common_error_handler("update domain name servers")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def update_domain_nameservers(client, domain_name, name_servers):
    return client.update_domain_nameservers(
        DomainName=domain_name, Nameservers=[{"Name": name} for name in name_servers]
    )["OperationId"]


@Route53DomainsErrorHandler.common_error_handler("change domain auto-renew")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def set_auto_renew(client, domain_name, enabled):
    if enabled:
        client.enable_domain_auto_renew(DomainName=domain_name)
    else:
        client.disable_domain_auto_renew(DomainName=domain_name)


@Route53DomainsErrorHandler.common_error_handler("update domain contact privacy")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def update_contact_privacy(client, domain_name, enabled):
    return client.update_domain_contact_privacy(
        DomainName=domain_name, AdminPrivacy=enabled, RegistrantPrivacy=enabled, TechPrivacy=enabled
    ).get("OperationId")


@Route53DomainsErrorHandler.common_error_handler("get operation detail")
@AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)
def get_operation_detail(client, operation_id):
    return client.get_operation_detail(OperationId=operation_id)


def contact_to_api(contact):
    """Module contact dict -> API ContactDetail (unset fields left out)."""
    return {api: contact[key] for key, api in CONTACT_FIELDS.items() if contact.get(key) not in (None, "")}


def normalize_name_servers(name_servers):
    return sorted(name.rstrip(".").lower() for name in name_servers)


# ---- Waiting for an operation ----

OPERATION_DONE = "SUCCESSFUL"
OPERATION_FAILED = ("ERROR", "FAILED")
WAIT_DELAY = 10
OPERATION_WAITER = {
    "operation": "GetOperationDetail",
    "delay": WAIT_DELAY,
    "maxAttempts": 180,
    "acceptors": [
        {"matcher": "path", "argument": "Status", "expected": OPERATION_DONE, "state": "success"},
        *({"matcher": "path", "argument": "Status", "expected": status, "state": "failure"}
          for status in OPERATION_FAILED),
    ],
}


def wait_for_operation(client, operation_id, timeout, what):
    """Wait up to ``timeout`` seconds until the operation is SUCCESSFUL; its detail. Fails at once when it ended
    ERROR or FAILED."""
    started = time.monotonic()
    waiter = custom_waiter(client, "OperationSucceeded", OPERATION_WAITER)
    try:
        return wait(waiter, timeout, WAIT_DELAY, OperationId=operation_id)
    except WaiterError as e:
        operation = e.last_response or {}
        status = operation.get("Status")
        if status in OPERATION_FAILED:
            raise AnsibleRoute53DomainsError(
                message=f"{what} (operation {operation_id}) ended {status}: {operation.get('Message', 'no message')}",
                exception=e,
            ) from e
        if timed_out(e):
            raise AnsibleRoute53DomainsError(
                message=f"timed out after {timeout} s waiting for {what} (operation {operation_id}, status {status}); "
                "it goes on at AWS: run again later or raise wait_timeout",
                exception=e,
            ) from e
        raise AnsibleRoute53DomainsError(
            message=f"waiting for {what} (operation {operation_id}) failed after {int(time.monotonic() - started)} s",
            exception=e,
        ) from e
