"""Make ``ansible_collections.aws_intro.stack`` importable for the unit tests.

The checkout is the collection: ``collections/ansible_collections/aws_intro/stack`` is a
symlink to the repository root. ``ansible_collections`` is a namespace package (PEP 420)
both there and in the venv's site-packages, where ``pip install ansible`` puts amazon.aws
and the other bundled collections, so putting ``collections/`` first on ``sys.path`` merges
the two: ``ansible_collections.aws_intro.stack`` comes from this checkout and
``ansible_collections.amazon.aws`` from site-packages. That is also how module_utils are
imported on a managed host (AnsiballZ ships them as plain packages, without Ansible's
collection loader), so no loader is installed here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

COLLECTIONS_DIR = Path(__file__).resolve().parents[2] / "collections"

if str(COLLECTIONS_DIR) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS_DIR))


@pytest.fixture
def slept(monkeypatch):
    """The sleeps of botocore's waiters between polls, recorded instead of slept (what a test of a wait asserts)."""
    sleeps = []
    monkeypatch.setattr("botocore.waiter.time.sleep", sleeps.append)
    return sleeps
