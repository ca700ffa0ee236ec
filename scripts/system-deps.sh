#!/usr/bin/env bash
# Installs the system libraries Qt needs to run offscreen, when they are missing and we may
# install them (root on Debian/Ubuntu). Elsewhere it only says what is missing.
set -euo pipefail
need=()
ldconfig -p 2>/dev/null | grep -q 'libEGL.so.1' || need+=(libegl1)
ldconfig -p 2>/dev/null | grep -q 'libGL.so.1' || need+=(libgl1)
ldconfig -p 2>/dev/null | grep -q 'libxkbcommon.so.0' || need+=(libxkbcommon0)
ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so.1' || need+=(libfontconfig1)
ldconfig -p 2>/dev/null | grep -q 'libdbus-1.so.3' || need+=(libdbus-1-3)
ldconfig -p 2>/dev/null | grep -q 'libxcb-cursor.so.0' || need+=(libxcb-cursor0)
# Chinese text needs a CJK font; only the GUI asks for it (make run), not the test run.
if [ "${1:-}" = --gui ]; then fc-list 2>/dev/null | grep -qi 'cjk' || need+=(fonts-noto-cjk); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: missing system packages (install them for the GUI): ${need[*]}" >&2
fi
