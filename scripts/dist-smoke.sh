#!/usr/bin/env bash
# Smoke test of a built bundle: with the bundle's own executables only, make a new demo site,
# open it offscreen as the nurse (unlock window, subject list) and expect exit status 0.
#   scripts/dist-smoke.sh dist/desktop-crf
set -euo pipefail
bundle=${1:?usage: dist-smoke.sh BUNDLE_FOLDER}
for exe in desktop-crf crf; do
  [ -x "$bundle/$exe" ] || { echo "dist-smoke: $bundle/$exe is missing: run make dist" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/crf-dist-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A home of its own: the check must not read or change the settings of whoever runs it.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" DESKTOP_CRF_LOG_DIR="$work/log"
export QT_QPA_PLATFORM=offscreen
# Only the bundle: no Python of the build machine may be found instead of the bundled one.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV
start=$(date +%s)
"$bundle/crf" demo "$work/site" >/dev/null
out=$(echo demo-password | timeout 180 "$bundle/desktop-crf" "$work/site" --check-install nurse 2>"$work/stderr") || {
  echo "dist-smoke: the bundle failed (exit $?): $out" >&2
  tail -n 20 "$work/stderr" >&2
  tail -n 20 "$work/log/desktop-crf.log" >&2 2>/dev/null || true
  exit 1
}
echo "$out"
grep -q "subjects listed" <<<"$out" || { echo "dist-smoke: no subject list: $out" >&2; exit 1; }
echo "dist-smoke: bundle OK in $(( $(date +%s) - start )) s ($(du -sh "$bundle" | cut -f1))"
