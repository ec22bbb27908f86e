"""strategy_plugins/aws_intro_linear.py under Mitogen: an async task of a collection module finishes. Mitogen 0.3.54
detaches an async job's child before the module runs; the plan now lists the collection modules the module imports,
so the child imports them while it can still ask the controller for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

pytest.importorskip("ansible_mitogen.planner", reason="Mitogen for Ansible is not installed")

ROOT = Path(__file__).resolve().parents[3]
AMAZON_AWS = Path(pytest.importorskip("ansible_collections.amazon.aws").__path__[0])
ROUTE_TABLE_MODULE = AMAZON_AWS / "plugins" / "modules" / "ec2_vpc_route_table.py"
ROOTS = [str(AMAZON_AWS.parents[2])]


def test_the_collection_imports_of_a_module_are_found_through_its_module_utils(plugin):
    found = plugin.collection_imports(str(ROUTE_TABLE_MODULE), ROOTS)
    # Imported by the module itself, and by module_utils.ec2 with relative imports (`from .botocore import ...`)
    # that the module does not name.
    for name in ("ansible_collections.amazon.aws.plugins.module_utils.ec2",
                 "ansible_collections.amazon.aws.plugins.module_utils.botocore",
                 "ansible_collections.amazon.aws.plugins.module_utils.retries"):
        assert name in found, found
    # Names only of files that exist (not the classes a `from ... import` names).
    assert "ansible_collections.amazon.aws.plugins.module_utils.ec2.AnsibleEC2Error" not in found
    assert len(found) == len(set(found))


def planner(plugin, monkeypatch, wrap_async: bool):
    monkeypatch.setattr(plugin, "MITOGENS_MODULE_MAP", lambda self: {
        "builtin": ["ansible.module_utils.basic"], "custom": []})
    monkeypatch.setattr(plugin, "collection_roots", lambda: ROOTS)
    return SimpleNamespace(_inv=SimpleNamespace(wrap_async=wrap_async, module_path=str(ROUTE_TABLE_MODULE)),
                           _module_map=None)


def test_an_async_task_plans_the_collection_imports_after_mitogens_own(plugin, monkeypatch):
    task = planner(plugin, monkeypatch, wrap_async=True)
    module_map = plugin.get_module_map(task)
    assert module_map["builtin"][0] == "ansible.module_utils.basic"
    assert "ansible_collections.amazon.aws.plugins.module_utils.ec2" in module_map["builtin"]
    assert module_map["custom"] == []
    # Kept on the planner, as Mitogen keeps its own: a second call returns it without scanning again.
    assert task._module_map is module_map
    monkeypatch.setattr(plugin, "collection_imports", lambda *_: pytest.fail("scanned twice"))
    task.__dict__["_module_map"] = module_map
    monkeypatch.setattr(plugin, "MITOGENS_MODULE_MAP", lambda self: self._module_map)
    assert plugin.get_module_map(task) is module_map


def test_a_task_that_is_not_async_keeps_mitogens_plan(plugin, monkeypatch):
    task = planner(plugin, monkeypatch, wrap_async=False)
    assert plugin.get_module_map(task) == {"builtin": ["ansible.module_utils.basic"], "custom": []}


PLAY = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Start two jobs of a collection module (an endpoint nothing listens on, so each fails fast)
      amazon.aws.ec2_vpc_route_table_info:
        endpoint_url: http://127.0.0.1:9
        region: us-east-1
        access_key: testing
        secret_key: testing
      loop: [1, 2]
      async: 60
      poll: 0
      register: started
    - name: Await them
      ansible.builtin.async_status:
        jid: "{{ item.ansible_job_id }}"
      loop: "{{ started.results }}"
      register: done
      until: done is finished
      retries: 20
      delay: 1
      failed_when: false
    - name: Show what each job returned
      ansible.builtin.debug:
        msg: "{{ done.results | map(attribute='finished', default=0) | zip(done.results | map(attribute='msg')) }}"
"""


def test_an_async_collection_module_finishes_under_mitogen(tmp_path):
    """The whole path, in ansible-playbook: without the plan's collection imports the jobs never finish and
    async_status gives up after its retries."""
    (tmp_path / "play.yml").write_text(textwrap.dedent(PLAY))
    env = {**os.environ, "ANSIBLE_STRATEGY": "aws_intro_linear",
           "ANSIBLE_STRATEGY_PLUGINS": str(ROOT / "strategy_plugins"),
           "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json",
           "ANSIBLE_DEPRECATION_WARNINGS": "false", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-e",
                           f"ansible_python_interpreter={sys.executable}", str(tmp_path / "play.yml")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    play = json.loads(done.stdout[done.stdout.index("{"):])
    shown = play["plays"][0]["tasks"][-1]["hosts"]["localhost"]["msg"]
    assert [finished for finished, _ in shown] == [1, 1], shown
    # Each job ran the module to its end: botocore's own error for the endpoint, not Mitogen's timeout.
    assert all("Could not connect to the endpoint URL" in msg for _, msg in shown), shown
