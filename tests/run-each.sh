#!/usr/bin/env bash
# Run COMMAND ITEM for each item, go on after a failure, and end with one line:
#   LABEL: N passed, N failed
# so a reader (and CI) sees at once what ran and what broke. Exit status: 0 when all passed.
#   tests/run-each.sh stages "make --no-print-directory" lint unit
#   tests/run-each.sh molecule "molecule test -s" smoke nginx
set -uo pipefail
label=$1
read -r -a command <<<"$2"
shift 2
passed=0
failed=0
failed_names=()
for item in "$@"; do
  echo "=== $label: $item"
  start=$(date +%s)
  if "${command[@]}" "$item"; then
    passed=$((passed + 1))
    echo "=== $label: $item passed in $(( $(date +%s) - start )) s"
  else
    failed=$((failed + 1))
    failed_names+=("$item")
    echo "=== $label: $item FAILED in $(( $(date +%s) - start )) s"
  fi
done
if [ "$failed" -gt 0 ]; then
  echo "$label failed: ${failed_names[*]}"
fi
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
