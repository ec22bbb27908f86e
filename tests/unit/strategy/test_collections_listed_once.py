"""strategy_plugins/aws_intro_linear.py under Mitogen: the installed collections are listed once per play, before
the task workers fork, and every module task gets the same paths Mitogen's own `_load_collections` gives it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

mitogen_planner = pytest.importorskip("ansible_mitogen.planner", reason="Mitogen for Ansible is not installed")

ROOT = Path(__file__).resolve().parents[3]
PLUGIN = ROOT / "strategy_plugins" / "aws_intro_linear.py"


@pytest.fixture
def plugin(monkeypatch):
    # Restored after each case: the plugin replaces the planner's function when a play runs.
    monkeypatch.setattr(mitogen_planner, "_load_collections", mitogen_planner._load_collections)
    spec = importlib.util.spec_from_file_location("aws_intro_linear_under_test", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def invocation():
    return SimpleNamespace(_extra_sys_paths=set())


def test_each_module_task_gets_the_paths_mitogens_own_function_gives():
    # In a Python of its own with Ansible's collection loader installed, as in ansible-playbook: the unit tests'
    # conftest imports ansible_collections as a plain namespace package, which the listing cannot walk.
    script = textwrap.dedent(f"""
        import importlib.util, json, types
        from ansible.plugins.loader import init_plugin_loader
        init_plugin_loader([{str(ROOT / "collections")!r}])
        spec = importlib.util.spec_from_file_location("plugin", {str(PLUGIN)!r})
        plugin = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(plugin)
        own, once = types.SimpleNamespace(_extra_sys_paths=set()), types.SimpleNamespace(_extra_sys_paths=set())
        plugin.MITOGENS_OWN(own)
        plugin.collection_dirs_listed_once()(once)
        print(json.dumps([sorted(own._extra_sys_paths), sorted(once._extra_sys_paths)]))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    own, once = json.loads(done.stdout.splitlines()[-1])
    assert any(path.endswith("/ansible_collections/amazon/aws") for path in own), own
    assert any(path.endswith("/ansible_collections/aws_intro/stack") for path in own), own
    assert once == own


def test_the_collections_are_listed_once_for_every_task_of_a_play(plugin, monkeypatch):
    listings = []

    def listing():
        listings.append(1)
        return [b"/c/ansible_collections/amazon/aws", b"/c/ansible_collections/community/aws"]

    monkeypatch.setattr(plugin, "list_collection_dirs", listing)
    load = plugin.collection_dirs_listed_once()
    tasks = [invocation() for _ in range(5)]
    for task in tasks:
        load(task)
    assert len(listings) == 1
    assert all(task._extra_sys_paths == {"/c/ansible_collections/amazon/aws", "/c/ansible_collections/community/aws"}
               for task in tasks)


@pytest.mark.parametrize(("switch", "expect_own"), [(None, False), ("1", False), ("0", True)])
def test_a_play_runs_with_the_listing_made_before_it_starts(plugin, monkeypatch, switch, expect_own):
    seen = []
    monkeypatch.setattr(plugin, "list_collection_dirs", lambda: [b"/c/ansible_collections/amazon/aws"])
    # What Mitogen's linear strategy would call once the play starts: the planner's function at that moment.
    monkeypatch.setattr(plugin._Linear, "run", lambda self, iterator, play_context: seen.append(
        mitogen_planner._load_collections) or 0)
    if switch is None:
        monkeypatch.delenv("AWS_INTRO_MITOGEN_COLLECTIONS_ONCE", raising=False)
    else:
        monkeypatch.setenv("AWS_INTRO_MITOGEN_COLLECTIONS_ONCE", switch)
    strategy = object.__new__(plugin.StrategyModule)
    assert strategy.run(None, None) == 0
    assert (seen[0] is plugin.MITOGENS_OWN) is expect_own
    assert seen[0].__qualname__.startswith("collection_dirs_listed_once") is not expect_own
