# shellcheck shell=bash
# Shared by run.sh and kustomize-baseline.sh: time a command over R runs and print one
# Markdown table row (median wall seconds, min/max, median CPU seconds, peak RSS, workloads
# per second).
#
#   bench_header
#   bench_cmd LABEL N RUNS OK_CODES CMD [ARGS...]
#
# OK_CODES lists the exit codes that count as success, e.g. "0" or "0 1" (convoy exits 1
# when it finds violations, which the generated repos contain on purpose).
# Optional environment, read per call:
#   BENCH_STDOUT  where the command's stdout goes (default /dev/null)
#   BENCH_CWD     directory to run the command in (default: the current one)
#   BENCH_SETUP   shell code run before every run, untimed (e.g. reset a git remote)
#   BENCH_LONG_SECONDS  when the first run takes at least this long, it is the only run (default 60)
# Wall time is measured with date +%s%N around the command (GNU time prints only 1/100 s);
# CPU seconds are user + system time of the run (GNU time), less sensitive than wall time to
# other load on the machine, which bench_machine reports as the load average;
# peak RSS is GNU time's "Maximum resident set size", the largest over all runs. For a
# command that forks (a JVM launcher script, kubectl plugins) it is the largest single
# process, not the sum.

BENCH_TIME=${BENCH_TIME:-/usr/bin/time}

bench_need_time() {
  if [ -x "$BENCH_TIME" ] && "$BENCH_TIME" -v true >/dev/null 2>&1; then
    return 0
  fi
  echo "bench: $BENCH_TIME (GNU time) is missing, installing the 'time' package" >&2
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq time >/dev/null || {
    echo "bench: could not install GNU time; install it (apt-get install time) and retry" >&2
    return 1
  }
}

bench_machine() {
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- nproc: $(nproc)"
  echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- kernel: $(uname -sr)"
  echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  if command -v "${KUBECTL:-kubectl}" >/dev/null 2>&1; then
    echo "- kubectl version --client: $("${KUBECTL:-kubectl}" version --client 2>/dev/null | tr '\n' ' ')"
  fi
  if command -v java >/dev/null 2>&1; then
    echo "- java: $(java -version 2>&1 | head -1)"
  fi
}

bench_header() {
  printf '| %-26s | %6s | %4s | %9s | %9s | %9s | %9s | %8s | %11s |\n' \
    "command" "N" "runs" "median s" "min s" "max s" "cpu s" "peak MB" "workloads/s"
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' \
    "----------------------------" "-------:" "-----:" "----------:" "----------:" "----------:" "----------:" "---------:" "------------:"
}

bench_cmd() {
  local label=$1 n=$2 runs=$3 ok=$4
  shift 4
  local long=${BENCH_LONG_SECONDS:-60}
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
  local walls=() cpus=() rss=0 i code t0 t1 wall r
  for ((i = 1; i <= runs; i++)); do
    if [ -n "${BENCH_SETUP:-}" ]; then
      bash -c "$BENCH_SETUP" >"$tmp/setup.$i" 2>&1 || {
        echo "bench: $label N=$n: setup failed:" >&2
        tail -5 "$tmp/setup.$i" >&2
        rm -rf "$tmp"
        return 1
      }
    fi
    t0=$(date +%s%N)
    (cd "${BENCH_CWD:-.}" && exec "$BENCH_TIME" -v -o "$tmp/time.$i" "$@" >"${BENCH_STDOUT:-/dev/null}" 2>"$tmp/err.$i")
    code=$?
    t1=$(date +%s%N)
    if [[ " $ok " != *" $code "* ]]; then
      echo "bench: $label N=$n run $i exited $code (accepted: $ok); last lines of its stderr:" >&2
      tail -5 "$tmp/err.$i" >&2
      printf '| %-26s | %6s | %4s | %9s | %9s | %9s | %9s | %8s | %11s |\n' "$label" "$n" "$i" "FAILED" "-" "-" "-" "-" "exit $code"
      rm -rf "$tmp"
      return 1
    fi
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    walls+=("$wall")
    cpus+=("$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.3f", t }' "$tmp/time.$i")")
    r=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time.$i")
    if [ "${r:-0}" -gt "$rss" ]; then rss=$r; fi
    if [ "$i" -eq 1 ] && awk -v w="$wall" -v l="$long" 'BEGIN { exit !(w >= l) }'; then
      break
    fi
  done
  rm -rf "$tmp"
  local cpu
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | awk '{ c[NR] = $1 } END { print (NR % 2) ? c[(NR + 1) / 2] : (c[NR / 2] + c[NR / 2 + 1]) / 2 }')
  printf '%s\n' "${walls[@]}" | sort -g | awk -v label="$label" -v n="$n" -v rss="$rss" -v cpu="$cpu" '
    { w[NR] = $1 }
    END {
      med = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
      printf "| %-26s | %6d | %4d | %9.2f | %9.2f | %9.2f | %9.2f | %8.0f | %11.0f |\n",
        label, n, NR, med, w[1], w[NR], cpu, rss / 1024, n / med
    }'
}
