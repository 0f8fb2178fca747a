#!/usr/bin/env bash
# Installs the Debian packages the git-sync integration tests start as real servers:
#   git daemon and git http-backend (package git), lighttpd (basic auth + CGI in front of
#   http-backend), openssh-server (sshd with key auth) and openssh-client (ssh-keygen).
#   Also: prometheus-pushgateway (metrics tests), prometheus (its promtool tests the sample
#   alert rules), podman and runc (the image test), gpg and gpg-agent (signed commits: a GnuPG
#   key and git verify-commit).
# Run as root, non-interactive. Installs only what is missing, so a warm machine pays nothing.
set -euo pipefail

declare -A needed=(
  [git]=/usr/lib/git-core/git-http-backend
  [lighttpd]=/usr/sbin/lighttpd
  [openssh-server]=/usr/sbin/sshd
  [openssh-client]=/usr/bin/ssh-keygen
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
