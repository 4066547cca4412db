#!/usr/bin/env bash
# The deploy tests start Debian's nginx and Caddy with the shipped configs (deploy/nginx.conf, deploy/Caddyfile).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "${missing[*]} missing; install with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian's ${missing[*]} for the deploy tests..."
apt-get update -qq
# policy-rc.d 101: the packages' postinst must not start a system-wide server (the tests start their own).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
