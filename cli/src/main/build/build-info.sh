#!/bin/sh
# Writes build.properties for `convoy --version`: the Maven version and the git commit the build
# was made from (with -dirty when tracked files differ from it). Holds no time stamp, so the same
# commit builds the same bytes; and the file is left alone when its content would not change, so
# a no-change build does not rebuild the jar and, after it, the class-data archive.
#   build-info.sh <version> <output file>
version=$1
out=$2
commit=$(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
dirty=false
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  dirty=true
fi
mkdir -p "$(dirname "$out")"
new=$(printf 'version=%s\ncommit=%s\ndirty=%s' "$version" "$commit" "$dirty")
if [ -f "$out" ] && [ "$(cat "$out")" = "$new" ]; then
  exit 0
fi
printf '%s\n' "$new" > "$out"
