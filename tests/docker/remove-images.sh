#!/usr/bin/env bash
# Remove the project's Docker images, and the containers made from them, so that the next
# tests/docker/build-base-image.sh (and the demo's services image) are built from nothing, as on
# a new machine. CI does this before `make test` (.ci/run): a run never reuses an image an
# earlier run, `make demo` or a developer left on the machine, and it proves what a first
# `make test` or `make demo` meets, e.g. a host image less than an hour old whose apt has no
# package lists. Removed: every image named IMAGE_PREFIX* (default aws-intro/: the web host, the
# services stand-in, ...) and BASE_IMAGE (default debian:bookworm, what they are built from).
# Their containers go first, whoever started them: run it where nothing else uses them.
set -euo pipefail

prefix=${IMAGE_PREFIX:-aws-intro/}
base=${BASE_IMAGE:-debian:bookworm}

images=()
while IFS= read -r ref; do
  images+=("$ref")
done < <(docker images --format '{{.Repository}}:{{.Tag}}' \
           | awk -v p="$prefix" -v b="$base" 'index($0, p) == 1 && $0 !~ /:<none>$/ && $0 != b' | sort -u)
if docker image inspect "$base" >/dev/null 2>&1; then
  images+=("$base")  # last: the others are built from it
fi

if [ "${#images[@]}" -eq 0 ]; then
  echo "images: none of ${prefix}*, $base to remove"
  exit 0
fi

for image in "${images[@]}"; do
  # ancestor= also matches containers of images built from this one.
  containers=$(docker ps -aq --filter "ancestor=$image")
  if [ -n "$containers" ]; then
    # shellcheck disable=SC2086  # one id per word
    docker rm -f $containers >/dev/null
    echo "images: removed the containers of $image"
  fi
done

docker rmi "${images[@]}" >/dev/null
echo "images: removed ${images[*]}"
