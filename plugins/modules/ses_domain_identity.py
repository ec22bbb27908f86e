#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ses_domain_identity
version_added: 0.1.0
short_description: Manage an Amazon SES domain identity with Easy DKIM and a custom MAIL FROM domain
description:
  - Creates (starts the verification of) an Amazon SES domain identity, enables Easy DKIM on it and
    returns the three DKIM tokens with the CNAME records to publish, the verification status and the
    verification token.
  - Sets or removes a custom MAIL FROM domain and what SES does when its MX record is missing.
  - Optionally waits until SES reports the domain as verified.
  - O(state=absent) deletes the identity.
  - C(community.aws.ses_identity) verifies identities and sets notifications, but knows nothing of
    DKIM or MAIL FROM; this module does that part for domains.
author:
  - aws_intro.stack developers (@aws-intro)
notes:
  - >-
    The module uses the SES API version 2010-12-01 (VerifyDomainIdentity, VerifyDomainDkim,
    SetIdentityDkimEnabled, SetIdentityMailFromDomain, GetIdentity*Attributes, DeleteIdentity).
    AWS still documents and supports that API, and SES v1 and v2 manage the same identities: an
    identity made here shows in the SESv2 API and the console with its DKIM tokens. SESv2's
    CreateEmailIdentity would do the same in one call, but the emulator this collection is tested
    against (moto 5.2) returns DKIM tokens only through the v1 API, so v1 is the version whose
    behaviour can be proved here.
  - Easy DKIM verifies the domain as well (SES Developer Guide, "Verifying a DKIM domain identity");
    publishing the three CNAME records of RV(ses_domain_identity.dkim_records) is enough; the
    C(_amazonses) TXT record of the verification token is only needed without DKIM.
  - SES identities carry no tags in the 2010-12-01 API.
  - Verification takes DNS propagation time (up to 72 hours on AWS). O(wait=true) fails when
    O(wait_timeout) passes first; nothing waits in check mode.
options:
  state:
    description:
      - Whether the identity should exist.
    type: str
    choices: ["present", "absent"]
    default: "present"
  domain:
    description:
      - The domain to send mail from, for example V(example.com).
    type: str
    required: true
  dkim_enabled:
    description:
      - Whether Easy DKIM signs the mail sent from the domain.
      - V(true) also generates the DKIM tokens when the identity has none yet.
    type: bool
    default: true
  mail_from_domain:
    description:
      - Custom MAIL FROM domain, a subdomain of O(domain) such as V(mail.example.com).
      - V("") removes a custom MAIL FROM domain; leaving it unset changes nothing.
      - It needs an MX record pointing at C(feedback-smtp.<region>.amazonses.com) and an SPF TXT record.
    type: str
  behavior_on_mx_failure:
    description:
      - What SES does when the MX record of O(mail_from_domain) is missing.
      - V(UseDefaultValue) sends with a subdomain of C(amazonses.com) as MAIL FROM; V(RejectMessage)
        rejects the message.
      - Used only with a non-empty O(mail_from_domain).
    type: str
    choices: ["UseDefaultValue", "RejectMessage"]
    default: "UseDefaultValue"
  wait:
    description:
      - Wait until SES reports the domain as verified (C(Success)).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true).
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Domain identity with Easy DKIM and a custom MAIL FROM domain
  aws_intro.stack.ses_domain_identity:
    domain: example.com
    mail_from_domain: mail.example.com
    behavior_on_mx_failure: UseDefaultValue
  register: identity

- name: Publish the DKIM CNAME records
  amazon.aws.route53:
    zone: example.com
    record: "{{ item.name }}"
    type: CNAME
    ttl: 1800
    value: "{{ item.value }}"
    state: present
  loop: "{{ identity.ses_domain_identity.dkim_records }}"

- name: Wait up to ten minutes for SES to verify the domain
  aws_intro.stack.ses_domain_identity:
    domain: example.com
    wait: true
    wait_timeout: 600

- name: Remove the custom MAIL FROM domain
  aws_intro.stack.ses_domain_identity:
    domain: example.com
    mail_from_domain: ""

- name: Delete the identity
  aws_intro.stack.ses_domain_identity:
    domain: example.com
    state: absent
"""

RETURN = r"""
ses_domain_identity:
  description: The identity as SES holds it (predicted in check mode); C(null) after O(state=absent).
  returned: always
  type: complex
  contains:
    domain:
      description: The domain.
      returned: always
      type: str
      sample: example.com
    verification_status:
      description: Verification status (C(Pending), C(Success), C(Failed), C(TemporaryFailure), C(NotStarted)).
      returned: always
      type: str
      sample: Pending
    verification_token:
      description: Value of the optional C(_amazonses.<domain>) TXT record (not needed with Easy DKIM).
      returned: always
      type: str
      sample: QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=
    dkim_enabled:
      description: Whether Easy DKIM signing is enabled.
      returned: always
      type: bool
      sample: true
    dkim_verification_status:
      description: DKIM verification status.
      returned: always
      type: str
      sample: Pending
    dkim_tokens:
      description: The three DKIM tokens (empty in check mode before they exist).
      returned: always
      type: list
      elements: str
      sample: ["vvjuipp74whm76gqoni7qmwwn4w4qusj", "3frqe7jn4obpuxjpwpolz6ipb3k5nvt2",
               "wrqplteh7oodxnad7hsl4mixg2uavzne"]
    dkim_records:
      description: The CNAME records to publish, one per token.
      returned: always
      type: list
      elements: dict
      sample: [{"name": "vvjuipp74whm76gqoni7qmwwn4w4qusj._domainkey.example.com", "type": "CNAME",
                "value": "vvjuipp74whm76gqoni7qmwwn4w4qusj.dkim.amazonses.com"}]
    mail_from_domain:
      description: The custom MAIL FROM domain, C("") when there is none.
      returned: always
      type: str
      sample: mail.example.com
    mail_from_domain_status:
      description: Status of the MAIL FROM domain's MX record check.
      returned: always
      type: str
      sample: Pending
    behavior_on_mx_failure:
      description: What SES does when the MAIL FROM domain's MX record is missing.
      returned: always
      type: str
      sample: UseDefaultValue
"""

import re
from copy import deepcopy

from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.ses import (
    AnsibleSESError,
    delete_identity,
    describe_domain_identity,
    dkim_records,
    set_dkim_enabled,
    set_mail_from_domain,
    verify_domain_dkim,
    verify_domain_identity,
    wait_for_verification,
)

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


def validate(domain, mail_from_domain):
    """The problem with the names, or None. Checked before any AWS call."""
    if not _DOMAIN.match(domain):
        return f"domain must be a lower-case domain name such as example.com, got '{domain}'"
    if mail_from_domain:
        if not _DOMAIN.match(mail_from_domain):
            return f"mail_from_domain must be a lower-case domain name, got '{mail_from_domain}'"
        if not mail_from_domain.endswith("." + domain):
            return (
                f"mail_from_domain must be a subdomain of domain ({domain}), such as mail.{domain}, "
                f"got '{mail_from_domain}'"
            )
    return None


def with_records(identity):
    if identity is None:
        return None
    identity = dict(identity)
    identity["dkim_records"] = dkim_records(identity["domain"], identity["dkim_tokens"])
    return identity


def ensure_identity(client, original, domain, check_mode):
    if original is not None:
        return False, deepcopy(original)
    predicted = {
        "domain": domain,
        "verification_status": "Pending",
        "verification_token": None,
        "dkim_enabled": False,
        "dkim_verification_status": "NotStarted",
        "dkim_tokens": [],
        "mail_from_domain": "",
        "mail_from_domain_status": None,
        "behavior_on_mx_failure": "UseDefaultValue",
    }
    if not check_mode:
        predicted["verification_token"] = verify_domain_identity(client, domain)
    return True, predicted


def ensure_dkim(client, identity, dkim_enabled, check_mode):
    changed = False
    identity = deepcopy(identity)
    if dkim_enabled and not identity["dkim_tokens"]:
        changed = True
        identity["dkim_verification_status"] = "Pending"
        if not check_mode:
            identity["dkim_tokens"] = verify_domain_dkim(client, identity["domain"])
            # VerifyDomainDkim may already have switched signing on; read instead of guessing.
            identity["dkim_enabled"] = describe_domain_identity(client, identity["domain"])["dkim_enabled"]
    if identity["dkim_enabled"] != dkim_enabled:
        changed = True
        if not check_mode:
            set_dkim_enabled(client, identity["domain"], dkim_enabled)
        identity["dkim_enabled"] = dkim_enabled
    return changed, identity


def ensure_mail_from(client, identity, mail_from_domain, behavior, check_mode):
    if mail_from_domain is None:
        return False, identity
    current_behavior = identity["behavior_on_mx_failure"] if identity["mail_from_domain"] else None
    current = (identity["mail_from_domain"], current_behavior)
    desired = (mail_from_domain, behavior if mail_from_domain else None)
    if current == desired:
        return False, identity
    identity = deepcopy(identity)
    identity["mail_from_domain"] = mail_from_domain
    identity["mail_from_domain_status"] = "Pending" if mail_from_domain else None
    identity["behavior_on_mx_failure"] = behavior if mail_from_domain else "UseDefaultValue"
    if not check_mode:
        set_mail_from_domain(client, identity["domain"], mail_from_domain, behavior)
    return True, identity


def ensure_present(client, original, params, check_mode):
    changed, identity = ensure_identity(client, original, params["domain"], check_mode)
    dkim_changed, identity = ensure_dkim(client, identity, params["dkim_enabled"], check_mode)
    mail_from_changed, identity = ensure_mail_from(
        client, identity, params["mail_from_domain"], params["behavior_on_mx_failure"], check_mode
    )
    return changed or dkim_changed or mail_from_changed, identity


def ensure_absent(client, original, check_mode):
    if original is None:
        return False, None
    if not check_mode:
        delete_identity(client, original["domain"])
    return True, None


def settled(changed, original, wait):
    """Whether the identity as first read is the result: nothing was sent and there is nothing to wait for (no
    ``wait``, or SES reports the domain verified already). Reading it again would ask SES the same three questions."""
    return not changed and (not wait or (original or {}).get("verification_status") == "Success")


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        domain=dict(type="str", required=True),
        dkim_enabled=dict(type="bool", default=True),
        mail_from_domain=dict(type="str"),
        behavior_on_mx_failure=dict(
            type="str", choices=["UseDefaultValue", "RejectMessage"], default="UseDefaultValue"
        ),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)

    domain = module.params["domain"] = module.params["domain"].lower().rstrip(".")
    if module.params["mail_from_domain"]:
        module.params["mail_from_domain"] = module.params["mail_from_domain"].lower().rstrip(".")
    problem = validate(domain, module.params["mail_from_domain"])
    if problem:
        module.fail_json(msg=problem)

    client = module.client("ses")
    try:
        original = describe_domain_identity(client, domain)
        if module.params["state"] == "absent":
            changed, result = ensure_absent(client, original, module.check_mode)
        else:
            changed, result = ensure_present(client, original, module.params, module.check_mode)
            if not module.check_mode:
                if settled(changed, original, module.params["wait"]):
                    result = original
                else:
                    if module.params["wait"]:
                        wait_for_verification(client, domain, module.params["wait_timeout"])
                    result = describe_domain_identity(client, domain)
    except AnsibleSESError as e:
        module.fail_json_aws_error(e)

    results = {"changed": changed, "ses_domain_identity": with_records(result)}
    if module._diff:
        results["diff"] = {"before": with_records(original) or {}, "after": with_records(result) or {}}
    module.exit_json(**results)


if __name__ == "__main__":
    main()
