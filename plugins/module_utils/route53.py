# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Route 53 calls (hosted zones, record sets) of the acm_certificate_request and route53_domain modules.

One error handler for the service (Route53ErrorHandler, raising AnsibleRoute53Error); every call is retried with
AWSRetry.jittered_backoff(), PriorRequestNotComplete too. A hosted zone that does not exist reads as None.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Route 53 answers PriorRequestNotComplete while it still processes an earlier request (ChangeResourceRecordSets).
ROUTE53_BUSY = ["PriorRequestNotComplete"]


class AnsibleRoute53Error(AnsibleAWSError):
    pass


class Route53ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchHostedZone")


@Route53ErrorHandler.list_error_handler("get hosted zone")
@AWSRetry.jittered_backoff(catch_extra_error_codes=ROUTE53_BUSY)
def get_hosted_zone(client, zone_id):
    """GetHostedZone's answer (HostedZone, and DelegationSet for a public zone), or None when there is no such zone."""
    zone = client.get_hosted_zone(Id=zone_id)
    zone.pop("ResponseMetadata", None)
    return zone


@Route53ErrorHandler.list_error_handler("list resource record sets", [])
@AWSRetry.jittered_backoff(catch_extra_error_codes=ROUTE53_BUSY)
def get_record_sets(client, zone_id, name, record_type):
    """The record sets of exactly NAME and TYPE: one for simple routing, several with a routing policy.

    ListResourceRecordSets lists the zone in its order from StartRecordName and StartRecordType, so the pages
    are read until a record set of another name or type comes (the sets of one name and type may span pages:
    IsTruncated, NextRecordName, NextRecordType, NextRecordIdentifier).
    """
    wanted = (normalize_name(name), record_type)
    found = []
    pages = client.get_paginator("list_resource_record_sets").paginate(
        HostedZoneId=zone_id, StartRecordName=name, StartRecordType=record_type, PaginationConfig={"PageSize": 10}
    )
    for page in pages:
        for record in page["ResourceRecordSets"]:
            if (normalize_name(record["Name"]), record["Type"]) != wanted:
                return found
            found.append(record)
    return found


@Route53ErrorHandler.common_error_handler("change resource record sets")
@AWSRetry.jittered_backoff(catch_extra_error_codes=ROUTE53_BUSY)
def upsert_records(client, zone_id, records, ttl, comment):
    changes = [
        {
            "Action": "UPSERT",
            "ResourceRecordSet": {
                "Name": record["name"],
                "Type": record["type"],
                "TTL": ttl,
                "ResourceRecords": [{"Value": record["value"]}],
            },
        }
        for record in records
    ]
    return client.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Comment": comment, "Changes": changes}
    )["ChangeInfo"]


def normalize_name(name):
    """DNS names compare without case and without the final dot; Route 53 escapes '*' as \\052."""
    return name.replace("\\052", "*").rstrip(".").lower()
