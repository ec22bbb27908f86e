#!/usr/bin/env bash
# Make sure the Debian 12 images molecule needs exist locally.
#   debian:bookworm                  minimal root filesystem (pulled if a registry answers,
#                                    otherwise built with debootstrap from apt's mirror)
#   aws-intro/debian12-systemd       debian:bookworm + systemd as PID 1 (tests/docker/Dockerfile.systemd)
# Both steps are skipped when the image is already there.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base=${BASE_IMAGE:-debian:bookworm}
systemd_image=${SYSTEMD_IMAGE:-aws-intro/debian12-systemd:latest}

mirror() {
  # The first URIs: of apt's deb822 sources, or of the classic sources.list.
  local m
  m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$m" ]; then
    m=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

if ! docker image inspect "$base" >/dev/null 2>&1; then
  if timeout 30 docker pull "$base" >/dev/null 2>&1; then
    echo "image: pulled $base"
  else
    command -v debootstrap >/dev/null 2>&1 || {
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq debootstrap >/dev/null
    }
    rootfs=$(mktemp -d /tmp/aws-intro-rootfs.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    echo "image: building $base with debootstrap from $(mirror)"
    start=$SECONDS
    debootstrap --variant=minbase --include=python3,sudo bookworm "$rootfs" "$(mirror)" >/dev/null
    # Keep the image small and point its apt at the same mirror the host uses.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    echo "deb $(mirror) bookworm main" >"$rootfs/etc/apt/sources.list"
    tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
    echo "image: imported $base ($(( SECONDS - start )) s)"
  fi
else
  echo "image: $base present"
fi

if ! docker image inspect "$systemd_image" >/dev/null 2>&1; then
  echo "image: building $systemd_image"
  start=$SECONDS
  # --no-cache: a missing image is built from the Dockerfile, never from layers an earlier build
  # left in Docker's build cache (which would keep that build's apt state and age).
  docker build -q --no-cache -t "$systemd_image" --build-arg "BASE_IMAGE=$base" \
    -f "$here/Dockerfile.systemd" "$here" >/dev/null
  echo "image: built $systemd_image ($(( SECONDS - start )) s)"
else
  echo "image: $systemd_image present"
fi
