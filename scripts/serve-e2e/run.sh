#!/usr/bin/env bash
# The end-to-end check of the what-if page (tests/serve_browser.rs runs it): makes sure
# Debian's chromium and Node.js are there (installed when missing and we are root, unless
# COLLABSIM_NO_SYSTEM_PACKAGES=1), installs playwright-core from this folder's lockfile
# (no browser download: it drives Debian's chromium), then runs check.mjs against the page.
#   scripts/serve-e2e/run.sh http://127.0.0.1:PORT/ OUTDIR
# Exit 2: a tool is missing and may not be installed here (the test then skips).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
who=serve-e2e
. "$here/../lib/system-package.sh"
chromium=${CHROMIUM:-chromium}
need_command "$chromium" chromium
command -v "$chromium" >/dev/null || chromium=chromium
need_command node nodejs
need_command npm npm
if [ ! -f "$here/node_modules/playwright-core/package.json" ] \
   || ! grep -q '"version": "1.64.1"' "$here/node_modules/playwright-core/package.json"; then
  echo "serve-e2e: installing playwright-core from package-lock.json..." >&2
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
fi
CHROMIUM=$(command -v "$chromium") exec node "$here/check.mjs" "$@"
