#!/bin/sh
# Writes build.properties for `convoy --version`: the Maven version and the git commit the build
# was made from (with -dirty when tracked files differ from it). Holds no time stamp, so the same
# commit builds the same bytes.
#   build-info.sh <version> <output file>
version=$1
out=$2
commit=$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
dirty=false
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  dirty=true
fi
mkdir -p "$(dirname "$out")"
printf 'version=%s\ncommit=%s\ndirty=%s\n' "$version" "$commit" "$dirty" > "$out"
