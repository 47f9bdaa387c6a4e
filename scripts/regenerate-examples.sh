#!/usr/bin/env bash
# Regenerates the committed examples in outputs/examples/: the report folders of CS1 and CS2,
# one what-if comparison (CS1 with a new chief officer about every 3 years, with and without
# the strategy document), each at the scenario's seed and replicate count, and CS1's levers
# (the tornado chart in README). The bulky
# timeseries.csv files are deleted afterwards (manifest.json still lists their hashes; rerun
# the command in a folder's report.html to get them back).
# Run from anywhere: scripts/regenerate-examples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-./target}/release/collabsim"
ex=outputs/examples
rm -rf "$ex"
for s in cs1-merged-it cs2-colocated-control; do
  "$bin" run "scenarios/$s.toml" --quiet --out "$ex/$s"
done
"$bin" compare scenarios/cs1-merged-it.toml --quiet --out "$ex/cs1-turnover-strategy" \
  --set leadership.turnover_per_year=0.33 --variant collaboration.strategy_document=false \
  --baseline-name "CS1, new chief every 3 years, with the strategy document" \
  --variant-name "CS1, new chief every 3 years, no strategy document"
"$bin" levers scenarios/cs1-merged-it.toml --quiet --out "$ex/cs1-levers"
find "$ex" -name timeseries.csv -delete
find "$ex" -type f | sort
