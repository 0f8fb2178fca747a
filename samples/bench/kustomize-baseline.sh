#!/usr/bin/env bash
# The kustomize baseline: `kubectl kustomize` over N small
# Deployments with one label-selector patch that injects a native sidecar into every one.
#
#   samples/bench/kustomize-baseline.sh [N ...]        default: 500 1000 2000 5000
#
# Environment: RUNS (runs per size, default 3; a size whose first run takes 60 s or more is
# run once), WORK (scratch folder, default ${TMPDIR:-/tmp}/convoy-bench), KUBECTL (kubectl).
# Prints the machine and a Markdown table; fails when the output does not contain exactly N
# injected sidecars (kustomize's labelSelector silently matches nothing when the label is
# only on the pod template).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=samples/bench/lib.sh
. "$HERE/lib.sh"

KUBECTL=${KUBECTL:-kubectl}
RUNS=${RUNS:-3}
WORK=${WORK:-${TMPDIR:-/tmp}/convoy-bench}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(500 1000 2000 5000)

bench_need_time
mkdir -p "$WORK"

# kustomize_row N: generate the project (untimed), time kubectl kustomize, verify, print a row.
kustomize_row() {
  local n=$1 dir="$WORK/kustomize-$1" out="$WORK/kustomize-$1.out.yaml"
  java "$HERE/GenerateKustomize.java" --workloads "$n" --out "$dir" --force 2>/dev/null
  bench_cmd "kubectl kustomize" "$n" "$RUNS" "0" "$KUBECTL" kustomize "$dir" -o "$out"
  local deployments sidecars
  deployments=$(grep -c '^kind: Deployment$' "$out" || true)
  sidecars=$(grep -c '^        restartPolicy: Always$' "$out" || true)
  if [ "$deployments" -ne "$n" ] || [ "$sidecars" -ne "$n" ]; then
    echo "kustomize-baseline: N=$n: expected $n Deployments with an injected sidecar," \
      "found $deployments Deployments and $sidecars sidecars in $out" >&2
    return 1
  fi
}

if [ "${BENCH_NO_MACHINE:-}" = "" ]; then
  bench_machine
  echo
fi
bench_header
for n in "${SIZES[@]}"; do
  kustomize_row "$n"
done
