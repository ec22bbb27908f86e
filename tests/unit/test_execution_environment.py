"""execution-environment.yml: ansible-builder accepts it and its build context installs this
collection (from the tarball `ansible-galaxy collection build` makes), its collection
dependencies and their Python libraries. Building the image needs a registry (not here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    if not (BIN / "ansible-builder").exists():
        pytest.skip("ansible-builder is not installed (make setup installs it)")
    work = tmp_path_factory.mktemp("ee")
    for name in ("execution-environment.yml", "requirements.yml"):
        shutil.copy(ROOT / name, work / name)
    subprocess.run([BIN / "ansible-galaxy", "collection", "build", "--output-path", work / "build", ROOT],
                   check=True, capture_output=True, cwd=ROOT, timeout=300)
    subprocess.run([BIN / "ansible-builder", "create", "-f", "execution-environment.yml", "--context", "ctx"],
                   check=True, capture_output=True, cwd=work, timeout=300)
    return work / "ctx"


def test_the_context_carries_this_collection_and_installs_it(context):
    tarballs = [p.name for p in (context / "_build" / "collections").iterdir()]
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
    assert tarballs == [f"aws_intro-stack-{version}.tar.gz"]
    dockerfile = (context / "Dockerfile").read_text()
    assert "ansible-galaxy collection install --no-deps" in dockerfile
    assert "-r requirements.yml" in dockerfile


def test_the_collection_dependencies_match_galaxy_yml(context):
    required = {c["name"] for c in yaml.safe_load((context / "_build" / "requirements.yml").read_text())["collections"]}
    dependencies = set(yaml.safe_load((ROOT / "galaxy.yml").read_text())["dependencies"])
    assert dependencies <= required


def test_the_python_libraries_are_pinned_as_in_requirements_txt(context):
    ee = {line.strip() for line in (context / "_build" / "requirements.txt").read_text().splitlines() if line.strip()}
    pinned = {line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#") and not line.startswith("ansible==")}
    assert ee == pinned
