#!/usr/bin/env bash
# Installs the system libraries Qt needs to run offscreen, when they are missing and we may
# install them (root on Debian/Ubuntu). Elsewhere it only says what is missing.
#   --gui      also what a real window needs (xcb plugin libraries)
#   --browser  also headless Chromium and its WebDriver (the HTML study report's test)
set -euo pipefail
need=()
# Each listing is read whole, then searched. Piping it into `grep -q` fails at random under
# pipefail: grep exits at the first match, the lister is killed by SIGPIPE while still writing,
# and the pipeline reports that failure, so a library or font that is there looked missing.
libs=$(ldconfig -p 2>/dev/null || true)
has_lib() { grep -qF -- "$1" <<<"$libs"; }
has_lib 'libEGL.so.1' || need+=(libegl1)
has_lib 'libGL.so.1' || need+=(libgl1)
has_lib 'libxkbcommon.so.0' || need+=(libxkbcommon0)
has_lib 'libfontconfig.so.1' || need+=(libfontconfig1)
has_lib 'libdbus-1.so.3' || need+=(libdbus-1-3)
has_lib 'libxcb-cursor.so.0' || need+=(libxcb-cursor0)
# The export tests read the analysis CSV with R and PSPP (which runs SPSS syntax) and look
# at the casebook PDF rendered by pdftoppm.
command -v Rscript >/dev/null || need+=(r-base-core)
command -v pspp >/dev/null || need+=(pspp)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# Chinese needs a font that has it: on screen, and in the printed documents (casebook,
# monitoring report), which the tests read back; without one the app refuses to print them.
# fontconfig's own language data says which fonts cover Chinese, as it tells Qt.
command -v fc-list >/dev/null || need+=(fontconfig)
chinese=$(fc-list ':lang=zh-cn' family 2>/dev/null || true)
[ -n "$chinese" ] || need+=(fonts-noto-cjk)
# A real window (make run) needs Qt's xcb plugin libraries; the offscreen test run does not.
if [ "${1:-}" = --gui ]; then
  for pair in libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 \
      libxcb-keysyms.so.1:libxcb-keysyms1 libxcb-randr.so.0:libxcb-randr0 \
      libxcb-render-util.so.0:libxcb-render-util0 libxcb-shape.so.0:libxcb-shape0 \
      libxcb-xinerama.so.0:libxcb-xinerama0 libxcb-xkb.so.1:libxcb-xkb1 \
      libxkbcommon-x11.so.0:libxkbcommon-x11-0; do
    has_lib "${pair%%:*}" || need+=("${pair##*:}")
  done
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
  echo "note: missing system packages (the app, its PDFs or its tests need them): ${need[*]}" >&2
fi
