#!/usr/bin/env bash
# Proves an optimisation kept the output byte-identical: renders a generated repo and prints one
# SHA-256 over every output file (its path and its bytes, in path order), then compares it with
# the digest recorded in output-digests.txt for the same size, policies and seed.
#
#   samples/bench/output-digest.sh [--workloads 10000] [--policies 20] [--seed 42] [--record]
#
# Exit 0 when the digest matches (or was recorded with --record), 1 when it differs, 2 when no
# digest is recorded for these arguments. Runs ${CONVOY:-bin/convoy}; scratch in $WORK.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
N=10000 POLICIES=20 SEED=42 RECORD=0
WORK=${WORK:-${TMPDIR:-/tmp}/convoy-bench}
while [ $# -gt 0 ]; do
  case $1 in
    --workloads) N=$2; shift 2 ;;
    --policies) POLICIES=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --record) RECORD=1; shift ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "output-digest.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
CONVOY=${CONVOY:-$ROOT/bin/convoy}
repo="$WORK/digest-$N-$POLICIES-$SEED"
mkdir -p "$WORK"
java "$HERE/GenerateRepo.java" --workloads "$N" --policies "$POLICIES" --seed "$SEED" \
  --violations 3 --out "$repo" --force 2>/dev/null
# A fixed --now: the rollout state records when a wave moved; a long rule timeout for a busy machine.
code=0
"$CONVOY" render --quiet --rule-timeout 600s --now 2026-01-01T00:00:00Z --out "$repo.out" "$repo" >/dev/null 2>"$repo.err" || code=$?
if [ "$code" -gt 1 ]; then
  echo "output-digest.sh: convoy render exited $code:" >&2
  tail -5 "$repo.err" >&2
  exit 2
fi
digest=$(cd "$repo.out" && find . -type f -print0 | LC_ALL=C sort -z \
  | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
files=$(find "$repo.out" -type f | wc -l)
key="workloads=$N policies=$POLICIES seed=$SEED"
line="$key files=$files sha256=$digest"
recorded="$HERE/output-digests.txt"
rm -rf "$repo.out" "$repo.err"
if [ "$RECORD" = 1 ]; then
  { grep -v "^$key " "$recorded" 2>/dev/null || true; echo "$line"; } | LC_ALL=C sort > "$recorded.tmp"
  mv "$recorded.tmp" "$recorded"
  echo "recorded: $line"
  exit 0
fi
expected=$(grep "^$key " "$recorded" 2>/dev/null || true)
if [ -z "$expected" ]; then
  echo "output-digest.sh: no digest recorded for $key (run once with --record on a trusted commit)" >&2
  echo "$line"
  exit 2
fi
if [ "$expected" = "$line" ]; then
  echo "same bytes: $line"
  exit 0
fi
echo "output differs: got $line, recorded $expected" >&2
exit 1
