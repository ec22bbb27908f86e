#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: route53_domain
version_added: 0.1.0
short_description: Register a domain with Route 53 and point it at a hosted zone
description:
  - Registers a domain name with Amazon Route 53 Domains when O(register=true) (registration costs
    money, so it is off by default), after checking that the domain is available.
  - A domain already registered in the account is never registered again; its auto-renew and
    contact privacy settings are brought in line with O(auto_renew) and O(privacy_protection).
  - Makes the domain's name servers match a Route 53 hosted zone (O(hosted_zone_id)) or a given
    list (O(name_servers)), and waits for the registrar's operations to finish.
  - In check mode nothing is registered or changed; the result predicts what would be.
  - The Route 53 Domains API exists only in C(us-east-1); the module always calls it there, whatever
    the region options say.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  domain_name:
    description:
      - The domain name, for example V(example.com).
    type: str
    required: true
  register:
    description:
      - Register the domain when it is not registered in this account yet.
      - This is billed by AWS for O(duration_in_years). Needs O(registrant_contact).
      - With V(false), a domain that is not registered in the account is only reported (RV(domain.registered=false)).
    type: bool
    default: false
  duration_in_years:
    description:
      - Registration period in years (1 to 10; some top-level domains require more than 1).
    type: int
    default: 1
  auto_renew:
    description:
      - Renew the domain automatically before it expires.
    type: bool
    default: true
  privacy_protection:
    description:
      - Hide the registrant, administrative and technical contacts from WHOIS.
    type: bool
    default: true
  registrant_contact:
    description:
      - Contact details of the domain's owner, used only for the registration.
      - Personal data; never logged or returned.
    type: dict
    suboptions: &contact
      first_name:
        description: First name.
        type: str
        required: true
      last_name:
        description: Last name.
        type: str
        required: true
      contact_type:
        description: Kind of contact.
        type: str
        choices: ["PERSON", "COMPANY", "ASSOCIATION", "PUBLIC_BODY", "RESELLER"]
        default: PERSON
      organization_name:
        description: Organization, required by AWS unless O(registrant_contact.contact_type=PERSON).
        type: str
      address_line_1:
        description: Street address.
        type: str
        required: true
      address_line_2:
        description: Second line of the address.
        type: str
      city:
        description: City.
        type: str
        required: true
      state:
        description: State or province.
        type: str
      country_code:
        description: Two-letter country code (ISO 3166-1 alpha-2).
        type: str
        required: true
      zip_code:
        description: Postal code.
        type: str
      phone_number:
        description: Phone number in the form C(+[country dialing code].[number]), for example C(+1.2065550100).
        type: str
        required: true
      email:
        description: Email address.
        type: str
        required: true
      fax:
        description: Fax number, in the same form as O(registrant_contact.phone_number).
        type: str
  admin_contact:
    description:
      - Administrative contact; defaults to O(registrant_contact). Same keys as O(registrant_contact).
    type: dict
    suboptions: *contact
  tech_contact:
    description:
      - Technical contact; defaults to O(registrant_contact). Same keys as O(registrant_contact).
    type: dict
    suboptions: *contact
  hosted_zone_id:
    description:
      - ID of a public Route 53 hosted zone for the domain; the domain's name servers are made to
        match the zone's.
      - Mutually exclusive with O(name_servers).
    type: str
  name_servers:
    description:
      - Host names of the name servers the domain should use.
      - Mutually exclusive with O(hosted_zone_id).
    type: list
    elements: str
  wait:
    description:
      - Wait for the registration and name server operations to finish.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each operation. A registration usually takes minutes, some top-level domains days.
    type: int
    default: 1800
notes:
  - Contact details of an already registered domain are not changed by this module.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Report whether the domain is registered in this account (no change)
  aws_intro.stack.route53_domain:
    domain_name: example.com
  register: domain

- name: Register the domain (billed) and point it at the stack's hosted zone
  aws_intro.stack.route53_domain:
    domain_name: example.com
    register: true
    duration_in_years: 1
    auto_renew: true
    privacy_protection: true
    registrant_contact:
      first_name: Jane
      last_name: Doe
      address_line_1: 1 Main Street
      city: Seattle
      state: WA
      country_code: US
      zip_code: "98101"
      phone_number: "+1.2065550100"
      email: hostmaster@example.com
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    wait_timeout: 3600

- name: Point an already registered domain at explicit name servers
  aws_intro.stack.route53_domain:
    domain_name: example.com
    name_servers:
      - ns-1.awsdns-01.org
      - ns-2.awsdns-02.co.uk
      - ns-3.awsdns-03.com
      - ns-4.awsdns-04.net
"""

RETURN = r"""
domain:
  description: The domain after the change (predicted in check mode). Contacts are never returned.
  returned: always
  type: complex
  contains:
    domain_name:
      description: The domain name.
      returned: always
      type: str
      sample: example.com
    registered:
      description: Whether the domain is registered in this account (or would be, in check mode).
      returned: always
      type: bool
      sample: true
    availability:
      description: What CheckDomainAvailability answered before a registration.
      returned: when a registration was considered
      type: str
      sample: AVAILABLE
    auto_renew:
      description: Whether the domain renews automatically.
      returned: when registered
      type: bool
      sample: true
    privacy_protection:
      description: WHOIS privacy of the three contacts.
      returned: when registered
      type: dict
      sample: {"admin": true, "registrant": true, "tech": true}
    name_servers:
      description: The domain's name servers, sorted.
      returned: when registered
      type: list
      elements: str
      sample: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk"]
    expiration_date:
      description: When the registration expires.
      returned: when registered and known
      type: str
      sample: "2027-11-25T08:11:31+00:00"
    operation_ids:
      description: IDs of the Route 53 Domains operations this run started.
      returned: always
      type: list
      elements: str
      sample: ["308c56712-faa4-40fe-94c8-b423069de3f6"]
"""

import datetime
import re
from copy import deepcopy

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.route53 import AnsibleRoute53Error, get_hosted_zone
from ansible_collections.aws_intro.stack.plugins.module_utils.route53domains import (
    DOMAINS_REGION,
    AnsibleRoute53DomainsError,
    check_domain_availability,
    contact_to_api,
    get_domain_detail,
    normalize_name_servers,
    register_domain,
    set_auto_renew,
    update_contact_privacy,
    update_domain_nameservers,
    wait_for_operation,
)

DOMAIN_RE = re.compile(r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
CONTACT_OPTIONS = dict(
    first_name=dict(type="str", required=True),
    last_name=dict(type="str", required=True),
    contact_type=dict(
        type="str", default="PERSON", choices=["PERSON", "COMPANY", "ASSOCIATION", "PUBLIC_BODY", "RESELLER"]
    ),
    organization_name=dict(type="str"),
    address_line_1=dict(type="str", required=True),
    address_line_2=dict(type="str"),
    city=dict(type="str", required=True),
    state=dict(type="str"),
    country_code=dict(type="str", required=True),
    zip_code=dict(type="str"),
    phone_number=dict(type="str", required=True),
    email=dict(type="str", required=True),
    fax=dict(type="str"),
)
AVAILABLE = ("AVAILABLE", "AVAILABLE_PREORDER")


def check_params(params):
    """An error message for bad input, or None."""
    name = params["domain_name"]
    if len(name) > 253 or not DOMAIN_RE.match(name.lower()):
        return f"domain_name '{name}' is not a domain name (labels of letters, digits and hyphens, such as example.com)"
    if params["register"] and not params["registrant_contact"]:
        return "register=true needs registrant_contact (and optionally admin_contact, tech_contact)"
    if not 1 <= params["duration_in_years"] <= 10:
        return f"duration_in_years must be from 1 to 10, got {params['duration_in_years']}"
    return None


def _iso(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def normalize_domain(domain_name, detail):
    if detail is None:
        return {"domain_name": domain_name, "registered": False, "operation_ids": []}
    result = {
        "domain_name": domain_name,
        "registered": True,
        "auto_renew": bool(detail.get("AutoRenew")),
        "privacy_protection": {
            "admin": bool(detail.get("AdminPrivacy")),
            "registrant": bool(detail.get("RegistrantPrivacy")),
            "tech": bool(detail.get("TechPrivacy")),
        },
        "name_servers": normalize_name_servers(n["Name"] for n in detail.get("Nameservers", [])),
        "operation_ids": [],
    }
    if detail.get("ExpirationDate"):
        result["expiration_date"] = _iso(detail["ExpirationDate"])
    return result


def zone_name_servers(route53, zone_id):
    """(zone name, name servers of its delegation set) of a public hosted zone."""
    zone = get_hosted_zone(route53, zone_id)
    if zone is None:
        raise AnsibleRoute53DomainsError(message=f"hosted_zone_id {zone_id}: no such hosted zone")
    if zone["HostedZone"].get("Config", {}).get("PrivateZone"):
        raise AnsibleRoute53DomainsError(
            message=f"hosted_zone_id {zone_id} is a private zone; a domain needs a public one"
        )
    return zone["HostedZone"]["Name"], list(zone.get("DelegationSet", {}).get("NameServers", []))


def desired_name_servers(route53, params):
    if params["name_servers"]:
        return normalize_name_servers(params["name_servers"])
    if params["hosted_zone_id"]:
        zone_name, name_servers = zone_name_servers(route53, params["hosted_zone_id"])
        if zone_name.rstrip(".").lower() != params["domain_name"].lower():
            raise AnsibleRoute53DomainsError(
                message=f"hosted_zone_id {params['hosted_zone_id']} is the zone of {zone_name.rstrip('.')}, "
                f"not of {params['domain_name']}"
            )
        return normalize_name_servers(name_servers)
    return None


def ensure_registered(client, params, current, check_mode):
    """Register the domain when asked and not registered yet: (changed, predicted)."""
    if current["registered"] or not params["register"]:
        return False, current
    predicted = deepcopy(current)
    try:
        predicted["availability"] = check_domain_availability(client, params["domain_name"])
    except AnsibleRoute53DomainsError as e:
        code = getattr(e.exception, "response", {}).get("Error", {}).get("Code")
        if code == "UnsupportedTLD":
            raise AnsibleRoute53DomainsError(
                message=f"Route 53 cannot register domain_name {params['domain_name']}: "
                "its top-level domain is not supported"
            ) from e
        raise
    if predicted["availability"] not in AVAILABLE:
        raise AnsibleRoute53DomainsError(
            message=f"domain_name {params['domain_name']} cannot be registered: it is {predicted['availability']}"
        )
    predicted.update(
        registered=True,
        auto_renew=params["auto_renew"],
        privacy_protection={key: params["privacy_protection"] for key in ("admin", "registrant", "tech")},
        name_servers=[],
    )
    if check_mode:
        return True, predicted

    registrant = contact_to_api(params["registrant_contact"])
    operation_id = register_domain(
        client,
        DomainName=params["domain_name"],
        DurationInYears=params["duration_in_years"],
        AutoRenew=params["auto_renew"],
        RegistrantContact=registrant,
        AdminContact=contact_to_api(params["admin_contact"]) if params["admin_contact"] else registrant,
        TechContact=contact_to_api(params["tech_contact"]) if params["tech_contact"] else registrant,
        PrivacyProtectAdminContact=params["privacy_protection"],
        PrivacyProtectRegistrantContact=params["privacy_protection"],
        PrivacyProtectTechContact=params["privacy_protection"],
    )
    predicted["operation_ids"].append(operation_id)
    if params["wait"]:
        wait_for_operation(client, operation_id, params["wait_timeout"], f"the registration of {params['domain_name']}")
        detail = get_domain_detail(client, params["domain_name"])
        if detail is not None:
            fresh = normalize_domain(params["domain_name"], detail)
            fresh["availability"] = predicted["availability"]
            fresh["operation_ids"] = predicted["operation_ids"]
            predicted = fresh
    else:
        predicted["registration_pending"] = True
    return True, predicted


def ensure_settings(client, params, current, check_mode):
    """Auto-renew and contact privacy of a registered domain: (changed, predicted)."""
    if not current["registered"] or current.get("registration_pending"):
        return False, current
    changed = False
    predicted = deepcopy(current)
    if current["auto_renew"] != params["auto_renew"]:
        changed = True
        predicted["auto_renew"] = params["auto_renew"]
        if not check_mode:
            set_auto_renew(client, params["domain_name"], params["auto_renew"])
    wanted_privacy = {key: params["privacy_protection"] for key in ("admin", "registrant", "tech")}
    if current["privacy_protection"] != wanted_privacy:
        changed = True
        predicted["privacy_protection"] = wanted_privacy
        if not check_mode:
            operation_id = update_contact_privacy(client, params["domain_name"], params["privacy_protection"])
            if operation_id:
                predicted["operation_ids"].append(operation_id)
                if params["wait"]:
                    wait_for_operation(client, operation_id, params["wait_timeout"], "the contact privacy update")
    return changed, predicted


def ensure_name_servers(module, client, params, current, wanted, check_mode):
    if wanted is None:
        return False, current
    if not current["registered"]:
        raise AnsibleRoute53DomainsError(
            message=f"domain_name {params['domain_name']} is not registered in this account, "
            "so its name servers cannot be set here: register it (register=true) or set them at its registrar"
        )
    if current.get("registration_pending"):
        module.warn("the registration is still running (wait=false): the name servers are set on a later run")
        return False, current
    if current.get("name_servers") == wanted:
        return False, current
    predicted = deepcopy(current)
    predicted["name_servers"] = wanted
    if check_mode:
        return True, predicted
    operation_id = update_domain_nameservers(client, params["domain_name"], wanted)
    predicted["operation_ids"].append(operation_id)
    if params["wait"]:
        wait_for_operation(client, operation_id, params["wait_timeout"], "the name server update")
    return True, predicted


def main():
    argument_spec = dict(
        domain_name=dict(type="str", required=True),
        register=dict(type="bool", default=False),
        duration_in_years=dict(type="int", default=1),
        auto_renew=dict(type="bool", default=True),
        privacy_protection=dict(type="bool", default=True),
        registrant_contact=dict(type="dict", options=CONTACT_OPTIONS, no_log=True),
        admin_contact=dict(type="dict", options=CONTACT_OPTIONS, no_log=True),
        tech_contact=dict(type="dict", options=CONTACT_OPTIONS, no_log=True),
        hosted_zone_id=dict(type="str"),
        name_servers=dict(type="list", elements="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=1800),
    )
    module = AnsibleStackAWSModule(
        argument_spec=argument_spec,
        mutually_exclusive=[["hosted_zone_id", "name_servers"]],
        supports_check_mode=True,
    )
    params = dict(module.params)
    if params["hosted_zone_id"]:
        params["hosted_zone_id"] = params["hosted_zone_id"].replace("/hostedzone/", "")
    problem = check_params(params)
    if problem:
        module.fail_json(msg=problem)

    client = module.client("route53domains", retry_decorator=AWSRetry.jittered_backoff(), region=DOMAINS_REGION)
    route53 = module.client("route53", retry_decorator=AWSRetry.jittered_backoff())
    try:
        wanted = desired_name_servers(route53, params)
        before = normalize_domain(params["domain_name"], get_domain_detail(client, params["domain_name"]))
        changed, after = ensure_registered(client, params, before, module.check_mode)
        settings_changed, after = ensure_settings(client, params, after, module.check_mode)
        ns_changed, after = ensure_name_servers(module, client, params, after, wanted, module.check_mode)
        changed = changed or settings_changed or ns_changed
        if changed and not module.check_mode and after["registered"] and not after.get("registration_pending"):
            detail = get_domain_detail(client, params["domain_name"])
            if detail is not None:
                fresh = normalize_domain(params["domain_name"], detail)
                fresh["operation_ids"] = after["operation_ids"]
                if "availability" in after:
                    fresh["availability"] = after["availability"]
                after = fresh
    except (AnsibleRoute53DomainsError, AnsibleRoute53Error) as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed, "domain": after}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
