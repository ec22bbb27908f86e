#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: acm_certificate_request
version_added: 0.1.0
short_description: Request a public ACM certificate with DNS validation
description:
  - Requests a public certificate from AWS Certificate Manager (ACM) for a domain name and
    optional subject alternative names (wildcards allowed), validated by DNS.
  - A certificate is identified by its domain name, its set of subject alternative names, its key
    algorithm and its C(Name) tag (O(name_tag)), so running the module again finds the same
    certificate instead of requesting a new one. Changing any of them requests a new certificate;
    the old one is left alone (it may still be in use).
  - Returns the DNS validation records, and optionally writes them into a Route 53 hosted zone
    (O(validation_zone_id)) and waits until ACM has issued the certificate (O(wait)).
  - O(state=absent) deletes the matching certificates, and fails without deleting anything while
    one is still in use (for example by a load balancer listener).
  - C(community.aws.acm_certificate) can only import certificates; this module requests them.
author:
  - aws_intro.stack developers (@aws-intro)
options:
  state:
    description:
      - Whether the certificate should exist.
    type: str
    choices: ["present", "absent"]
    default: "present"
  domain_name:
    description:
      - The fully qualified domain name the certificate is for, for example V(example.com)
        or V(*.example.com).
    type: str
    required: true
  subject_alternative_names:
    description:
      - Further names of the certificate, for example V(www.example.com) or V(*.example.com).
      - O(domain_name) is always one of the names; listing it here too makes no difference.
    type: list
    elements: str
    default: []
    aliases: ["sans"]
  key_algorithm:
    description:
      - Algorithm of the certificate's key pair.
    type: str
    choices: ["RSA_2048", "EC_prime256v1", "EC_secp384r1"]
    default: "RSA_2048"
  name_tag:
    description:
      - Value of the certificate's C(Name) tag. Together with the names and the key algorithm it
        identifies the certificate across runs.
    type: str
    required: true
  validation_zone_id:
    description:
      - ID of a public Route 53 hosted zone to write the DNS validation records (CNAME) into.
      - Every validation record must lie inside that zone.
      - Without it the records are only returned.
    type: str
  validation_record_ttl:
    description:
      - TTL in seconds of the validation records written to O(validation_zone_id).
    type: int
    default: 300
  wait:
    description:
      - Wait until ACM has issued the certificate (status C(ISSUED)).
      - Fails when validation fails or O(wait_timeout) passes first.
      - Never waits in check mode.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait for the validation records to appear and, with O(wait=true), for the certificate to be issued.
    type: int
    default: 600
notes:
  - ACM validates a certificate only while its validation records resolve; keep them in the zone
    after issue, ACM uses them again to renew the certificate.
  - With O(state=absent) the validation records are left in the zone; other certificates for the
    same names use the same records.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Request a certificate for the apex and www, validated in the zone, and wait for it
  aws_intro.stack.acm_certificate_request:
    domain_name: example.com
    subject_alternative_names:
      - www.example.com
    name_tag: mystack-site
    validation_zone_id: Z0123456789ABCDEFGHIJ
    wait: true
    wait_timeout: 900
    tags:
      Stack: mystack
  register: site_certificate

- name: Request a wildcard certificate with an EC key and only return the validation records
  aws_intro.stack.acm_certificate_request:
    domain_name: "*.example.com"
    key_algorithm: EC_prime256v1
    name_tag: mystack-wildcard
  register: wildcard

- name: Show the CNAME records to create at the DNS provider
  ansible.builtin.debug:
    msg: "{{ wildcard.certificate.validation_records }}"

- name: Change the certificate's tags (the Name tag stays name_tag)
  aws_intro.stack.acm_certificate_request:
    domain_name: example.com
    subject_alternative_names: [www.example.com]
    name_tag: mystack-site
    tags:
      Stack: mystack
      Owner: web-team
    purge_tags: true

- name: Delete the certificate (fails while a listener still uses it)
  aws_intro.stack.acm_certificate_request:
    domain_name: example.com
    subject_alternative_names: [www.example.com]
    name_tag: mystack-site
    state: absent
"""

RETURN = r"""
certificate:
  description:
    - The certificate after the change (predicted in check mode).
    - Empty when O(state=absent).
  returned: always
  type: complex
  contains:
    certificate_arn:
      description: ARN of the certificate; V(null) in check mode before it is requested.
      returned: when state is present
      type: str
      sample: arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012
    domain_name:
      description: The certificate's domain name.
      returned: when state is present
      type: str
      sample: example.com
    subject_alternative_names:
      description: All names of the certificate, O(domain_name) included, sorted.
      returned: when state is present
      type: list
      elements: str
      sample: ["example.com", "www.example.com"]
    key_algorithm:
      description: Algorithm of the key pair.
      returned: when state is present
      type: str
      sample: RSA_2048
    status:
      description: ACM status of the certificate.
      returned: when state is present
      type: str
      sample: ISSUED
    in_use_by:
      description: ARNs of the resources (listeners, distributions) that use the certificate.
      returned: when state is present
      type: list
      elements: str
      sample: ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"]
    not_after:
      description: End of the certificate's validity, once issued.
      returned: when state is present and the certificate is issued
      type: str
      sample: "2027-11-25T08:11:31+00:00"
    validation_records:
      description:
        - The distinct DNS records that prove control of the names (names under one domain share one).
        - Empty until ACM has made them (seconds after the request); always empty in check mode for a new request.
      returned: when state is present
      type: list
      elements: dict
      contains:
        name:
          description: Record name.
          type: str
          sample: _3639ac514e785e898d2646601fa951d5.example.com.
        type:
          description: Record type.
          type: str
          sample: CNAME
        value:
          description: Record value.
          type: str
          sample: _98d2646601fa951d53639ac514e785e8.abcdefghij.acm-validations.aws.
        domain_names:
          description: The certificate names this record validates.
          type: list
          elements: str
          sample: ["example.com", "*.example.com"]
        validation_status:
          description: ACM's validation status of the (first) name.
          type: str
          sample: PENDING_VALIDATION
    tags:
      description: Tags of the certificate.
      returned: when state is present
      type: dict
      sample: {"Name": "mystack-site", "Stack": "mystack"}
validation_records_changed:
  description: Whether validation records were written to O(validation_zone_id) (or would be, in check mode).
  returned: always
  type: bool
  sample: true
"""

import datetime
import hashlib
import re
import time
from copy import deepcopy

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.aws_intro.stack.plugins.module_utils.acm import (
    AnsibleACMError,
    delete_certificate,
    describe_certificate,
    get_certificate_tags,
    list_certificates,
    request_certificate,
    tag_certificate,
    untag_certificate,
    validation_records,
    wait_for_certificate,
)
from ansible_collections.aws_intro.stack.plugins.module_utils.modules import AnsibleStackAWSModule
from ansible_collections.aws_intro.stack.plugins.module_utils.route53 import (
    AnsibleRoute53Error,
    get_hosted_zone,
    get_record_sets,
    normalize_name,
    upsert_records,
)

# RFC 1123 host name labels, with one leading "*." allowed (a wildcard name).
DOMAIN_RE = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")


def check_names(domain_name, subject_alternative_names):
    """An error message for names ACM would reject, or None."""
    names = [domain_name, *subject_alternative_names]
    for name in names:
        if len(name) > 253 or not DOMAIN_RE.match(name.lower()):
            return (
                f"'{name}' is not a fully qualified domain name "
                "(labels of letters, digits and hyphens, optionally '*.' first)"
            )
    if len(set(n.lower() for n in names)) > 100:
        return "a certificate can have at most 100 names (domain_name and subject_alternative_names together)"
    return None


def wanted_names(domain_name, subject_alternative_names):
    return sorted(set(n.lower() for n in [domain_name, *subject_alternative_names]))


def idempotency_token(domain_name, names, key_algorithm, name_tag):
    """ACM treats repeated requests with the same token within an hour as one request."""
    seed = "|".join([domain_name.lower(), ",".join(names), key_algorithm, name_tag])
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]


def _iso(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def normalize_certificate(certificate, tags):
    result = {
        "certificate_arn": certificate.get("CertificateArn"),
        "domain_name": certificate.get("DomainName"),
        "subject_alternative_names": sorted(certificate.get("SubjectAlternativeNames") or []),
        "key_algorithm": certificate.get("KeyAlgorithm"),
        "status": certificate.get("Status"),
        "in_use_by": list(certificate.get("InUseBy") or []),
        "validation_records": validation_records(certificate),
        "tags": tags,
    }
    if certificate.get("NotAfter"):
        result["not_after"] = _iso(certificate["NotAfter"])
    if certificate.get("FailureReason"):
        result["failure_reason"] = certificate["FailureReason"]
    return result


def find_certificates(client, domain_name, names, key_algorithm, name_tag):
    """The live certificates with exactly these names, key algorithm and Name tag, issued ones first."""
    found = []
    for summary in list_certificates(client, key_algorithm):
        if summary.get("DomainName", "").lower() != domain_name.lower():
            continue
        certificate = describe_certificate(client, summary["CertificateArn"])
        if not certificate or certificate.get("Type") != "AMAZON_ISSUED":
            continue
        if wanted_names(certificate["DomainName"], certificate.get("SubjectAlternativeNames") or []) != names:
            continue
        if certificate.get("KeyAlgorithm") not in (None, key_algorithm):
            continue
        tags = get_certificate_tags(client, certificate["CertificateArn"])
        if tags.get("Name") != name_tag:
            continue
        found.append((certificate, tags))
    found.sort(key=lambda pair: (pair[0].get("Status") != "ISSUED", str(pair[0].get("CreatedAt", ""))))
    return found


def ensure_tags(client, current, desired_tags, purge_tags, check_mode):
    if desired_tags is None:
        return False, current
    to_set, to_unset = compare_aws_tags(current["tags"], desired_tags, purge_tags)
    if not to_set and not to_unset:
        return False, current
    predicted = deepcopy(current)
    for key in to_unset:
        predicted["tags"].pop(key, None)
    predicted["tags"].update(to_set)
    if not check_mode:
        untag_certificate(client, current["certificate_arn"], to_unset)
        tag_certificate(client, current["certificate_arn"], to_set)
    return True, predicted


def ensure_validation_records(route53, zone_id, records, ttl, check_mode):
    """UPSERT the validation CNAMEs that are missing or differ in the zone; (changed, zone name)."""
    zone = (get_hosted_zone(route53, zone_id) or {}).get("HostedZone")
    if zone is None:
        raise AnsibleACMError(message=f"validation_zone_id {zone_id}: no such hosted zone")
    if zone.get("Config", {}).get("PrivateZone"):
        raise AnsibleACMError(
            message=f"validation_zone_id {zone_id} is a private zone; ACM validates through public DNS"
        )
    zone_name = normalize_name(zone["Name"])
    outside = [
        r["name"] for r in records
        if normalize_name(r["name"]) != zone_name and not normalize_name(r["name"]).endswith("." + zone_name)
    ]
    if outside:
        raise AnsibleACMError(
            message=f"validation records {outside} are outside zone {zone_name} (validation_zone_id {zone_id})"
        )
    to_write = []
    for record in records:
        existing = get_record_sets(route53, zone_id, record["name"], record["type"])
        values = [v["Value"].rstrip(".").lower() for r in existing for v in r.get("ResourceRecords", [])]
        if values != [record["value"].rstrip(".").lower()]:
            to_write.append(record)
    if to_write and not check_mode:
        upsert_records(route53, zone_id, to_write, ttl, "ACM DNS validation (aws_intro.stack.acm_certificate_request)")
    return bool(to_write)


def ensure_present(module, client, route53, params, found, check_mode):
    names = wanted_names(params["domain_name"], params["subject_alternative_names"])
    desired_tags = dict(params["tags"] or {})
    desired_tags["Name"] = params["name_tag"]
    deadline = time.monotonic() + params["wait_timeout"]
    changed = False

    if found:
        certificate, tags = found[0]
        current = normalize_certificate(certificate, tags)
    else:
        changed = True
        if check_mode:
            current = {
                "certificate_arn": None,
                "domain_name": params["domain_name"],
                "subject_alternative_names": names,
                "key_algorithm": params["key_algorithm"],
                "status": "PENDING_VALIDATION",
                "in_use_by": [],
                "validation_records": [],
                "tags": desired_tags,
            }
            return True, current, params["validation_zone_id"] is not None
        arn = request_certificate(
            client,
            params["domain_name"],
            [n for n in names if n != params["domain_name"].lower()],
            params["key_algorithm"],
            idempotency_token(params["domain_name"], names, params["key_algorithm"], params["name_tag"]),
            desired_tags,
        )
        # ACM adds the validation records a few seconds after the request.
        certificate = wait_for_certificate(client, arn, deadline, "the validation records")
        current = normalize_certificate(certificate, get_certificate_tags(client, arn))

    tags_changed, current = ensure_tags(
        client, current, desired_tags if params["tags"] is not None else None, params["purge_tags"], check_mode
    )
    changed |= tags_changed

    records_changed = False
    if params["validation_zone_id"]:
        if not current["validation_records"] and not check_mode:
            certificate = wait_for_certificate(client, current["certificate_arn"], deadline, "the validation records")
            current["validation_records"] = validation_records(certificate)
        records_changed = ensure_validation_records(
            route53, params["validation_zone_id"], current["validation_records"], params["validation_record_ttl"],
            check_mode,
        )
        changed |= records_changed

    if params["wait"] and not check_mode and current["status"] != "ISSUED":
        wait_for_certificate(client, current["certificate_arn"], deadline, "the issue")

    return changed, current, records_changed


def ensure_absent(client, found, check_mode):
    if not found:
        return False
    in_use = {c["CertificateArn"]: c["InUseBy"] for c, _tags in found if c.get("InUseBy")}
    if in_use:
        details = "; ".join(f"{arn} by {', '.join(users)}" for arn, users in in_use.items())
        raise AnsibleACMError(
            message=f"cannot delete a certificate that is in use: {details}. Remove it from those resources first."
        )
    if not check_mode:
        for certificate, _tags in found:
            delete_certificate(client, certificate["CertificateArn"])
    return True


def settled(changed, current, wait):
    """Whether the certificate as read before is the result: nothing was sent to ACM or Route 53 and nothing was
    awaited (no ``wait``, or ACM had issued it already). Reading it again would repeat DescribeCertificate and
    ListTagsForCertificate."""
    return not changed and (not wait or current.get("status") == "ISSUED")


def main():
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        domain_name=dict(type="str", required=True),
        subject_alternative_names=dict(type="list", elements="str", default=[], aliases=["sans"]),
        key_algorithm=dict(type="str", choices=["RSA_2048", "EC_prime256v1", "EC_secp384r1"], default="RSA_2048"),
        name_tag=dict(type="str", required=True),
        validation_zone_id=dict(type="str"),
        validation_record_ttl=dict(type="int", default=300),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleStackAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params)
    if params["validation_zone_id"]:
        params["validation_zone_id"] = params["validation_zone_id"].replace("/hostedzone/", "")

    problem = check_names(params["domain_name"], params["subject_alternative_names"])
    if problem:
        module.fail_json(msg=f"domain_name/subject_alternative_names: {problem}")
    if params["wait_timeout"] < 0:
        module.fail_json(msg="wait_timeout must not be negative")

    client = module.client("acm", retry_decorator=AWSRetry.jittered_backoff())
    route53 = None
    if params["validation_zone_id"]:
        route53 = module.client("route53", retry_decorator=AWSRetry.jittered_backoff())
    names = wanted_names(params["domain_name"], params["subject_alternative_names"])
    records_changed = False
    try:
        found = find_certificates(client, params["domain_name"], names, params["key_algorithm"], params["name_tag"])
        before = normalize_certificate(*found[0]) if found else {}
        if params["state"] == "absent":
            changed = ensure_absent(client, found, module.check_mode)
            after = {}
        else:
            changed, after, records_changed = ensure_present(module, client, route53, params, found, module.check_mode)
            if not module.check_mode and not settled(changed, after, params["wait"]):
                arn = after["certificate_arn"]
                after = normalize_certificate(describe_certificate(client, arn), get_certificate_tags(client, arn))
    except (AnsibleACMError, AnsibleRoute53Error) as e:
        module.fail_json_aws_error(e)

    result = {"changed": changed, "certificate": after, "validation_records_changed": records_changed}
    if module._diff:
        result["diff"] = {"before": before, "after": after}
    module.exit_json(**result)


if __name__ == "__main__":
    main()
