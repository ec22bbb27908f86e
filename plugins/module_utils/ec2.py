# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon EC2 calls of the ec2_instance_type_offerings_info module: which instance types a region, or its
availability zones, offer (DescribeInstanceTypeOfferings), checked before anything is made.

Every call pages to the end and is wrapped by an error handler (AnsibleEC2Error) and
AWSRetry.jittered_backoff().
"""

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleEC2Error(AnsibleAWSError):
    pass


class EC2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEC2Error


@EC2ErrorHandler.common_error_handler("describe instance type offerings")
@AWSRetry.jittered_backoff()
def describe_instance_type_offerings(client, location_type, instance_types, locations=None):
    filters = [{"Name": "instance-type", "Values": list(instance_types)}]
    if locations:
        filters.append({"Name": "location", "Values": list(locations)})
    paginator = client.get_paginator("describe_instance_type_offerings")
    return paginator.paginate(LocationType=location_type, Filters=filters).build_full_result()["InstanceTypeOfferings"]


def offered_locations(offerings, instance_types):
    """{instance type: sorted locations that offer it} for every asked type (an empty list: offered nowhere)."""
    found = dict((instance_type, set()) for instance_type in instance_types)
    for offering in offerings:
        found.setdefault(offering["InstanceType"], set()).add(offering["Location"])
    return dict((instance_type, sorted(locations)) for instance_type, locations in found.items())


def not_offered(offered, locations=None):
    """The instance types offered nowhere, or, when locations are given, missing from one of them."""
    wanted = set(locations or [])
    return sorted(t for t, where in offered.items() if not where or not wanted.issubset(where))
