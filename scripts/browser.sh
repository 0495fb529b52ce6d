#!/usr/bin/env bash
# The browser the console tests drive: Debian's Chromium (never a browser download by a test tool).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
printf '\033[1m[setup]\033[0m installing Debian chromium for the console tests\n' >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
