#!/usr/bin/env bash
# Installs the system libraries Qt needs to run offscreen, when they are missing and we may
# install them (root on Debian/Ubuntu). Elsewhere it only says what is missing.
#   --gui      also what a real window needs (xcb plugin libraries, a CJK font)
#   --browser  also headless Chromium and its WebDriver (the HTML study report's test)
set -euo pipefail
need=()
ldconfig -p 2>/dev/null | grep -q 'libEGL.so.1' || need+=(libegl1)
ldconfig -p 2>/dev/null | grep -q 'libGL.so.1' || need+=(libgl1)
ldconfig -p 2>/dev/null | grep -q 'libxkbcommon.so.0' || need+=(libxkbcommon0)
ldconfig -p 2>/dev/null | grep -q 'libfontconfig.so.1' || need+=(libfontconfig1)
ldconfig -p 2>/dev/null | grep -q 'libdbus-1.so.3' || need+=(libdbus-1-3)
ldconfig -p 2>/dev/null | grep -q 'libxcb-cursor.so.0' || need+=(libxcb-cursor0)
# A real window (make run) needs Qt's xcb plugin libraries and, for Chinese, a CJK font; the
# offscreen test run needs neither.
if [ "${1:-}" = --gui ]; then
  for pair in libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 \
      libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-randr.so.0:libxcb-randr0 \
      libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 \
      libxcb-xinerama.so.0:libxcb-xinerama0 libxcb-xkb.so.1:libxcb-xkb1 \
      libxkbcommon-x11.so.0:libxkbcommon-x11-0; do
    ldconfig -p 2>/dev/null | grep -q "${pair%%:*}" || need+=("${pair##*:}")
  done
  fc-list 2>/dev/null | grep -qi 'cjk' || need+=(fonts-noto-cjk)
fi
# The study report's test opens the HTML file in a real headless browser (make test).
if [ "${1:-}" = --browser ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v chromedriver >/dev/null || need+=(chromium-driver)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: missing system packages (install them for the GUI): ${need[*]}" >&2
fi
