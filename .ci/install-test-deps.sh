#!/usr/bin/env bash
# Installs the Debian packages the integration tests start as real servers.
set -euo pipefail
echo "no extra packages yet"
