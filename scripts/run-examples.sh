#!/usr/bin/env bash
# The main job: builds the command line and evaluates the example tickets
# against the example policies, printing one table per policy pack.
# Each line of examples/packs.txt is "<pack> <as_of>".
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked -p aftersales-cli
while read -r pack as_of; do
  case "$pack" in ''|'#'*) continue ;; esac
  echo "== $pack (as of $as_of)"
  ./target/release/aftersales check "examples/policies/$pack.toml"
  ./target/release/aftersales eval "examples/policies/$pack.toml" "examples/tickets/$pack.jsonl" \
    --as-of "$as_of" --format table
  echo
done < examples/packs.txt
