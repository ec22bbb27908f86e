"""Unit tests for plugins/module_utils/common.py: the name and version amazon.aws reports."""

from __future__ import annotations

from pathlib import Path

import ansible_collections.aws_intro.stack as stack_collection
import pytest
import yaml
from ansible_collections.aws_intro.stack.plugins.module_utils.common import (
    STACK_COLLECTION_NAME,
    STACK_COLLECTION_VERSION,
)

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def collection_dir() -> Path:
    """The directory ansible_collections.aws_intro.stack was imported from."""
    return Path(next(iter(stack_collection.__path__)))


@pytest.fixture
def galaxy(collection_dir) -> dict:
    """galaxy.yml of the collection that was imported."""
    with (collection_dir / "galaxy.yml").open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def test_collection_is_imported_from_this_checkout(collection_dir):
    # through collections/ansible_collections/aws_intro/stack -> ../../.. (tests/unit/conftest.py)
    assert collection_dir.resolve() == REPOSITORY_ROOT


def test_collection_name_matches_galaxy(galaxy):
    assert f"{galaxy['namespace']}.{galaxy['name']}" == STACK_COLLECTION_NAME


def test_collection_version_matches_galaxy(galaxy):
    assert galaxy["version"] == STACK_COLLECTION_VERSION
