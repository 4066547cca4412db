#!/usr/bin/env bash
# The browser tests drive Debian's chromium: Playwright cannot download its own browser here.
set -euo pipefail
# CHROMIUM may name another Chromium-based browser (e.g. google-chrome on hosted CI runners).
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ] || command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing; install it with: sudo apt-get install chromium" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
