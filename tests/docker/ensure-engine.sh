#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine.
# Installs Debian's docker.io when no daemon binary exists, and starts dockerd in the
# background when none is running (there is no init system to ask on these machines).
set -euo pipefail

log=${DOCKERD_LOG:-/tmp/aws_intro_dockerd.log}

if docker info >/dev/null 2>&1; then
  echo "docker: engine already running"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker: installing docker.io from Debian's archive"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

echo "docker: starting dockerd (log: $log)"
setsid nohup dockerd >"$log" 2>&1 < /dev/null &

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "docker: engine ready"
    exit 0
  fi
  sleep 1
done
echo "docker: engine did not answer within 60 s; last lines of $log:" >&2
tail -n 20 "$log" >&2
exit 1
