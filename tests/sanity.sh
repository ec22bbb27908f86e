#!/usr/bin/env bash
# ansible-test sanity on this collection's Python plugins (plugins/) and meta/, ending
# with one line: `sanity: passed` or `sanity: FAILED (rc N)`.
#
# ansible-test wants the collection under a path ending in ansible_collections/<ns>/<name>
# and under version control, so the files git knows about (tracked, plus untracked files
# that are not ignored) are copied to a temporary tree, staged in a throw-away git
# repository there, and tested from there. Nothing in the checkout is written.
#
# Runs without --docker (no image registry here): ansible-test uses the Python 3.11 on PATH
# (.venv/bin when called from make) and builds its own per-test virtual environments under
# ~/.ansible/test/venv, installing the pinned test tools from PyPI.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

fail() {
  echo "sanity: FAILED ($*)"
  exit 1
}

command -v ansible-test >/dev/null 2>&1 || fail "ansible-test not on PATH; run make setup"

namespace=$(awk '$1 == "namespace:" {print $2; exit}' galaxy.yml)
name=$(awk '$1 == "name:" {print $2; exit}' galaxy.yml)
if [ -z "$namespace" ] || [ -z "$name" ]; then
  fail "cannot read namespace/name from galaxy.yml"
fi

work=$(mktemp -d /tmp/aws-intro-sanity.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree="$work/ansible_collections/$namespace/$name"
mkdir -p "$tree"

# The files git knows about, without collections/ (the symlink that makes the checkout its
# own collection would loop back into the tree).
git ls-files -z --cached --others --exclude-standard \
  | grep -zv '^collections/' \
  | while IFS= read -r -d '' file; do
      # skip files deleted from the work tree but still in git's index
      if [ -e "$file" ] || [ -L "$file" ]; then printf '%s\0' "$file"; fi
    done \
  | xargs -0 --no-run-if-empty cp --parents --no-dereference -t "$tree" \
  || fail "cannot copy the collection to $tree"

# ansible-test lists a collection's files with `git ls-files` when it finds a repository;
# staging them is enough, no commit (and no git identity) is needed.
git -C "$tree" init --quiet || fail "cannot create a git repository in $tree"
git -C "$tree" add --all || fail "cannot stage the copy in $tree"

# The collections this one depends on (galaxy.yml `dependencies`; amazon.aws for
# module_utils/modules.py) come with `pip install ansible`. The import test runs in an
# isolated venv that does not see site-packages, so they are linked next to the copy,
# where ansible-test's collection loader looks for them.
python3.11 - "$work/ansible_collections" <<'PY' || fail "cannot link the collections galaxy.yml depends on"
import importlib.util
import os
import sys

import yaml

destination = sys.argv[1]
with open("galaxy.yml", encoding="utf-8") as stream:
    dependencies = yaml.safe_load(stream).get("dependencies") or {}
for fqcn in dependencies:
    namespace, name = fqcn.split(".")
    spec = importlib.util.find_spec(f"ansible_collections.{namespace}.{name}")
    if spec is None:
        sys.exit(f"sanity: {fqcn} (a dependency in galaxy.yml) is not installed; run make setup")
    os.makedirs(os.path.join(destination, namespace), exist_ok=True)
    os.symlink(list(spec.submodule_search_locations)[0], os.path.join(destination, namespace, name))
PY

# ansible-test bootstraps pip into each sanity venv with a script it downloads from
# ci-files.testing.ansible.com, which is not reachable here. Its cache is documented as the
# place to put that script by hand; this stand-in does the same job without that host:
# pip from ensurepip (no network), then the exact versions ansible-test asks for from PyPI.
pip_version=$(python3.11 -c '
from types import SimpleNamespace
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(SimpleNamespace(version="3.11"))["pip"])') \
  || fail "cannot ask ansible-test which pip it bootstraps"
bootstrap_cache="$HOME/.ansible/test/cache"
bootstrap="$bootstrap_cache/get_pip_${pip_version//./_}.py"
marker="Offline stand-in for ansible-test's get-pip bootstrap (aws_intro.stack tests/sanity.sh)"
# A real get-pip script someone saved there is left alone; the stand-in is kept current.
if [ ! -s "$bootstrap" ] || grep -qF "$marker" "$bootstrap"; then
  mkdir -p "$bootstrap_cache"
  cat >"$bootstrap" <<PY
"""$marker.

ansible-test runs it as \`python quiet_pip.py [pip options] pip==X --no-setuptools --no-wheel\`
inside a virtual environment created without pip.
"""
import ensurepip
import os
import subprocess
import sys

PY
  cat >>"$bootstrap" <<'PY'
# ensurepip blanks pip's configuration (PIP_CONFIG_FILE=/dev/null) in os.environ; the
# install from the package index must see the machine's pip configuration (index, CA).
environment = dict(os.environ)
skip = {"--no-setuptools": "setuptools", "--no-wheel": "wheel"}
args = sys.argv[1:]
ensurepip.bootstrap()
subprocess.check_call([sys.executable, "-m", "pip", "install", *[a for a in args if a not in skip]], env=environment)
unwanted = [package for option, package in skip.items() if option in args]
if unwanted:
    subprocess.call([sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *unwanted], env=environment)
PY
fi

cd "$tree" || exit 1
start=$(date +%s)
# Only plugins/ (Python the controller and hosts run) and meta/ (runtime.yml) are tested;
# roles, playbooks and tests have their own linters (make lint).
# Skipped tests, each with its reason:
#   pslint  needs PowerShell (pwsh + PSScriptAnalyzer), which neither PyPI nor Debian's archive
#           provides here; the collection has no PowerShell code.
# Extra arguments go to ansible-test (e.g. `tests/sanity.sh --test pylint -v`).
ansible-test sanity --python 3.11 --color no \
  --skip-test pslint \
  "$@" plugins/ meta/
rc=$?
echo "sanity: ansible-test took $(( $(date +%s) - start )) s"
if [ "$rc" -eq 0 ]; then
  echo "sanity: passed"
else
  echo "sanity: FAILED (rc $rc)"
fi
exit "$rc"
