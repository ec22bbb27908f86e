# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Read-only calls that tell what a region offers: EC2 instance types (DescribeInstanceTypeOfferings)
and RDS DB instance classes (DescribeOrderableDBInstanceOptions), for the *_info modules that check a
stack's settings before anything is made.

Every call pages to the end (both APIs page; DescribeOrderableDBInstanceOptions returns one entry per
class, version, license and storage type, hundreds for an engine) and is wrapped by an error handler
(AnsibleOfferingsError) and AWSRetry.jittered_backoff().
"""

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleOfferingsError(AnsibleAWSError):
    pass


class OfferingsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleOfferingsError


@OfferingsErrorHandler.common_error_handler("describe instance type offerings")
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


@OfferingsErrorHandler.common_error_handler("describe orderable DB instance options")
@AWSRetry.jittered_backoff()
def describe_orderable_db_instance_options(client, engine, engine_version=None, instance_class=None):
    params = {"Engine": engine, "Vpc": True}
    if engine_version:
        params["EngineVersion"] = engine_version
    if instance_class:
        params["DBInstanceClass"] = instance_class
    paginator = client.get_paginator("describe_orderable_db_instance_options")
    return paginator.paginate(**params).build_full_result()["OrderableDBInstanceOptions"]


def normalize_orderable_option(option):
    """The parts of an OrderableDBInstanceOption a stack's settings are checked against, snake_cased."""
    return {
        "engine": option.get("Engine"),
        "engine_version": option.get("EngineVersion"),
        "db_instance_class": option.get("DBInstanceClass"),
        "license_model": option.get("LicenseModel"),
        "storage_type": option.get("StorageType"),
        "availability_zones": sorted(zone.get("Name") for zone in option.get("AvailabilityZones", [])),
        "multi_az_capable": bool(option.get("MultiAZCapable")),
        "supports_storage_encryption": bool(option.get("SupportsStorageEncryption")),
    }
