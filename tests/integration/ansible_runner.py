"""Run the collection's playbooks as a user would (ansible-playbook in a subprocess) and read
back what they did: the PLAY RECAP counts and the facts a playbook wrote to a JSON file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
_RECAP = re.compile(
    r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)"
    r"\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)",
    re.MULTILINE,
)


@dataclass
class PlayResult:
    rc: int
    stdout: str
    recap: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)

    def count(self, key: str, host: str = "localhost") -> int:
        return int(self.recap[host][key])

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def failed(self) -> int:
        return self.count("failed")

    def changed_tasks(self) -> list[str]:
        """Names of the tasks that reported a change (for readable assertion messages)."""
        tasks, current = [], None
        for line in self.stdout.splitlines():
            if line.startswith("TASK ["):
                current = line[6:].split("]")[0]
            elif line.startswith("changed:") and current:
                tasks.append(current)
        return tasks


def handler_results(stdout: str, name: str) -> list[str]:
    """The result lines ("changed: [i-...]") of every run of the handler or task called `name`."""
    results, inside = [], False
    for line in stdout.splitlines():
        if line.startswith(("TASK [", "RUNNING HANDLER [")):
            inside = name in line
        elif inside and re.match(r"^(ok|changed|skipping|failed|fatal): \[", line):
            results.append(line)
    return results


def ansible_env(extra: dict | None = None) -> dict:
    bindir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": os.pathsep.join([bindir, os.environ.get("PATH", "")]),
        "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"),
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        **(extra or {}),
    }


def run_playbook(playbook: str | Path, env: dict, extra_vars: dict | None = None, check: bool = False,
                 inventory: str = "inventories/local", args: tuple[str, ...] = ()) -> PlayResult:
    """ansible-playbook PLAYBOOK from the repository root; extra_vars go in as JSON."""
    path = Path(playbook)
    if not path.is_absolute():
        path = PLAYBOOKS / path if (PLAYBOOKS / path).exists() else REPO / path
    with tempfile.TemporaryDirectory() as tmp:
        outputs_file = Path(tmp) / "outputs.json"
        variables = {"test_outputs_file": str(outputs_file), **(extra_vars or {})}
        command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", inventory,
                   "-e", json.dumps(variables), str(path), *args]
        if check:
            command += ["--check", "--diff"]
        proc = subprocess.run(command, cwd=REPO, env=ansible_env(env), capture_output=True, text=True,
                              timeout=1200, check=False)
        stdout = proc.stdout + proc.stderr
        recap = {m["host"]: m.groupdict() for m in _RECAP.finditer(stdout)}
        outputs = json.loads(outputs_file.read_text()) if outputs_file.exists() else {}
    return PlayResult(rc=proc.returncode, stdout=stdout, recap=recap, outputs=outputs)
