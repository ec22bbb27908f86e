"""Every resource name is built once, in the role that owns the resource, and published in <role>_outputs;
the other roles (and the report) read it there. The proof, without AWS: each name's suffix is appended to
stack_name (`stack_name ~ '<suffix>'` or `{{ stack_name }}<suffix>`) in exactly one place under roles/
and playbooks/, the owner's vars/main.yml (or defaults/main.yml where users may set the name).

Only the files Ansible evaluates are searched (YAML and Jinja templates): READMEs and meta/argument_specs.yml
document the defaults without building anything. A suffix counts only as the end of a name (a quote or a
backtick follows), so `stack_name ~ '-cache-auth-token'` (another name) is not the cache's `-cache`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEARCHED = ("roles", "playbooks")

# (suffix, resource, owner file). One row per resource; `-web` ends two names of two roles' resources.
OWNERS = [
    ("-vpc", "the VPC's Name tag", "roles/network/vars/main.yml"),
    ("-alb", "the application load balancer", "roles/network/vars/main.yml"),
    ("-web", "the web target group", "roles/network/vars/main.yml"),
    ("-web", "the web instances' IAM role and instance profile", "roles/storage/vars/main.yml"),
    ("-db", "the RDS instance", "roles/database/vars/main.yml"),
    ("-cache", "the ElastiCache replication group", "roles/cache/vars/main.yml"),
    ("-site", "the ACM certificate's Name tag", "roles/dns/vars/main.yml"),
    ("-smtp", "the SMTP IAM user", "roles/mail/defaults/main.yml"),
    ("-alarm-", "the prefix of the alarms", "roles/monitoring/vars/main.yml"),
    ("-alarms", "the alarms' SNS topic", "roles/monitoring/vars/main.yml"),
]
SUFFIXES = sorted({suffix for suffix, _resource, _owner in OWNERS})


def evaluated_files() -> list[Path]:
    files = []
    for top in SEARCHED:
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if (path.is_file() and path.suffix in {".yml", ".yaml", ".j2"}
                    and "/meta/" not in relative):
                files.append(path)
    return files


def name_pattern(suffix: str) -> re.Pattern:
    """stack_name ~ '<suffix>' or {{ stack_name }}<suffix>, the suffix ending the name (a quote or backtick follows)."""
    return re.compile(r"(?:stack_name\s*~\s*'|\{\{-?\s*stack_name\s*-?\}\})" + re.escape(suffix) + r"""(?=['"`])""")


def builds(suffix: str) -> dict[str, int]:
    """{file: number of places} where stack_name gets `suffix` as the end of a name."""
    pattern = name_pattern(suffix)
    found = {}
    for path in evaluated_files():
        count = len(pattern.findall(path.read_text()))
        if count:
            found[path.relative_to(ROOT).as_posix()] = count
    return found


def test_the_search_reads_the_roles():
    searched = {path.relative_to(ROOT).as_posix() for path in evaluated_files()}
    assert {owner for _suffix, _resource, owner in OWNERS} <= searched
    assert "roles/report/vars/main.yml" in searched


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_each_name_is_built_once_by_its_owner(suffix):
    owners = {owner for name_suffix, _resource, owner in OWNERS if name_suffix == suffix}
    assert builds(suffix) == dict.fromkeys(owners, 1), (
        f"stack_name ~ '{suffix}' is built outside its owner {sorted(owners)}: read the name from the owner's"
        " <role>_outputs instead")


def test_the_pattern_finds_both_spellings_and_only_whole_suffixes():
    pattern = name_pattern("-cache")
    assert pattern.search('x: "{{ stack_name }}-cache"')
    assert pattern.search("x: \"{{ stack_name ~ '-cache' }}\"")
    assert not pattern.search("x: \"{{ stack_name ~ '-cache-auth-token' }}\"")
    assert not pattern.search('x: "{{ stack_name }}-cache-{{ item }}"')
