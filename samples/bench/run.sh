#!/usr/bin/env bash
# Convoy benchmark harness: one command, one Markdown table.
#
#   samples/bench/run.sh [--sizes "500 1000 2000 5000"] [--runs 3] [--policies 10] [--seed 42]
#                        [--violations 3] [--work DIR] [--no-kustomize] [--no-convoy]
#                        [--render-only]
#
# For every size N it prints a `kubectl kustomize` row (the baseline, see
# kustomize-baseline.sh) and the Convoy rows: render, reconcile and review over a repo made by
# GenerateRepo.java with N workloads. Convoy rows run ${CONVOY:-bin/convoy} (relative to the
# checkout root) and are skipped, with a note, when it is missing.
# Each row: median wall seconds over --runs runs (one run when the first takes >= 60 s),
# min, max, peak RSS (GNU time), workloads per second = N / median. --render-only keeps the
# `convoy render` row only (the fleet-scale table: no git history, reconcile or review).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=samples/bench/lib.sh
. "$HERE/lib.sh"

SIZES="500 1000 2000 5000"
RUNS=3
POLICIES=10
SEED=42
VIOLATIONS=3
WORK=${WORK:-${TMPDIR:-/tmp}/convoy-bench}
DO_KUSTOMIZE=1
DO_CONVOY=1
RENDER_ONLY=0
KUBECTL=${KUBECTL:-kubectl}

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --policies) POLICIES=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --violations) VIOLATIONS=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --no-kustomize) DO_KUSTOMIZE=0; shift ;;
    --no-convoy) DO_CONVOY=0; shift ;;
    --render-only) RENDER_ONLY=1; DO_KUSTOMIZE=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

CONVOY=${CONVOY:-bin/convoy}
case $CONVOY in /*) ;; */*) CONVOY="$ROOT/$CONVOY" ;; esac   # bare names are looked up on PATH
# JGit writes ~/.config/jgit/config and probes the file system on first use:
# keep that in the scratch folder, paid once by the untimed warm-up below.
export XDG_CONFIG_HOME="$WORK/xdg-config"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

bench_need_time
mkdir -p "$WORK" "$XDG_CONFIG_HOME"

# ---------------------------------------------------------------- kustomize

kustomize_row() {
  local n=$1 dir="$WORK/kustomize-$1" out="$WORK/kustomize-$1.out.yaml"
  java "$HERE/GenerateKustomize.java" --workloads "$n" --out "$dir" --force 2>/dev/null
  bench_cmd "kubectl kustomize" "$n" "$RUNS" "0" "$KUBECTL" kustomize "$dir" -o "$out" || return 0
  local sidecars
  sidecars=$(grep -c '^        restartPolicy: Always$' "$out" || true)
  if [ "$sidecars" -ne "$n" ]; then
    echo "run.sh: N=$n: kustomize output has $sidecars injected sidecars, expected $n" >&2
  fi
}

# ---------------------------------------------------------------- convoy

have_convoy() {
  if [ -x "$CONVOY" ] || command -v "$CONVOY" >/dev/null 2>&1; then return 0; fi
  return 1
}

# prepare_convoy N: the generated repo as a working tree with two commits (base: as generated;
# head: the mesh proxy bumped, which moves a wave of workloads) and a pristine bare remote.
prepare_convoy() {
  local n=$1 repo="$WORK/convoy-$1"
  java "$HERE/GenerateRepo.java" --workloads "$n" --policies "$POLICIES" --seed "$SEED" \
    --violations "$VIOLATIONS" --out "$repo" --force 2>/dev/null
  rm -rf "$repo/.git" "$WORK/convoy-$n-pristine.git"
  (
    cd "$repo"
    git init -q -b main
    git add -A
    git commit -q -m "generated: $n workloads"
    git tag base
    sed -i 's|envoyproxy/envoy:v1.31.0|envoyproxy/envoy:v1.31.1|' policies/mesh.yaml
    git commit -q -am "mesh: envoy v1.31.1"
    git tag head
    git checkout -q base
  )
  git clone -q --bare "$repo" "$WORK/convoy-$n-pristine.git"
}

# The Convoy rows: the command lines the README documents; change both together.
# Exit code 1 (violations) is expected: the repo plants some.
convoy_rows() {
  local n=$1 repo="$WORK/convoy-$1" remote="$WORK/convoy-$1-remote.git"
  if [ "$RENDER_ONLY" = 1 ]; then
    java "$HERE/GenerateRepo.java" --workloads "$n" --policies "$POLICIES" --seed "$SEED" \
      --violations "$VIOLATIONS" --out "$repo" --force 2>/dev/null
    BENCH_SETUP="rm -rf '$repo/rendered' && sync" \
      bench_cmd "convoy render" "$n" "$RUNS" "0 1" "$CONVOY" render "$repo" || true
    return 0
  fi
  prepare_convoy "$n"

  # render: every target into rendered/<target> of the working tree.
  # sync: the deleted output's discards and journal writes belong to the setup, not the next run.
  BENCH_SETUP="rm -rf '$repo/rendered' && sync" \
    bench_cmd "convoy render" "$n" "$RUNS" "0 1" "$CONVOY" render "$repo" || true

  # reconcile, first run: clone, render, commit, push; the remote and the work folder are
  # reset before every run, so each run does the same work (a first render of main).
  local wd="$WORK/convoy-$n-work"
  local reset="rm -rf '$remote' '$wd' '$wd.lock' && cp -a '$WORK/convoy-$n-pristine.git' '$remote'"
  bash -c "$reset" && "$CONVOY" reconcile --repo "file://$remote" --work-dir "$wd" >/dev/null 2>&1 || true   # warm-up, untimed
  BENCH_SETUP="$reset" \
    bench_cmd "convoy reconcile (first run)" "$n" "$RUNS" "0 1" "$CONVOY" reconcile --repo "file://$remote" --work-dir "$wd" || true

  # reconcile, no-op: the work folder is present and nothing changed since the last push.
  bash -c "$reset" && "$CONVOY" reconcile --repo "file://$remote" --work-dir "$wd" >/dev/null 2>&1 || true
  bench_cmd "convoy reconcile (no-op)" "$n" "$RUNS" "0 1" "$CONVOY" reconcile --repo "file://$remote" --work-dir "$wd" || true
  local commits
  commits=$(git --git-dir="$remote" rev-list --count main)
  echo "  (remote main has $commits commits after the no-op runs: generated, mesh bump, one convoy commit)" >&2

  # review: the pull-request bot on the mesh bump (one policy's image), against a base whose
  # rendered output is committed, as reconcile keeps it: wave 1 of the proxy upgrade.
  if "$CONVOY" help review >/dev/null 2>&1; then
    prepare_review "$n"
    BENCH_CWD="$repo" \
      bench_cmd "convoy review (one-policy bump)" "$n" "$RUNS" "0 1" "$CONVOY" review --base review-base --head review-head || true
  else
    echo "  (convoy review not available: row skipped)" >&2
  fi
}

# prepare_review N: tags review-base (the generated repo plus its rendered output, committed) and
# review-head (the mesh bump on top), leaving the working tree at base.
prepare_review() {
  local n=$1 repo="$WORK/convoy-$1"
  (
    cd "$repo"
    git checkout -q base
    rm -rf rendered
    "$CONVOY" render . >/dev/null 2>&1 || true
    git add -A rendered
    git commit -q -m "convoy: render $n workloads"
    git tag -f review-base >/dev/null
    git cherry-pick head >/dev/null
    git tag -f review-head >/dev/null
    git checkout -q base
  )
}

# ---------------------------------------------------------------- main

echo "## Convoy benchmark"
echo
bench_machine
echo "- sizes: $SIZES; runs: $RUNS; policies: $POLICIES; seed: $SEED; violations: $VIOLATIONS"
echo "- convoy: $CONVOY"
echo
CONVOY_NOTE=
if [ "$DO_CONVOY" = 1 ] && ! have_convoy; then
  CONVOY_NOTE="convoy rows skipped: $CONVOY not found (build the CLI, or set CONVOY=/path/to/convoy)"
  DO_CONVOY=0
fi
bench_header
for n in $SIZES; do
  if [ "$DO_KUSTOMIZE" = 1 ]; then kustomize_row "$n"; fi
  if [ "$DO_CONVOY" = 1 ]; then convoy_rows "$n"; fi
done
if [ -n "$CONVOY_NOTE" ]; then
  echo
  echo "Note: $CONVOY_NOTE"
fi
