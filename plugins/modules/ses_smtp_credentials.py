#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ses_smtp_credentials
version_added: 0.1.0
short_description: Amazon SES SMTP credentials kept in SSM Parameter Store
description:
  - Manages an IAM user whose only permission is C(ses:SendRawEmail) on the given SES identities,
    one access key of that user, and the SES SMTP credentials made from that key, that is the SMTP user
    name (the access key ID) and the SMTP password derived from the secret access key by the
    algorithm the SES Developer Guide documents for a region.
  - Both are written to SSM Parameter Store as C(SecureString) parameters,
    C(<parameter_path>/username) and C(<parameter_path>/password). The secret access key and the
    password are never returned, logged or written anywhere else.
  - An existing credential is kept as long as its key still belongs to the user and both parameters
    exist; otherwise (or with O(rotate=true)) a new key is made first, stored, and only then the old
    key is deleted, so a reader of the parameters never sees a deleted key.
  - The user is dedicated to sending mail; the module removes any other inline policy and detaches
    any managed policy from it, and deletes access keys of the user that are not the stored one.
  - O(state=absent) deletes the keys, the policies, the user and both parameters.
author:
  - aws_intro.stack developers (@aws-intro)
notes:
  - SMTP passwords depend on the region (signature version 4); a credential stored for another
    O(smtp_region) is replaced by a new one.
  - The user's IAM tags are managed with O(tags); SSM parameters and access keys carry no tags.
  - Group memberships of the user are not examined.
options:
  state:
    description:
      - Whether the credentials should exist.
    type: str
    choices: ["present", "absent"]
    default: "present"
  user_name:
    description:
      - Name of the IAM user that owns the access key.
    type: str
    required: true
  path:
    description:
      - IAM path of the user (used when it is created).
    type: str
    default: "/"
  identities:
    description:
      - SES identities (domains or email addresses) the user may send from, in O(smtp_region).
      - Required with O(state=present).
    type: list
    elements: str
  policy_name:
    description:
      - Name of the user's inline policy.
    type: str
    default: ses-send-raw-email
  smtp_region:
    description:
      - Region of the SES SMTP endpoint the credentials are for.
      - Defaults to the region the module talks to.
    type: str
  parameter_path:
    description:
      - SSM path the credentials are kept under, for example V(/sample/mail/smtp).
      - Required with O(state=present); O(state=absent) deletes the parameters when it is given.
    type: str
  kms_key_id:
    description:
      - KMS key of the C(SecureString) parameters. Defaults to the account's C(aws/ssm) key.
    type: str
  rotate:
    description:
      - Make a new access key and password even though a valid one is stored.
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: SMTP credentials that may only send from example.com, kept in SSM
  aws_intro.stack.ses_smtp_credentials:
    user_name: example-smtp
    identities: [example.com]
    parameter_path: /example/mail/smtp
    tags:
      Stack: example
  register: smtp

- name: Read the password back (never print it)
  ansible.builtin.set_fact:
    smtp_password: >-
      {{ lookup('amazon.aws.ssm_parameter', smtp.ses_smtp_credentials.password_parameter, decrypt=true) }}
  no_log: true

- name: Rotate the credentials (new key first, then the old key is deleted)
  aws_intro.stack.ses_smtp_credentials:
    user_name: example-smtp
    identities: [example.com]
    parameter_path: /example/mail/smtp
    rotate: true

- name: Remove user, keys and parameters
  aws_intro.stack.ses_smtp_credentials:
    user_name: example-smtp
    parameter_path: /example/mail/smtp
    state: absent
"""

RETURN = r"""
ses_smtp_credentials:
  description: The credentials (without any secret); predicted in check mode; C(null) after O(state=absent).
  returned: always
  type: complex
  contains:
    user_name:
      description: The IAM user.
      returned: always
      type: str
      sample: example-smtp
    user_arn:
      description: ARN of the IAM user (C(null) in check mode before it exists).
      returned: always
      type: str
      sample: arn:aws:iam::123456789012:user/example-smtp
    smtp_username:
      description: The SMTP user name, the access key ID (C(null) in check mode before a new key exists).
      returned: always
      type: str
      sample: AKIAIOSFODNN7EXAMPLE
    smtp_region:
      description: Region of the SMTP endpoint.
      returned: always
      type: str
      sample: ap-northeast-2
    smtp_endpoint:
      description: Host name of the SMTP endpoint.
      returned: always
      type: str
      sample: email-smtp.ap-northeast-2.amazonaws.com
    username_parameter:
      description: SSM parameter holding the SMTP user name.
      returned: always
      type: str
      sample: /example/mail/smtp/username
    password_parameter:
      description: SSM parameter holding the SMTP password.
      returned: always
      type: str
      sample: /example/mail/smtp/password
    policy_name:
      description: Name of the user's inline policy.
      returned: always
      type: str
      sample: ses-send-raw-email
    policy_document:
      description: The user's only policy.
      returned: always
      type: dict
      sample: {"Version": "2012-10-17", "Statement": [{"Sid": "SendRawEmailOnly", "Effect": "Allow",
               "Action": "ses:SendRawEmail",
               "Resource": ["arn:aws:ses:ap-northeast-2:123456789012:identity/example.com"]}]}
    rotated:
      description: Whether this run replaced the access key (a new one was made).
      returned: always
      type: bool
      sample: false
    tags:
      description: Tags of the IAM user.
      returned: always
      type: dict
      sample: {"Stack": "example"}
"""

import re
from copy import deepcopy

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.iam import (
    AnsibleIAMError,
    detach_iam_user_policy,
    get_aws_account_info,
    get_iam_user,
    validate_iam_identifiers,
)
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.aws_intro.stack.plugins.module_utils.iam import (
    create_access_key,
    create_user,
    delete_access_key,
    delete_user,
    delete_user_policy,
    get_user_policy,
    list_access_key_ids,
    list_attached_user_policies,
    list_user_policies,
    put_user_policy,
    tag_user,
    untag_user,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.ses import (
    SMTP_REGIONS,
    identity_arn,
    send_only_policy,
    smtp_endpoint,
    smtp_password,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.ssm import (
    AnsibleSSMError,
    delete_parameter,
    describe_parameter,
    get_parameter_value,
    put_secure_parameter,
)

_PARAMETER_PATH = re.compile(r"^/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.\-]$")


def password_description(user_name, region):
    """Also records the region the password was derived for (a password is valid in one region)."""
    return f"Amazon SES SMTP password of IAM user {user_name} for {region} (aws_intro.stack)"


def validate(params):
    """The problem with the options, or None. Checked before any AWS call."""
    problem = validate_iam_identifiers("user", name=params["user_name"], path=params["path"])
    if problem:
        return problem
    if params["state"] == "absent":
        return None
    if params["smtp_region"] not in SMTP_REGIONS:
        return (
            f"smtp_region {params['smtp_region']} has no Amazon SES SMTP endpoint; "
            f"use one of {', '.join(SMTP_REGIONS)}"
        )
    if not params["identities"]:
        return "identities must name at least one SES identity (a domain or an email address)"
    path = params["parameter_path"] or ""
    if not _PARAMETER_PATH.match(path) or re.match(r"^/(aws|ssm)", path, re.IGNORECASE):
        return f"parameter_path must be an SSM path such as /stack/mail/smtp, not under /aws or /ssm, got '{path}'"
    return None


def read_state(iam, ssm, params):
    """What AWS holds now, without secrets; None when neither the user nor the parameters exist."""
    user = get_iam_user(iam, params["user_name"])
    names = parameter_names(params["parameter_path"])
    stored_username = get_parameter_value(ssm, names["username"]) if names else None
    password_meta = describe_parameter(ssm, names["password"]) if names else None
    if user is None and stored_username is None and password_meta is None:
        return None
    policy_names = list_user_policies(iam, params["user_name"]) if user else []
    attached = list_attached_user_policies(iam, params["user_name"]) if user else []
    return {
        "user": user,
        "key_ids": list_access_key_ids(iam, params["user_name"]) if user else [],
        "policies": {name: get_user_policy(iam, params["user_name"], name) for name in policy_names},
        "attached_policy_arns": [p["PolicyArn"] for p in attached],
        "stored_username": stored_username,
        "password_description": (password_meta or {}).get("Description"),
        "password_stored": password_meta is not None,
    }


def account_of(original, ask_sts):
    """(account id, partition) for the identities' ARNs: from the ARN of the user read (IAM's GetUser answers
    arn:<partition>:iam::<account>:user/<path><name>), else from ask_sts(), which calls STS GetCallerIdentity."""
    arn = parse_aws_arn(((original or {}).get("user") or {}).get("arn") or "")
    if arn and arn["account_id"] and arn["partition"]:
        return arn["account_id"], arn["partition"]
    return ask_sts()


def parameter_names(path):
    if not path:
        return None
    return {"username": f"{path}/username", "password": f"{path}/password"}


def ensure_user(iam, state, params, check_mode):
    user = state["user"]
    if user is None:
        if not check_mode:
            user = create_user(iam, params["user_name"], params["path"], params["tags"])
            state["user"] = {"arn": user["Arn"], "user_name": params["user_name"], "tags": params["tags"] or {}}
        else:
            state["user"] = {"arn": None, "user_name": params["user_name"], "tags": params["tags"] or {}}
        return True
    if params["tags"] is None:
        return False
    current = user.get("tags") or {}
    to_set, to_unset = compare_aws_tags(current, params["tags"], params["purge_tags"])
    if not to_set and not to_unset:
        return False
    if not check_mode:
        untag_user(iam, params["user_name"], to_unset)
        tag_user(iam, params["user_name"], to_set)
    tags = {k: v for k, v in current.items() if k not in to_unset}
    tags.update(to_set)
    state["user"] = dict(user, tags=tags)
    return True


def ensure_policy(iam, state, params, document, check_mode):
    changed = False
    name = params["policy_name"]
    current = state["policies"].get(name)
    if current is None or compare_policies(current, document):
        changed = True
        if not check_mode:
            put_user_policy(iam, params["user_name"], name, document)
    for other in [p for p in state["policies"] if p != name]:
        changed = True
        if not check_mode:
            delete_user_policy(iam, params["user_name"], other)
    for arn in state["attached_policy_arns"]:
        changed = True
        if not check_mode:
            detach_iam_user_policy(iam, arn, params["user_name"])
    state["policies"] = {name: document}
    state["attached_policy_arns"] = []
    return changed


def ensure_key(iam, ssm, state, params, check_mode, hide):
    """Keep a stored, valid credential; otherwise make a new key, store it, then delete the old one."""
    names = parameter_names(params["parameter_path"])
    region = params["smtp_region"]
    description = password_description(params["user_name"], region)
    stored = state["stored_username"] if state["stored_username"] in state["key_ids"] else None
    valid = stored is not None and state["password_stored"] and state["password_description"] == description
    orphans = [k for k in state["key_ids"] if k != stored]
    if valid and not params["rotate"]:
        if not check_mode:
            for key_id in orphans:
                delete_access_key(iam, params["user_name"], key_id)
        state["key_ids"] = [stored]
        return bool(orphans), False
    if check_mode:
        state["key_ids"] = [None]
        state["stored_username"] = None
        return True, True
    # An IAM user has at most two keys: free a slot by deleting keys nobody has stored first.
    for key_id in orphans:
        delete_access_key(iam, params["user_name"], key_id)
    key_id, secret = create_access_key(iam, params["user_name"])
    hide(secret)
    password = smtp_password(secret, region)
    hide(password)
    put_secure_parameter(ssm, names["password"], password, description, params["kms_key_id"])
    put_secure_parameter(
        ssm, names["username"], key_id,
        f"Amazon SES SMTP user name (access key ID) of IAM user {params['user_name']} (aws_intro.stack)",
        params["kms_key_id"],
    )
    if stored is not None:
        delete_access_key(iam, params["user_name"], stored)
    state["key_ids"] = [key_id]
    state["stored_username"] = key_id
    return True, True


def ensure_present(iam, ssm, original, params, identity_arns, check_mode, hide):
    state = deepcopy(original) if original else {
        "user": None, "key_ids": [], "policies": {}, "attached_policy_arns": [],
        "stored_username": None, "password_description": None, "password_stored": False,
    }
    document = send_only_policy(identity_arns)
    user_changed = ensure_user(iam, state, params, check_mode)
    policy_changed = ensure_policy(iam, state, params, document, check_mode)
    key_changed, rotated = ensure_key(iam, ssm, state, params, check_mode, hide)
    return user_changed or policy_changed or key_changed, state, rotated


def ensure_absent(iam, ssm, original, params, check_mode):
    if original is None:
        return False
    if check_mode:
        return True
    name = params["user_name"]
    if original["user"] is not None:
        for key_id in original["key_ids"]:
            delete_access_key(iam, name, key_id)
        for policy in original["policies"]:
            delete_user_policy(iam, name, policy)
        for arn in original["attached_policy_arns"]:
            detach_iam_user_policy(iam, arn, name)
        delete_user(iam, name)
    for parameter in (parameter_names(params["parameter_path"]) or {}).values():
        delete_parameter(ssm, parameter)
    return True


def final_state(iam, ssm, params, original, changed, predicted, check_mode):
    """The state the module returns: the prediction in check mode; when nothing was sent, the state as read before
    (reading it again would ask IAM and SSM the same questions); after a change, the state read again."""
    if check_mode:
        return predicted
    return read_state(iam, ssm, params) if changed else original


def to_result(state, params, rotated):
    """What the module returns: never a secret."""
    if state is None:
        return None
    names = parameter_names(params["parameter_path"]) or {}
    user = state["user"] or {}
    return {
        "user_name": params["user_name"],
        "user_arn": user.get("arn"),
        "smtp_username": state["stored_username"] if state["stored_username"] in state["key_ids"] else None,
        "smtp_region": params["smtp_region"],
        "smtp_endpoint": smtp_endpoint(params["smtp_region"]),
        "username_parameter": names.get("username"),
        "password_parameter": names.get("password"),
        "policy_name": params["policy_name"],
        "policy_document": state["policies"].get(params["policy_name"]),
        "rotated": rotated,
        "tags": user.get("tags") or {},
    }


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        user_name=dict(type="str", required=True),
        path=dict(type="str", default="/"),
        identities=dict(type="list", elements="str"),
        policy_name=dict(type="str", default="ses-send-raw-email"),
        smtp_region=dict(type="str"),
        parameter_path=dict(type="str", no_log=False),
        kms_key_id=dict(type="str", no_log=False),
        rotate=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleStackAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", ["identities", "parameter_path"])],
    )
    params = module.params
    if params["parameter_path"]:
        params["parameter_path"] = params["parameter_path"].rstrip("/")
    params["smtp_region"] = params["smtp_region"] or module.region
    problem = validate(params)
    if problem:
        module.fail_json(msg=problem)

    iam = module.client("iam")
    ssm = module.client("ssm")
    rotated = False
    try:
        original = read_state(iam, ssm, params)
        if params["state"] == "absent":
            changed = ensure_absent(iam, ssm, original, params, module.check_mode)
            final = None
        else:
            account_id, partition = account_of(original, lambda: get_aws_account_info(module))
            arns = [identity_arn(partition, params["smtp_region"], account_id, i) for i in params["identities"]]
            changed, predicted, rotated = ensure_present(
                iam, ssm, original, params, arns, module.check_mode, module.no_log_values.add
            )
            final = final_state(iam, ssm, params, original, changed, predicted, module.check_mode)
    except (AnsibleIAMError, AnsibleSSMError) as e:
        module.fail_json_aws_error(e)

    results = {"changed": changed, "ses_smtp_credentials": to_result(final, params, rotated)}
    if module._diff:
        results["diff"] = {
            "before": to_result(original, params, False) or {},
            "after": results["ses_smtp_credentials"] or {},
        }
    module.exit_json(**results)


if __name__ == "__main__":
    main()
