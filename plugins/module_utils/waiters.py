# -*- coding: utf-8 -*-

# Copyright: aws_intro.stack contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Waiters of this collection's modules, built the way amazon.aws's module_utils/waiters.py builds its own.

A waiter is botocore's: a waiter model (a dict of the form botocore keeps in ``<service>/*/waiters-2.json``)
turned into a ``botocore.waiter.Waiter`` bound to one client. botocore's own model is used where one fits
(``botocore_waiter``, optionally with acceptors of ours before or after its own); where botocore has none, the
model is this collection's (``custom_waiter``, the models live next to the service's calls in
``module_utils/<service>.py``).

The operation the waiter polls goes through ``AWSRetry.jittered_backoff()`` with ``JSON_THROTTLED`` (the
JSON-protocol services' ThrottlingException next to the query protocol's Throttling), so a throttled poll is
retried like every other call of the collection instead of ending the wait.

A wait that times out or ends in a failure state raises ``botocore.exceptions.WaiterError``; the service
helpers catch it and raise their own error (with the WaiterError as its ``exception``), which the modules
hand to ``module.fail_json_aws_error`` (that is ``fail_json_aws``).
"""

import contextlib

with contextlib.suppress(ImportError):  # modules report a missing botocore themselves
    import botocore.waiter as core_waiter
    from botocore import xform_name

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry, RetryingBotoClientWrapper
from ansible_collections.aws_intro.stack.plugins.module_utils.common import JSON_THROTTLED


class _Polled:
    """The operation a waiter polls: the client method retried on throttling (AWSRetry), answering an error as the
    waiter expects it (the error response instead of a raised ClientError), its last answer kept."""

    def __init__(self, client, operation):
        if isinstance(client, RetryingBotoClientWrapper):
            client = client.client
        method = getattr(client, xform_name(operation))
        retrying = AWSRetry.jittered_backoff(catch_extra_error_codes=JSON_THROTTLED)(method)
        self._operation = core_waiter.NormalizedOperationMethod(retrying)
        self.last_response = None

    def __call__(self, **kwargs):
        self.last_response = self._operation(**kwargs)
        return self.last_response


def custom_waiter(client, name, config):
    """A waiter on ``client`` from one waiter model entry ``config`` (operation, delay, maxAttempts, acceptors)."""
    model = core_waiter.WaiterModel({"version": 2, "waiters": {name: config}})
    polled = _Polled(client, config["operation"])
    waiter = core_waiter.Waiter(name, model.get_waiter(name), polled)
    waiter.polled = polled
    return waiter


def _acceptor(acceptor):
    entry = {"state": acceptor.state, "matcher": acceptor.matcher, "expected": acceptor.expected}
    if acceptor.argument is not None:
        entry["argument"] = acceptor.argument
    return entry


def botocore_waiter(client, waiter_name, before=(), after=()):
    """botocore's own waiter ``waiter_name`` (snake_case, as ``client.get_waiter`` takes it), polled through
    AWSRetry, with the acceptors ``before`` checked ahead of botocore's and ``after`` behind them."""
    if isinstance(client, RetryingBotoClientWrapper):
        client = client.client
    own = client.get_waiter(waiter_name)
    config = {
        "operation": own.config.operation,
        "delay": own.config.delay,
        "maxAttempts": own.config.max_attempts,
        "acceptors": [*before, *(_acceptor(a) for a in own.config.acceptors), *after],
    }
    return custom_waiter(client, own.name, config)


def waiter_config(timeout, delay):
    """``WaiterConfig`` of a wait that polls at once and then every ``delay`` seconds for ``timeout`` seconds."""
    timeout = max(int(timeout), 0)
    return {"Delay": delay, "MaxAttempts": timeout // delay + 1}


def timed_out(error):
    """True when a WaiterError means the attempts ran out (not a failure state or an error answer)."""
    return "Max attempts exceeded" in str(getattr(error, "kwargs", {}).get("reason", error))


def wait(waiter, timeout, delay, **params):
    """``waiter.wait(**params)`` polling at once and every ``delay`` seconds for ``timeout`` seconds; returns the
    last answer of the polled operation (the resource as the wait last saw it). Raises botocore's WaiterError."""
    waiter.wait(WaiterConfig=waiter_config(timeout, delay), **params)
    return waiter.polled.last_response


def last_error_code(error):
    """The error code of the answer that ended a wait (WaiterError), or None."""
    return ((getattr(error, "last_response", None) or {}).get("Error") or {}).get("Code")
