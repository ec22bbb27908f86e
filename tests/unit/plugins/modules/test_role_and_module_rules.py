"""The input rules a role checks in its tasks/validate.yml and a module checks again are the same rules.

Both must stay: a role's checks run before the play's first change (the cache role's before the network and the
database are made, tests/integration/test_validate_first.py), a module's guard its own callers. So the role's
patterns are held equal here to the module's, the way test_ses_smtp_credentials.py holds the mail role's SMTP
regions to module_utils/ses.py's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ansible_collections.aws_intro.stack.plugins.modules import acm_certificate_request as acm_module
from ansible_collections.aws_intro.stack.plugins.modules import elasticache_replication_group as erg
from ansible_collections.aws_intro.stack.plugins.modules import route53_domain as domain_module

REPO = Path(__file__).resolve().parents[4]
MATCH = re.compile(r"""is match\('((?:[^'\\]|\\.)*)'\)""")


def role_patterns(role, check):
    """The match() patterns of one rule of a role's tasks/validate.yml (in its rules table, `__<role>_rules`), or
    of one of that task's variables when `check` names it (a rule over a list reads the items it finds bad)."""
    tasks = yaml.safe_load((REPO / "roles" / role / "tasks" / "validate.yml").read_text())
    variables = {name: value for task in tasks for name, value in task.get("vars", {}).items()}
    if check in variables:
        return MATCH.findall(variables[check])
    (rule,) = [rule for rule in variables[f"__{role}_rules"] if rule["check"] == check]
    return MATCH.findall(rule["ok"])


@pytest.mark.parametrize(
    ("role", "check", "pattern"),
    [
        pytest.param("cache", "cache_snapshot_window is hh24:mi-hh24:mi", erg.SNAPSHOT_WINDOW.pattern,
                     id="cache-snapshot-window"),
        pytest.param("cache", "cache_maintenance_window is ddd:hh24:mi-ddd:hh24:mi",
                     erg.MAINTENANCE_WINDOW.pattern, id="cache-maintenance-window"),
        pytest.param("dns", "__dns_bad_extra_names", acm_module.DOMAIN_RE.pattern,
                     id="certificate-names"),
        pytest.param("dns", "stack_domain is a domain name", domain_module.DOMAIN_RE.pattern,
                     id="domain-name"),
    ],
)
def test_the_role_checks_the_pattern_the_module_checks(role, check, pattern):
    assert role_patterns(role, check) == [pattern]


def _retention_errors(days):
    params = dict.fromkeys(("engine_version", "replicas_per_node_group", "num_node_groups", "cluster_mode",
                             "automatic_failover", "multi_az", "auth_token", "transit_encryption",
                             "auth_token_update_strategy", "snapshot_window", "preferred_maintenance_window"))
    params.update(replication_group_id="x", state="present", description="d", snapshot_retention_limit=days)
    return erg.validate(params, partial=True)


def test_the_cache_role_allows_the_replicas_and_retention_the_module_allows():
    text = (REPO / "roles/cache/tasks/validate.yml").read_text()
    assert f"cache_replicas_per_node_group | int <= {erg.MAX_REPLICAS}" in text
    assert "cache_snapshot_retention_limit | int <= 35" in text
    assert _retention_errors(35) == []
    assert _retention_errors(36) == ["snapshot_retention_limit must be 0 to 35 days, got 36"]
