#!/usr/bin/env bash
# Run `make <stage>` for each stage given, go on after a failure, and end with one line:
#   stages: N passed, N failed
# so a reader (and CI) sees at once what ran and what broke.
set -uo pipefail
passed=0
failed=0
failed_names=()
for stage in "$@"; do
  echo "=== stage: $stage"
  start=$(date +%s)
  if make --no-print-directory "$stage"; then
    passed=$((passed + 1))
    echo "=== stage: $stage passed in $(( $(date +%s) - start )) s"
  else
    failed=$((failed + 1))
    failed_names+=("$stage")
    echo "=== stage: $stage FAILED in $(( $(date +%s) - start )) s"
  fi
done
if [ "$failed" -gt 0 ]; then
  echo "failed stages: ${failed_names[*]}"
fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
