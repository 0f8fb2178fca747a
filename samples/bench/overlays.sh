#!/usr/bin/env bash
# Built sources: N kustomize overlays of one base (4 Deployments each) rendered by Convoy, next
# to kustomize alone building the same overlays one after another (what a CI job would run).
#
#   samples/bench/overlays.sh [N] [RUNS]      # default 50 overlays, 3 runs
#
# Needs kubectl (kustomize built in), GNU time and bin/convoy (./mvnw -q package -DskipTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
n=${1:-50}
runs=${2:-3}
work=${WORK:-${TMPDIR:-/tmp}/convoy-bench}/overlays-$n
rm -rf "$work" && mkdir -p "$work/base" "$work/policies"
for d in api web worker cache; do
  cat >"$work/base/$d.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: $d}
spec:
  selector: {matchLabels: {app: $d}}
  template:
    metadata: {labels: {app: $d}}
    spec:
      containers:
        - {name: $d, image: example/$d:1, command: ["/$d"], resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 32Mi}}}
YAML
done
printf 'resources: [api.yaml, web.yaml, worker.yaml, cache.yaml]\n' >"$work/base/kustomization.yaml"
cat >"$work/policies/shipper.yaml" <<'YAML'
apiVersion: convoy.dev/v1alpha1
kind: SidecarPolicy
metadata: {name: shipper}
spec:
  selector: {}
  kinds: [Deployment]
  sidecars:
    - position: post
      container: {name: log-shipper, image: fluent/fluent-bit:3.1.9, command: ["/fluent-bit/bin/fluent-bit"]}
YAML
{
  printf 'apiVersion: convoy.dev/v1alpha1\nkind: ConvoyConfig\nsources:\n'
  for i in $(seq -w 1 "$n"); do
    mkdir -p "$work/overlays/o$i"
    printf 'namespace: team-%s\nnamePrefix: t%s-\ncommonLabels: {team: t%s}\nresources: [../../base]\n' \
      "$i" "$i" "$i" >"$work/overlays/o$i/kustomization.yaml"
    printf '  - kustomize: overlays/o%s\n' "$i"
  done
  printf 'policies: [policies]\ntargets:\n  - {name: prod, kubernetesVersion: "1.31"}\n'
} >"$work/convoy.yaml"
printf 'for d in overlays/*/; do kubectl kustomize "$d" >/dev/null || exit 1; done\n' >"$work/kustomize-all.sh"

bench_header
BENCH_CWD=$work bench_cmd "kubectl kustomize x$n" "$((n * 4))" "$runs" 0 bash kustomize-all.sh
BENCH_SETUP="rm -rf '$work/rendered'" bench_cmd "convoy render ($n overlays)" "$((n * 4))" "$runs" "0 1" \
  "$here/../../bin/convoy" render "$work"
