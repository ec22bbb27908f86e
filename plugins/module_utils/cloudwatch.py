# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CloudWatch dashboard API calls (GetDashboard, ListDashboards, PutDashboard, DeleteDashboards) and the
helpers that compare dashboard bodies by meaning rather than by text.

Every call is retried with AWSRetry.jittered_backoff() and wrapped by an error handler that
raises AnsibleCloudWatchError; a read of a dashboard that does not exist returns None.
"""

import contextlib
import json

with contextlib.suppress(ImportError):  # modules report a missing botocore themselves
    import botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class DashboardValidationError(AnsibleCloudWatchError):
    """AWS rejected a dashboard body; ``validation_messages`` holds what it said about it."""

    def __init__(self, message=None, exception=None, validation_messages=None, **kwargs):
        super(DashboardValidationError, self).__init__(message=message, exception=exception, **kwargs)
        self.validation_messages = validation_messages or []


class CloudWatchErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFound")


def normalize_validation_messages(messages):
    """[{"DataPath": ..., "Message": ...}] -> [{"data_path": ..., "message": ...}]"""
    return [{"data_path": m.get("DataPath", ""), "message": m.get("Message", "")} for m in messages or []]


def format_validation_messages(messages):
    """One readable line per message: "/widgets/0/type: Should be equal to one of ..."."""
    return "; ".join(
        "{0}: {1}".format(m["data_path"], m["message"]) if m["data_path"] else m["message"] for m in messages
    )


def parse_body(body):
    """A dashboard body given as a JSON string or a structure -> the structure."""
    if isinstance(body, (dict, list)):
        return body
    return json.loads(body)


def canonical_body(body):
    """The JSON text PutDashboard is sent: keys sorted, no insignificant whitespace.

    Sending one canonical form keeps what AWS stores stable from run to run.
    """
    return json.dumps(parse_body(body), sort_keys=True, separators=(",", ":"))


def bodies_equal(current, desired):
    """True when two bodies mean the same dashboard (key order and whitespace do not matter)."""
    if current is None or desired is None:
        return current is desired
    return parse_body(current) == parse_body(desired)


def normalize_dashboard(dashboard):
    """GetDashboard's answer -> the module's snake_case result, with the body parsed."""
    if dashboard is None:
        return None
    body = dashboard.get("DashboardBody")
    try:
        parsed = parse_body(body) if body is not None else None
    except ValueError:
        parsed = body  # not JSON (AWS never stores that); hand it back as text
    return {
        "dashboard_name": dashboard.get("DashboardName"),
        "dashboard_arn": dashboard.get("DashboardArn"),
        "dashboard_body": parsed,
    }


@CloudWatchErrorHandler.list_error_handler("get dashboard")
@AWSRetry.jittered_backoff()
def get_dashboard(client, name):
    return client.get_dashboard(DashboardName=name)


@CloudWatchErrorHandler.list_error_handler("list dashboards", [])
@AWSRetry.jittered_backoff()
def list_dashboards(client, name_prefix=None):
    """ListDashboards (every page), optionally only the names that begin with name_prefix."""
    kwargs = {"DashboardNamePrefix": name_prefix} if name_prefix else {}
    return client.get_paginator("list_dashboards").paginate(**kwargs).build_full_result().get("DashboardEntries", [])


def normalize_dashboard_entry(entry):
    """A ListDashboards entry -> snake_case, without the body (ListDashboards returns none)."""
    modified = entry.get("LastModified")
    return {
        "dashboard_name": entry.get("DashboardName"),
        "dashboard_arn": entry.get("DashboardArn"),
        "size": entry.get("Size"),
        "last_modified": modified.isoformat() if hasattr(modified, "isoformat") else modified,
    }


def _validation_messages_of(error):
    """The validation messages of a PutDashboard error (DashboardInvalidInputError)."""
    response = getattr(error, "response", None) or {}
    messages = response.get("dashboardValidationMessages") or response.get("DashboardValidationMessages")
    if not messages:
        messages = (response.get("Error") or {}).get("dashboardValidationMessages") or []
    return normalize_validation_messages(messages)


@AWSRetry.jittered_backoff()
def _put_dashboard(client, name, body):
    return client.put_dashboard(DashboardName=name, DashboardBody=body)


def put_dashboard(client, name, body):
    """PutDashboard; returns the validation messages of an accepted body (warnings).

    A rejected body raises DashboardValidationError carrying AWS's validation messages.
    """
    try:
        response = _put_dashboard(client, name, canonical_body(body))
    except botocore.exceptions.ClientError as e:
        if e.response.get("Error", {}).get("Code") in ("InvalidParameterInput", "DashboardInvalidInputError"):
            messages = _validation_messages_of(e)
            detail = format_validation_messages(messages) or e.response.get("Error", {}).get("Message", "")
            raise DashboardValidationError(
                message="AWS rejected the body of dashboard {0}: {1}".format(name, detail),
                exception=e,
                validation_messages=messages,
            ) from e
        raise AnsibleCloudWatchError(message="Failed to put dashboard", exception=e) from e
    except botocore.exceptions.BotoCoreError as e:
        raise AnsibleCloudWatchError(message="Failed to put dashboard", exception=e) from e
    return normalize_validation_messages(response.get("DashboardValidationMessages"))


@CloudWatchErrorHandler.deletion_error_handler("delete dashboard")
@AWSRetry.jittered_backoff()
def delete_dashboard(client, name):
    client.delete_dashboards(DashboardNames=[name])
    return True
