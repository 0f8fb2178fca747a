#!/usr/bin/env bash
# Same commit, same bytes: builds the container image and the distribution a second time, from a
# fresh clone of HEAD in another folder, and compares them with what the build in this tree made
# (cli/target, from ./mvnw package -Pimage or verify -Pimage). Fails, listing what differs, when
# the image digest, the tarball or any jar is not byte-identical.
#   .ci/check-reproducible.sh              # after ./mvnw verify -Pimage (.ci/run does both)
#   MVN_ARGS=-o .ci/check-reproducible.sh  # offline
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
ref=cli/target
version=$(sed -n 's/^version=//p' "$ref/classes/dev/convoy/cli/build.properties" 2>/dev/null || true)
if [[ ! -f $ref/convoy-image.digest || -z $version ]]; then
  echo "check-reproducible: build the image first (./mvnw package -Pimage)" >&2
  exit 2
fi
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "check-reproducible: uncommitted changes; the check compares two builds of one commit" >&2
  exit 2
fi
if [[ "$(sed -n 's/^commit=//p' "$ref/classes/dev/convoy/cli/build.properties")" != "$(git rev-parse --short=7 HEAD)" ]]; then
  echo "check-reproducible: $ref was built from another commit; build again first" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-hardlinks "$here" "$tmp/convoy"
git -C "$tmp/convoy" checkout -q --detach "$(git rev-parse HEAD)"
start=$SECONDS
(cd "$tmp/convoy" && ./mvnw -B -q ${MVN_ARGS:--ntp} package -Pimage -DskipTests >"$tmp/build.log" 2>&1) || {
  tail -50 "$tmp/build.log" >&2
  exit 1
}
echo "check-reproducible: second build from a clone in $((SECONDS - start)) s"
other=$tmp/convoy/cli/target

status=0
same() { # <what> <file here> <file there>
  if cmp -s "$2" "$3"; then
    return 0
  fi
  echo "DIFFERS: $1" >&2
  status=1
  return 1
}

digest=$(cat "$ref/convoy-image.digest")
if [[ "$digest" == "$(cat "$other/convoy-image.digest")" ]]; then
  echo "image: same digest $digest"
else
  echo "DIFFERS: image digest $digest vs $(cat "$other/convoy-image.digest")" >&2
  status=1
  # Which layers, and which files in them.
  mkdir -p "$tmp/a" "$tmp/b"
  tar -xf "$ref/convoy-image.tar" -C "$tmp/a"
  tar -xf "$other/convoy-image.tar" -C "$tmp/b"
  for blob in "$tmp"/a/blobs/sha256/*; do
    name=$(basename "$blob")
    [[ -f $tmp/b/blobs/sha256/$name ]] && continue
    if tar -tzf "$blob" >/dev/null 2>&1; then
      echo "  layer $name (only in this build):" >&2
      # (head ends the listing early: tar's SIGPIPE is not a failure here)
      { tar -tvzf "$blob" 2>/dev/null || true; } | head -20 | sed 's/^/    /' >&2
    else
      echo "  blob $name (manifest or config, only in this build)" >&2
    fi
  done
fi

same "distribution convoy-$version.tar.gz" "$ref/convoy-$version.tar.gz" "$other/convoy-$version.tar.gz" \
  && echo "distribution: same bytes $(sha256sum "$ref/convoy-$version.tar.gz" | cut -c1-16)"
same "convoy.jar" "$ref/convoy.jar" "$other/convoy.jar" || true
for jar in "$ref"/lib/*.jar; do
  same "lib/$(basename "$jar")" "$jar" "$other/lib/$(basename "$jar")" || true
done
if ((status != 0)); then
  echo "check-reproducible: the same commit built different bytes (above)" >&2
fi
exit $status
