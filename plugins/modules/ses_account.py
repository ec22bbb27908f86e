#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ses_account
version_added: 0.1.0
short_description: Report the Amazon SES sandbox status of a region and optionally request production access
description:
  - Reads the SES account of the region (SESv2 GetAccount) and reports whether it is still in the
    SES sandbox, its sending quota and the state of a production-access review.
  - In the sandbox SES only delivers to verified identities (addresses or domains) and at most
    200 messages a day, one a second (SES Developer Guide, "Request production access").
  - With O(request_production_access=true) it asks AWS for production access (SESv2
    PutAccountDetails) once; AWS reviews the request by hand, typically within a day. A request
    that is pending, granted or denied is never sent again by this module.
author:
  - aws_intro.stack developers (@aws-intro)
notes:
  - The sandbox is per region; run the module in every region that sends mail.
  - Only the SESv2 API (2019-09-27) has GetAccount and PutAccountDetails.
options:
  request_production_access:
    description:
      - Ask AWS to move the account out of the sandbox when it is still in it and no review exists.
    type: bool
    default: false
  mail_type:
    description:
      - The kind of mail sent, for the production-access request.
    type: str
    choices: ["TRANSACTIONAL", "MARKETING"]
    default: "TRANSACTIONAL"
  website_url:
    description:
      - URL of the site that sends the mail. Required with O(request_production_access=true).
    type: str
  use_case_description:
    description:
      - How the mail is sent and how bounces and complaints are handled, for AWS's reviewers.
    type: str
  additional_contact_email_addresses:
    description:
      - Up to four addresses AWS writes to about the review.
    type: list
    elements: str
  contact_language:
    description:
      - Language AWS uses when it contacts you.
    type: str
    choices: ["EN", "JA"]
    default: "EN"
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Is the account still in the SES sandbox?
  aws_intro.stack.ses_account:
  register: ses

- name: Say what the sandbox means
  ansible.builtin.debug:
    msg: "Sandbox: mail reaches verified addresses only"
  when: ses.ses_account.sandbox

- name: Request production access (sent once; AWS reviews it by hand)
  aws_intro.stack.ses_account:
    request_production_access: true
    mail_type: TRANSACTIONAL
    website_url: https://www.example.com
    use_case_description: Account activation and password reset mail of a sign-up form.
    additional_contact_email_addresses: [ops@example.com]
"""

RETURN = r"""
ses_account:
  description: The SES account of the region (predicted in check mode).
  returned: always
  type: complex
  contains:
    sandbox:
      description: Whether the account is in the sandbox (no production access).
      returned: always
      type: bool
      sample: true
    production_access_enabled:
      description: Whether the account has production access.
      returned: always
      type: bool
      sample: false
    sending_enabled:
      description: Whether the account may send mail at all.
      returned: always
      type: bool
      sample: true
    enforcement_status:
      description: C(HEALTHY), C(PROBATION) or C(SHUTDOWN).
      returned: always
      type: str
      sample: HEALTHY
    send_quota:
      description: Sending limits.
      returned: always
      type: dict
      sample: {"max_24_hour_send": 200.0, "max_send_rate": 1.0, "sent_last_24_hours": 0.0}
    review_status:
      description:
        - Status of a production-access review (C(PENDING), C(GRANTED), C(DENIED), C(FAILED)).
        - C(null) without one.
      returned: always
      type: str
      sample: PENDING
    review_case_id:
      description: Support case of the review, C(null) without one.
      returned: always
      type: str
      sample: "1234567890"
"""

from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.ses import (
    AnsibleSESError,
    get_account,
    put_account_details,
)


def normalize_account(account):
    quota = account.get("SendQuota") or {}
    review = (account.get("Details") or {}).get("ReviewDetails") or {}
    production = bool(account.get("ProductionAccessEnabled"))
    return {
        "sandbox": not production,
        "production_access_enabled": production,
        "sending_enabled": bool(account.get("SendingEnabled")),
        "enforcement_status": account.get("EnforcementStatus"),
        "send_quota": {
            "max_24_hour_send": quota.get("Max24HourSend"),
            "max_send_rate": quota.get("MaxSendRate"),
            "sent_last_24_hours": quota.get("SentLast24Hours"),
        },
        "review_status": review.get("Status"),
        "review_case_id": review.get("CaseId"),
    }


def request_details(params):
    details = {
        "MailType": params["mail_type"],
        "WebsiteURL": params["website_url"],
        "ContactLanguage": params["contact_language"],
        "ProductionAccessEnabled": True,
    }
    if params["use_case_description"]:
        details["UseCaseDescription"] = params["use_case_description"]
    if params["additional_contact_email_addresses"]:
        details["AdditionalContactEmailAddresses"] = params["additional_contact_email_addresses"]
    return details


def ensure_production_access(client, account, params, check_mode):
    """Request production access once: never while a review exists or access is granted."""
    if not params["request_production_access"]:
        return False, account
    if account["production_access_enabled"] or account["review_status"]:
        return False, account
    predicted = dict(account, review_status="PENDING")
    if not check_mode:
        put_account_details(client, request_details(params))
    return True, predicted


def main():
    argument_spec = dict(
        request_production_access=dict(type="bool", default=False),
        mail_type=dict(type="str", choices=["TRANSACTIONAL", "MARKETING"], default="TRANSACTIONAL"),
        website_url=dict(type="str"),
        use_case_description=dict(type="str"),
        additional_contact_email_addresses=dict(type="list", elements="str"),
        contact_language=dict(type="str", choices=["EN", "JA"], default="EN"),
    )
    module = AnsibleStackAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("request_production_access", True, ["website_url"])],
    )
    contacts = module.params["additional_contact_email_addresses"] or []
    if len(contacts) > 4:
        module.fail_json(msg=f"additional_contact_email_addresses takes at most 4 addresses, got {len(contacts)}")

    client = module.client("sesv2")
    try:
        original = normalize_account(get_account(client))
        changed, result = ensure_production_access(client, original, module.params, module.check_mode)
        if changed and not module.check_mode:
            result = normalize_account(get_account(client))
    except AnsibleSESError as e:
        module.fail_json_aws_error(e)

    results = {"changed": changed, "ses_account": result}
    if module._diff:
        results["diff"] = {"before": original, "after": result}
    module.exit_json(**results)


if __name__ == "__main__":
    main()
