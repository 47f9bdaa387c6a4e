#!/usr/bin/env bash
# Opens a report.html in headless Chromium (Debian's `chromium` package, installed here if
# missing and we are root), with the network cut off, as a reader would meet it: on a desktop
# (1280 px wide), on a phone (390 px) and printed (A4). Checks that
#   - the page loads nothing from outside the file and has a headline;
#   - every figure is an inline SVG laid out at a visible size, whose smallest text is at
#     least 8 px on screen at both widths (a chart wider than the phone sits in a scroll box);
#   - at 390 px nothing makes the page itself scroll sideways (only .scroll boxes may), every
#     table cell is at least 8 characters wide and no cell of several words is set one word
#     per line;
#   - under the print style (emulated: its rules applied at the A4 text width) every figure
#     with its caption and every table avoids page breaks inside, every figure fits on a
#     page, no table row is cut and every table's header row is a <thead> that print repeats
#     (so a table longer than a page runs on with its header), and nothing is cut at the
#     page's edge;
# and writes screenshots at both widths and the printed PDF (Chromium's --print-to-pdf).
#   scripts/check-report.sh outputs/examples/cs1-merged-it/report.html [OUTDIR]
# OUTDIR (default: the report's folder) receives report-1280.png, report-390.png and
# report.pdf. Prints one `check-report: WIDTH ...` line per view and `check-report: ok`.
set -euo pipefail
report=$(realpath "${1:?usage: scripts/check-report.sh REPORT.html [OUTDIR]}")
outdir=${2:-$(dirname "$report")}
mkdir -p "$outdir"
# CHROMIUM names another browser binary; COLLABSIM_NO_SYSTEM_PACKAGES=1 forbids installing one.
chromium=${CHROMIUM:-chromium}
who=check-report
. "$(dirname "$0")/lib/system-package.sh"
need_command "$chromium" chromium
command -v "$chromium" >/dev/null || chromium=chromium
# Any request to the network would fail: the report must not need one.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars
  --disable-background-networking --disable-component-update --disable-sync --no-first-run
  --no-default-browser-check --host-resolver-rules="MAP * ~NOTFOUND" --virtual-time-budget=5000)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# A4 at 96 px per inch, less the print style's margins (12 mm each side, 15 mm top and bottom).
a4_width=703
a4_height=1009
# A script run by the browser measures what it laid out; the report itself has no script.
# The print copy swaps the print rules in for the screen ones at the A4 text width.
shot_h=${SHOT_HEIGHT:-2400}
shot_h_narrow=${SHOT_HEIGHT_NARROW:-4000}
python3 - "$report" "$profile" "$a4_height" "$a4_width" "$shot_h" "$shot_h_narrow" <<'PY'
import sys, pathlib, re
from html import escape
html = pathlib.Path(sys.argv[1]).read_text(encoding="utf-8")
out, page_h = pathlib.Path(sys.argv[2]), int(sys.argv[3])
js = """<script>window.addEventListener('load', () => {
  const MODE = '%MODE%', PAGE_H = %PAGE_H%;
  const frame = window.document.getElementById('report'), win = frame.contentWindow, document = frame.contentDocument;
  const getComputedStyle = el => win.getComputedStyle(el);
  const bad = [];
  const inScroll = el => { for (let p = el.parentElement; p; p = p.parentElement) if (p.classList.contains('scroll')) return p; return null; };
  const svgs = [...document.querySelectorAll('figure svg')];
  const sizes = svgs.map(s => { const r = s.getBoundingClientRect(); return Math.round(r.width) + 'x' + Math.round(r.height); });
  const laid = svgs.length > 0 && svgs.every(s => { const r = s.getBoundingClientRect(); return r.width > 300 && r.height > 150; });
  let minFont = 1e9;
  svgs.forEach((s, i) => {
    const vb = s.viewBox && s.viewBox.baseVal && s.viewBox.baseVal.width ? s.viewBox.baseVal.width : s.getBoundingClientRect().width;
    const scale = s.getBoundingClientRect().width / vb;
    const fonts = [...s.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize)).filter(x => x > 0);
    if (fonts.length) { const f = Math.min(...fonts) * scale; minFont = Math.min(minFont, f); if (MODE !== 'print' && f < 8) bad.push('figure ' + (i + 1) + ' text ' + f.toFixed(1) + 'px'); }
  });
  const doc = document.documentElement;
  const overflow = doc.scrollWidth - doc.clientWidth;
  if (MODE === 'narrow' && overflow > 1) bad.push('page scrolls sideways by ' + overflow + 'px');
  let cells = 0, narrowCells = 0, wordPerLine = 0;
  if (MODE === 'narrow') {
    const zero = (() => { const c = window.document.createElement('canvas').getContext('2d'); return el => { c.font = getComputedStyle(el).font; return c.measureText('0').width; }; })();
    document.querySelectorAll('td, th').forEach(td => {
      const text = td.innerText.trim(); if (!text) return;
      cells++;
      const cs = getComputedStyle(td);
      const inner = td.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (inner < 8 * zero(td) - 0.5) { narrowCells++; bad.push('cell "' + text.slice(0, 30) + '" ' + Math.round(inner) + 'px'); }
      const words = text.split(/\\s+/).length;
      if (words >= 3) {
        const r = document.createRange(); r.selectNodeContents(td);
        const tops = new Set([...r.getClientRects()].map(q => Math.round(q.top)));
        // As many lines as words in a cell under 15 characters wide: squeezed to a word a line
        // (a long path broken over several lines in a wide cell is not).
        if (tops.size >= words && inner < 15 * zero(td)) { wordPerLine++; bad.push('cell "' + text.slice(0, 30) + '" one word per line'); }
      }
    });
  }
  let blocks = 0;
  if (MODE === 'print') {
    document.querySelectorAll('figure, table').forEach(el => {
      blocks++;
      const cs = getComputedStyle(el), h = el.getBoundingClientRect().height;
      const name = el.tagName.toLowerCase() + ' ' + blocks;
      if (cs.breakInside !== 'avoid' && cs.pageBreakInside !== 'avoid') bad.push(name + ' may break across pages');
      // A figure must fit on a page; a table longer than a page may run on, its header
      // repeated and no row cut (checked below).
      if (h > PAGE_H && el.tagName === 'FIGURE') bad.push(name + ' is ' + Math.round(h) + 'px tall, more than a page');
      if (el.tagName === 'TABLE' && [...el.rows].some(r => !['avoid'].includes(getComputedStyle(r).breakInside))) bad.push(name + ' may cut a row');
      if (el.tagName === 'FIGURE' && !el.querySelector('figcaption')) bad.push(name + ' has no caption');
      if (el.tagName === 'TABLE') { const th = el.querySelector('thead'); if (!th || getComputedStyle(th).display !== 'table-header-group') bad.push(name + ' has no repeating header'); }
      const sc = inScroll(el); if (sc && sc.scrollWidth > sc.clientWidth + 1) bad.push(name + ' is cut at the page edge');
    });
  }
  const pre = window.document.createElement('pre'); pre.id = 'probe';
  pre.textContent = 'PROBE mode=' + MODE + ' width=' + win.innerWidth + ' figures=' + svgs.length + ' sizes=' + sizes.join(',') +
    ' laid_out=' + laid + ' min_font=' + (minFont < 1e9 ? minFont.toFixed(1) : '-') + ' overflow=' + overflow +
    ' cells=' + cells + ' narrow_cells=' + narrowCells + ' word_per_line=' + wordPerLine + ' blocks=' + blocks +
    ' headline=' + (document.querySelector('.headline') ? document.querySelector('.headline').innerText.length : 0) +
    ' resources=' + (win.performance.getEntriesByType('resource').length + window.performance.getEntriesByType('resource').length) + ' problems=' + bad.length + (bad.length ? ' [' + bad.join('; ') + ']' : '');
  window.document.body.appendChild(pre);
});</script>"""
def framed(page, width, height, script=""):
    # The report in an iframe of the given width (srcdoc: same origin, so the probe can
    # measure inside it); media queries inside the frame see the frame's width.
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
            f'<iframe id="report" scrolling="no" style="border:0;display:block;width:{width}px;height:{height}px" srcdoc="{escape(page, quote=True)}"></iframe>'
            f'{script}</body></html>')
for mode, width in [("wide", 1280), ("narrow", 390), ("print", int(sys.argv[4]))]:
    page = html
    if mode == "print":
        page = re.sub(r"@media screen[^{]*\{", "@media (max-width:1px){", page)
        page = page.replace("@media print{", "@media all{")
    script = js.replace("%MODE%", mode).replace("%PAGE_H%", str(page_h))
    (out / f"probe-{mode}.html").write_text(framed(page, width, 2000, script), encoding="utf-8")
for width, height in [(1280, int(sys.argv[5])), (390, int(sys.argv[6]))]:
    (out / f"shot-{width}.html").write_text(framed(html, width, height), encoding="utf-8")
PY
fail=0
probe() { # MODE WIDTH
  local dom line
  dom=$("$chromium" "${flags[@]}" --user-data-dir="$profile/ud-$1" --window-size=1300,2000 --dump-dom "file://$profile/probe-$1.html" 2>/dev/null)
  line=$(grep -oE 'PROBE mode=[a-z]+ width=[^<]*' <<<"$dom" || true)
  echo "check-report: $2 $report: ${line:-no probe output}"
  [[ $line == *"width=$2 "* ]] || { echo "check-report: FAIL ($1): the window is not $2 px wide" >&2; fail=1; }
  [[ $line == *"laid_out=true"* ]] || { echo "check-report: FAIL ($1): figures missing or not laid out" >&2; fail=1; }
  [[ $line =~ headline=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -gt 40 ] || { echo "check-report: FAIL ($1): no headline text" >&2; fail=1; }
  [[ $line == *"resources=0 "* ]] || { echo "check-report: FAIL ($1): the page loads outside resources" >&2; fail=1; }
  [[ $line == *"problems=0"* ]] || { echo "check-report: FAIL ($1): ${line#*problems=}" >&2; fail=1; }
}
probe wide 1280
probe narrow 390
probe print "$a4_width"
shoot() { # WIDTH HEIGHT FILE
  "$chromium" "${flags[@]}" --user-data-dir="$profile/shot-$1" --window-size="$1,$2" --screenshot="$3" "file://$profile/shot-$1.html" >/dev/null 2>&1
  python3 - "$3" <<'PY'
import sys, struct
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
print(f"check-report: screenshot {sys.argv[1]} ({w}x{h})")
PY
}
shoot 1280 "$shot_h" "$outdir/report-1280.png"
shoot 390 "$shot_h_narrow" "$outdir/report-390.png"
"$chromium" "${flags[@]}" --user-data-dir="$profile/pdf" --no-pdf-header-footer --print-to-pdf="$outdir/report.pdf" "file://$report" >/dev/null 2>&1
python3 - "$outdir/report.pdf" <<'PY'
import sys, re
data = open(sys.argv[1], "rb").read()
assert data[:5] == b"%PDF-", "not a PDF"
pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
assert pages > 0, "a PDF without pages"
print(f"check-report: pdf {sys.argv[1]} pages={pages}")
PY
[ "$fail" -eq 0 ] || exit 1
echo "check-report: ok"
