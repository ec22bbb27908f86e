"""playbooks/cloud.yml checks every cloud role's settings before its first change: a bad setting of
the last role fails the run with a message naming the variable, after no mutating AWS call (only the
read-only checks: the region, the EC2 instance types, the RDS instance class). The whole table is
`python -m tests.integration.bad_inputs`; these are a share of it, one or more per role."""

from __future__ import annotations

import pytest

from tests.integration.bad_inputs import CI_CASES, try_case


@pytest.mark.parametrize(("variable", "extra_vars"), CI_CASES, ids=[f"{v}={list(e.values())[-1]}" for v, e in CI_CASES])
def test_a_bad_setting_is_refused_before_any_change(emulator, variable, extra_vars):
    seen = try_case(emulator, extra_vars)
    assert seen["rc"] != 0, seen["stdout"][-3000:]
    assert seen["writes"] == {}, seen["writes"]
    assert variable in seen["message"], seen["stdout"][-3000:]
