"""Reading playbooks/report.yml's two files back, for the report's tests (test_report, test_site)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.diagram import parse, resources
from tests.integration.ansible_runner import run_playbook

TEST_INVENTORY = "tests/integration/inventory"
STACK = "sample"  # inventories/local/group_vars/all/stack.yml
PARTS = ["network", "storage", "database", "cache", "dns", "mail", "monitoring"]


def report(aws_env, report_dir: Path, *args: str, inventory: str = TEST_INVENTORY, **extra):
    return run_playbook("playbooks/report.yml", aws_env, inventory=inventory, args=args,
                        extra_vars={"report_dir": str(report_dir), **extra})


def files(report_dir: Path) -> tuple[str, str]:
    return ((report_dir / f"{STACK}-report.md").read_text(), (report_dir / f"{STACK}-diagram.svg").read_text())


def parts(markdown: str) -> dict[str, str]:
    """{part: 'present' or '*absent*'} from the report's Parts table."""
    return dict(re.findall(r"^\| (\w+) \| (present|\*absent\*) \|", markdown, re.MULTILINE))


def boxes(svg: str) -> dict[str, list[str]]:
    return resources(parse(svg))


def only_reads(recording) -> list[str]:
    """The calls of a recording that are not reads (should be none)."""
    return list(recording.writes())


def web_instance_ids(aws) -> list[str]:
    reservations = aws("ec2").describe_instances(Filters=[
        {"Name": "tag:Stack", "Values": [STACK]}, {"Name": "tag:Role", "Values": ["web"]},
        {"Name": "instance-state-name", "Values": ["running"]}])["Reservations"]
    return sorted(i["InstanceId"] for r in reservations for i in r["Instances"])
