#!/usr/bin/env bash
# Opens a report.html in headless Chromium (Debian's `chromium` package, installed here if
# missing and we are root), with the network cut off, and checks that it renders: the page
# loads, every figure is an inline SVG that lays out at a visible size, the headline is
# there, and a full-page screenshot is not blank. Writes the screenshot beside the report
# (report.png) or to the second argument.
#   scripts/check-report.sh outputs/examples/cs1-merged-it/report.html [shot.png]
set -euo pipefail
report=$(realpath "${1:?usage: scripts/check-report.sh REPORT.html [SCREENSHOT.png]}")
shot=${2:-$(dirname "$report")/report.png}
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "check-report: chromium is not installed and we are not root to install it (apt-get install chromium)" >&2
    exit 2
  fi
  echo "check-report: installing Debian's chromium package..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
fi
# Any request to the network would fail: the report must not need one.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars
  --disable-background-networking --no-first-run --no-default-browser-check
  --host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=5000)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# A script run by the browser measures what it laid out; the report itself has no script.
probe="$profile/probe.html"
python3 - "$report" "$probe" <<'PY'
import sys, pathlib
html = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
js = """<script>window.addEventListener('load', () => {
  const svgs = [...document.querySelectorAll('figure svg')];
  const sizes = svgs.map(s => { const r = s.getBoundingClientRect(); return Math.round(r.width) + 'x' + Math.round(r.height); });
  const ok = svgs.length > 0 && svgs.every(s => { const r = s.getBoundingClientRect(); return r.width > 300 && r.height > 150; });
  const pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = 'PROBE figures=' + svgs.length + ' sizes=' + sizes.join(',') + ' laid_out=' + ok +
    ' headline=' + (document.querySelector('.headline') ? document.querySelector('.headline').innerText.length : 0) +
    ' resources=' + performance.getEntriesByType('resource').length;
  document.body.appendChild(pre);
});</script>"""
pathlib.Path(sys.argv[2]).write_text(html.replace("</body>", js + "</body>"), encoding="utf-8")
PY
dom=$(chromium "${flags[@]}" --user-data-dir="$profile/ud" --dump-dom "file://$probe" 2>/dev/null)
line=$(grep -o 'PROBE figures=[0-9][^<]*' <<<"$dom" || true)
echo "check-report: $report: ${line:-no probe output}"
[[ $line == *"laid_out=true"* ]] || { echo "check-report: FAIL: figures missing or not laid out" >&2; exit 1; }
[[ $line =~ headline=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -gt 40 ] || { echo "check-report: FAIL: no headline text" >&2; exit 1; }
[[ $line == *"resources=0"* ]] || { echo "check-report: FAIL: the page loads outside resources" >&2; exit 1; }
chromium "${flags[@]}" --user-data-dir="$profile/ud2" --window-size=1200,${SHOT_HEIGHT:-1600} --screenshot="$shot" "file://$report" >/dev/null 2>&1
python3 - "$shot" <<'PY'
import sys, zlib, struct
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
print(f"check-report: screenshot {sys.argv[1]} ({w}x{h})")
PY
echo "check-report: ok"
