#!/usr/bin/env bash
# Installs the Debian packages the git-sync integration tests start as real servers:
#   git daemon and git http-backend (package git), lighttpd (basic auth + CGI in front of
#   http-backend), openssh-server (sshd with key auth), openssh-client (ssh-keygen) and
#   strace (fault injection: the output-folder kill tests kill convoy at a chosen syscall);
# the shells the engine's kubelet scenarios run rendered scripts under: dash and
# busybox-static (ash with busybox's own wget and nc, as busybox-based images have them);
# Graphviz (dot), which draws `convoy explain -o dot` in the cli tests; and, with the machine's
# npm, Mermaid and jsdom in $MERMAID_HOME, whose parser checks the diagrams Convoy writes;
# prometheus-pushgateway (metrics tests, the upgrade gate test), prometheus (the gate test runs
# the server; its promtool tests the sample
# alert rules), podman and runc (the image test), gpg and gpg-agent (signed commits: a GnuPG
# key and git verify-commit).
# Run as root, non-interactive. Installs only what is missing, so a warm machine pays nothing.
set -euo pipefail

MERMAID_HOME=${CONVOY_MERMAID_HOME:-/opt/convoy-test-deps/mermaid}
install_mermaid() {
  if [[ -d $MERMAID_HOME/node_modules/mermaid && -d $MERMAID_HOME/node_modules/jsdom ]]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: the Mermaid check of the cli tests will not run" >&2
    return 0
  fi
  echo "installing mermaid and jsdom into $MERMAID_HOME"
  mkdir -p "$MERMAID_HOME"
  [[ -f $MERMAID_HOME/package.json ]] || echo '{"name": "convoy-test-deps", "private": true}' >"$MERMAID_HOME/package.json"
  npm install --prefix "$MERMAID_HOME" --no-audit --no-fund --loglevel=error \
    mermaid@11.17.2 jsdom@26.1.0
}
install_mermaid

declare -A needed=(
  [git]=/usr/lib/git-core/git-http-backend
  [lighttpd]=/usr/sbin/lighttpd
  [openssh-server]=/usr/sbin/sshd
  [openssh-client]=/usr/bin/ssh-keygen
  [strace]=/usr/bin/strace
  [dash]=/usr/bin/dash
  [busybox-static]=/usr/bin/busybox
  [graphviz]=/usr/bin/dot
  [prometheus-pushgateway]=/usr/bin/prometheus-pushgateway
  [podman]=/usr/bin/podman
  [runc]=/usr/sbin/runc
  [gpg]=/usr/bin/gpg
  [gpg-agent]=/usr/bin/gpg-agent
  [prometheus]=/usr/bin/promtool
)

missing=()
for pkg in "${!needed[@]}"; do
  [[ -x "${needed[$pkg]}" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "test dependencies present"
  exit 0
fi

echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# --no-install-recommends: no ncurses-term, xauth etc.; policy-rc.d keeps the package
# scripts from starting system-wide sshd/lighttpd services (the tests start their own).
policy=/usr/sbin/policy-rc.d
created_policy=false
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=true
fi
trap '$created_policy && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}"
