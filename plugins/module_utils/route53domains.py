# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 Domains calls of the route53_domain module.

The Route 53 Domains API exists only in us-east-1. Every call is wrapped by an error handler
(AnsibleRoute53DomainsError) and AWSRetry.jittered_backoff(); a domain that is not registered
in the account reads as None.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.aws_intro.stack.plugins.module_utils.common import JSON_THROTTLED

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


class Route53ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53DomainsError


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


@Route53ErrorHandler.common_error_handler("get hosted zone")
@AWSRetry.jittered_backoff()
def get_zone_name_servers(client, zone_id):
    """(zone name, name servers of its delegation set)."""
    zone = client.get_hosted_zone(Id=zone_id)
    if zone["HostedZone"].get("Config", {}).get("PrivateZone"):
        raise AnsibleRoute53DomainsError(
            message=f"hosted_zone_id {zone_id} is a private zone; a domain needs a public one"
        )
    return zone["HostedZone"]["Name"], list(zone.get("DelegationSet", {}).get("NameServers", []))


def contact_to_api(contact):
    """Module contact dict -> API ContactDetail (unset fields left out)."""
    return {api: contact[key] for key, api in CONTACT_FIELDS.items() if contact.get(key) not in (None, "")}


def normalize_name_servers(name_servers):
    return sorted(name.rstrip(".").lower() for name in name_servers)
