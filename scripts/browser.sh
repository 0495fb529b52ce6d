#!/usr/bin/env bash
# The browser the console tests drive: Debian's Chromium (never a browser download by a test tool).
set -euo pipefail
# and a CJK font, so the screenshots of the Chinese pages show the characters
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/wqy ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
printf '\033[1m[setup]\033[0m installing for the console tests: %s\n' "${need[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
