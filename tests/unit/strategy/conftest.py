"""The checkout's strategy plugin, loaded from its file, with the Mitogen functions it replaces restored after each
test (the plugin replaces them when a play runs)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

PLUGIN = Path(__file__).resolve().parents[3] / "strategy_plugins" / "aws_intro_linear.py"


@pytest.fixture
def plugin(monkeypatch):
    planner = pytest.importorskip("ansible_mitogen.planner", reason="Mitogen for Ansible is not installed")
    monkeypatch.setattr(planner, "_load_collections", planner._load_collections)
    monkeypatch.setattr(planner.NewStylePlanner, "get_module_map", planner.NewStylePlanner.get_module_map)
    spec = importlib.util.spec_from_file_location("aws_intro_linear_under_test", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
