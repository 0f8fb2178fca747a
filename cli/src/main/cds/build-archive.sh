#!/bin/sh
# Builds a static AppCDS archive for the convoy launcher: a training render of the sample
# config repo records the classes a run loads, then the JVM dumps them pre-parsed and
# pre-verified. It cuts about a quarter of a cold run's CPU (measured on the sample).
# The class list (convoy.classlist) also goes into the distribution tarball, where bin/convoy
# dumps an archive from it on first use: an archive is only valid for the JDK and the jar paths
# it was made with.
# An optimisation only: on any failure the build goes on and bin/convoy runs without it.
#   build-archive.sh <cli target dir> <sample config repo>
target=$1
sample=$2
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
list="$target/convoy.classlist"
archive="$target/convoy.jsa"
# Up to date when nothing it is made from (the jar, lib/, this script) is newer: a no-change
# build then spends no time on a training run.
if [ -f "$archive" ] && [ -z "$(find "$target/convoy.jar" "$target/lib" "$0" -newer "$archive" | head -n 1)" ]; then
  exit 0
fi
rm -f "$list" "$archive"
# The training render reads the sample's plain manifests only: its kustomize and Helm builds run
# in parallel, and which JDK classes load then depends on timing (the shipped list differed
# between two builds of one commit).
training="$target/cds-sample"
rm -rf "$training" && cp -r "$sample" "$training" && rm -rf "$training/rendered" "$training/tests"
awk 'skip && /^ / {next} {skip=0} /^sources:$/ {print "sources: [manifests]"; skip=1; next} {print}' \
  "$sample/convoy.yaml" > "$training/convoy.yaml"
if ! "$java" -XX:DumpLoadedClassList="$list.raw" -jar "$target/convoy.jar" render --out "$target/cds-training" "$training" >/dev/null 2>&1; then
  echo "convoy: AppCDS training run failed; continuing without a class-data archive" >&2
  : > "$list"
  rm -rf "$training" "$target/cds-training"
  exit 0
fi
# JDK 17 crashes dumping lambda proxies of generated classes (SystemDictionaryShared); skip them.
# Sorted: the list is shipped, and the same build must make the same bytes.
grep -v '@lambda' "$list.raw" | LC_ALL=C sort > "$list"
if ! "$java" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive" \
    -Xlog:cds=off -Xlog:cds+heap=off -jar "$target/convoy.jar" >/dev/null 2>&1; then
  echo "convoy: AppCDS dump failed; continuing without a class-data archive" >&2
  rm -f "$archive"
fi
rm -rf "$target/cds-training" "$training" "$list.raw" hs_err_pid*.log
exit 0
