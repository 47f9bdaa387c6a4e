#!/usr/bin/env bash
# Regenerates the committed examples in outputs/examples/: the summary.json of CS1 and CS2 at
# their scenario seeds and replicate counts. Run from anywhere: scripts/regenerate-examples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in cs1-merged-it cs2-colocated-control; do
  ./target/release/collabsim run "scenarios/$s.toml" --quiet --out "$tmp/$s"
  mkdir -p "outputs/examples/$s"
  cp "$tmp/$s/summary.json" "outputs/examples/$s/summary.json"
  echo "outputs/examples/$s/summary.json"
done
