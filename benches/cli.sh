#!/usr/bin/env bash
# The CLI on generated meter tickets: JSON lines in, JSON lines to /dev/null,
# on 1 and on 2 threads (RAYON_NUM_THREADS), with wall time, tickets per
# second and peak RSS from /usr/bin/time -v. Figures go to BENCHMARKS.md.
#
# Usage: benches/cli.sh [N=1000000] [SEED=2026]
# The tickets are written once to ${TMPDIR:-/tmp}/aftersales-meter-N-SEED.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
seed=${2:-2026}
tickets=${TMPDIR:-/tmp}/aftersales-meter-$n-$seed.jsonl
cargo build --release -p aftersales-cli --quiet
bin=target/release/aftersales
if [ ! -s "$tickets" ]; then
  python3 benches/gen_meter_tickets.py "$n" "$seed" > "$tickets.part"
  mv "$tickets.part" "$tickets"
fi
echo "tickets: $tickets ($(du -h "$tickets" | cut -f1)), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for threads in 1 2; do
  log=$(mktemp)
  RAYON_NUM_THREADS=$threads /usr/bin/time -v "$bin" eval \
    examples/policies/hot_water_meter.toml "$tickets" \
    --as-of 2026-03-03T12:00:00+08:00 > /dev/null 2> "$log" || { cat "$log"; exit 1; }
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  cpu=$(grep "Percent of CPU" "$log" | awk '{print $NF}')
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
  echo "threads=$threads wall=${secs}s tickets/s=$rate cpu=$cpu peak_rss=$((rss / 1024)) MB"
  rm -f "$log"
done
