"""Bad inputs to the cloud play, and what playbooks/cloud.yml does with each: it must refuse every one
before its first change to AWS, with a message that names the variable.

    python -m tests.integration.bad_inputs          # every case, each on a fresh emulator: prints the table

tests/integration/test_validate_first.py runs a share of the cases (CI_CASES) as tests.
"""

from __future__ import annotations

import argparse
import sys
import time

from local.emulator.recorder import Recording
from local.emulator.server import DEFAULT_REGION, MotoServer
from tests.integration.ansible_runner import run_playbook

INVENTORY = "tests/integration/inventory"

# (variable the message must name, extra vars). The whole cloud play runs, with no tag.
CASES: list[tuple[str, dict]] = [
    ("stack_region", {"stack_region": "Seoul"}),
    ("stack_region", {"stack_region": "xx-nowhere-1"}),
    ("stack_name", {"stack_name": "aws-stack"}),
    ("stack_name", {"stack_name": "Sample"}),
    ("stack_connection", {"stack_connection": "telnet"}),
    ("network_vpc_cidr", {"network_vpc_cidr": "10.0.0.0/33"}),
    ("network_vpc_cidr", {"network_vpc_cidr": "not-a-cidr"}),
    ("network_private_subnet_cidrs", {"network_private_subnet_cidrs": ["10.0.10.0/24"]}),
    ("network_web_instance_count", {"network_web_instance_count": 0}),
    ("network_ami_family", {"network_ami_family": "ubuntu"}),
    ("network_admin_cidrs", {"network_admin_cidrs": []}),
    ("network_key_type", {"network_key_type": "dsa"}),
    ("network_web_instance_type", {"network_web_instance_type": "db.t3.micro"}),
    ("network_web_instance_type", {"network_web_instance_type": "t3.micor"}),
    ("network_bastion_instance_type", {"network_bastion_instance_type": "t3.micor"}),
    ("network_app_port", {"network_app_port": 70000}),
    ("network_app_port", {"network_app_port": 80}),
    ("storage_bucket_name", {"storage_bucket_name": "Bad_Bucket"}),
    ("storage_kms_key_arn", {"storage_encryption": "aws:kms", "storage_kms_key_arn": "alias/mine"}),
    ("storage_noncurrent_version_expiration_days", {"storage_noncurrent_version_expiration_days": 0}),
    ("storage_role_name", {"storage_role_name": "bad role"}),
    ("database_instance_class", {"database_instance_class": "t3.micro"}),
    ("database_instance_class", {"database_instance_class": "db.t3.micor"}),
    ("database_engine_version", {"database_engine_version": "8.4.99"}),
    ("database_allocated_storage", {"database_allocated_storage": 10}),
    ("database_backup_window", {"database_backup_window": "25:00-26:00"}),
    ("database_maintenance_window", {"database_maintenance_window": "Sun:18:00-Sun:18:30"}),
    ("database_backup_retention_period", {"database_backup_retention_period": 0}),
    ("database_master_username", {"database_master_username": "root"}),
    ("database_password_length", {"database_password_length": 8}),
    ("database_cloudwatch_logs_exports", {"database_cloudwatch_logs_exports": ["audit2"]}),
    ("cache_node_type", {"cache_node_type": "t3.micro"}),
    ("cache_node_type", {"cache_node_type": "cache.t3.micor"}),
    ("cache_engine_version", {"cache_engine_version": "9.9"}),
    ("cache_replicas_per_node_group", {"cache_replicas_per_node_group": 6}),
    ("cache_snapshot_window", {"cache_snapshot_window": "late"}),
    ("cache_snapshot_retention_limit", {"cache_snapshot_retention_limit": 40}),
    ("stack_domain", {"stack_domain": "example.com"}),
    ("stack_domain", {"stack_domain": "shop.test"}),
    ("network_tls_policy", {"network_tls_policy": "TLS-1-0"}),
    ("network_certificate_arn", {"network_certificate_arn": "arn:aws:iam::123456789012:server-certificate/site"}),
    ("network_web_instance_profile", {"network_web_instance_profile": "no spaces allowed"}),
    ("mail_domain", {"mail_domain": "not a domain"}),
    ("monitoring_alarm_emails", {"monitoring_alarm_emails": ["not-an-address"]}),
    ("monitoring_alarm_period", {"monitoring_alarm_period": 7}),
]

# The cases test_validate_first.py runs in CI: one or more per role and every read-only check.
CI_CASES = [case for case in CASES if case[1] in (
    {"stack_region": "xx-nowhere-1"}, {"network_web_instance_type": "t3.micor"},
    {"network_app_port": 70000}, {"storage_bucket_name": "Bad_Bucket"},
    {"database_instance_class": "db.t3.micor"}, {"database_backup_retention_period": 0},
    {"cache_node_type": "cache.t3.micor"}, {"stack_domain": "example.com"},
    {"monitoring_alarm_period": 7})]


def try_case(moto: MotoServer, extra_vars: dict) -> dict:
    """Run the cloud play with one bad input on the emptied emulator; what it did."""
    moto.reset()
    with Recording(moto.url) as rec:
        result = run_playbook("playbooks/cloud.yml", moto.environ(DEFAULT_REGION), extra_vars=extra_vars,
                              inventory=INVENTORY)
    calls = rec.summary()["by_call"]
    writes = rec.writes()
    return {"rc": result.rc, "stdout": result.stdout, "message": failure(result.stdout),
            "reads": sum(calls.values()) - sum(writes.values()), "writes": writes}


# How ansible-core 2.19 prints a failed task: `fatal: [host]: FAILED!` for a task, `failed: [host] (item=...)`
# for a loop's item, and, for a loop, the whole error once more as `[ERROR]: Task failed: ...`.
_FAILED = ("fatal: [", "failed: [", "[ERROR]: Task failed")


def failure(stdout: str) -> str:
    """The text of the first failed task's result (from its first failure line to the next blank line)."""
    starts = [index for index in (stdout.find(marker) for marker in _FAILED) if index >= 0]
    if not starts:
        return ""
    start = min(starts)
    end = stdout.find("\n\n", start)
    return stdout[start:end if end > 0 else None]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.integration.bad_inputs", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variable", action="append", default=[],
                        help="only the cases of this variable (repeatable); default: every case")
    args = parser.parse_args(argv)
    cases = [case for case in CASES if not args.variable or case[0] in args.variable]
    refused = 0
    print(f"{'variable':45} {'value':32} {'refused':8} {'named':6} {'reads':6} writes  seconds")
    with MotoServer() as moto:
        for variable, extra in cases:
            start = time.monotonic()
            seen = try_case(moto, extra)
            named = variable in seen["message"]
            ok = seen["rc"] != 0 and not seen["writes"] and named
            refused += ok
            value = str(extra.get(variable, extra))[:32]
            print(f"{variable:45} {value:32} {'yes' if seen['rc'] else 'NO':8} "
                  f"{'yes' if named else 'NO':6} {seen['reads']:<6} "
                  f"{sum(seen['writes'].values()):<7} {time.monotonic() - start:.1f}")
    print(f"\n{refused} of {len(cases)} bad inputs refused before any change, naming the variable")
    return 0 if refused == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
