#!/usr/bin/env bash
# Run `molecule test` for each scenario under molecule/ (or only the ones named as
# arguments), go on after a failure, and end with one line:
#   molecule: N passed, N failed
# Called by `make molecule`, which first starts a Docker engine and builds the images
# (tests/docker/ensure-engine.sh, tests/docker/build-base-image.sh) and puts .venv/bin on PATH.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

# Molecule would look for a collection's scenarios under extensions/molecule/ and warn;
# this checkout keeps them in molecule/<scenario>/, so say so.
export MOLECULE_GLOB='molecule/*/molecule.yml'

if [ "$#" -gt 0 ]; then
  scenarios=("$@")
else
  scenarios=()
  for file in molecule/*/molecule.yml; do
    [ -e "$file" ] || continue
    scenarios+=("$(basename "$(dirname "$file")")")
  done
fi

if [ "${#scenarios[@]}" -eq 0 ]; then
  echo "molecule: no scenario found under molecule/" >&2
  echo "molecule: 0 passed, 0 failed"
  exit 1
fi

passed=0
failed=0
failed_names=()
for scenario in "${scenarios[@]}"; do
  echo "=== molecule: $scenario"
  start=$(date +%s)
  if [ ! -f "molecule/$scenario/molecule.yml" ]; then
    echo "=== molecule: $scenario FAILED (no molecule/$scenario/molecule.yml)"
    failed=$((failed + 1))
    failed_names+=("$scenario")
    continue
  fi
  if molecule test -s "$scenario"; then
    passed=$((passed + 1))
    echo "=== molecule: $scenario passed in $(( $(date +%s) - start )) s"
  else
    failed=$((failed + 1))
    failed_names+=("$scenario")
    echo "=== molecule: $scenario FAILED in $(( $(date +%s) - start )) s"
  fi
done

if [ "$failed" -gt 0 ]; then
  echo "failed scenarios: ${failed_names[*]}"
fi
echo "molecule: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
