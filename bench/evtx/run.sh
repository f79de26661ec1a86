#!/usr/bin/env bash
# EVTX parsing benchmark (issue 6 item 4). Not run as a test.
#   npx tsc -p tsconfig.build.json          # the CLI runs from dist/
#   bash bench/evtx/run.sh FILE.evtx [FILE.evtx …]
# For each file, under /usr/bin/time -v (wall time, CPU use as % of one core — 200% = both
# cores — and peak RSS):
#   1. `exhunt parse FILE --format jsonl --output OUT` (2 decoding workers);
#   2. readEvtxJsonlBuffers, 2 workers (bench/evtx/parse-to-jsonl.ts --dist): the byte API the
#      CLI can switch to (it uses the string API readEvtxJsonl today);
#   3. the same on one thread (--workers 0);
#   4. @ts-evtx/core rendering every record's XML (if installed; refuses files > 100 MiB).
# Records/s = lines of OUT / wall seconds (process start to exit).
# On a shared, busy machine run as root with NICE=-10 to give every measured tool the same
# raised CPU priority (the figures in bench/RESULTS.md say when this was done).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${TMPDIR:-/tmp}/exhunt-evtx-bench"
mkdir -p "$out"
seconds() { awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }'; }
measure() { # label, output file, command…
  local label="$1" result="$2"; shift 2
  rm -f "$result"
  if ! nice -n "${NICE:-0}" /usr/bin/time -v "$@" 2> "$out/time.txt" > /dev/null; then
    echo "$label: failed"; tail -5 "$out/time.txt"; return 0
  fi
  local wall cpu rss lines
  wall=$(grep 'Elapsed (wall clock)' "$out/time.txt" | awk '{print $NF}' | seconds)
  cpu=$(grep 'Percent of CPU' "$out/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$out/time.txt" | awk '{print int($NF / 1024)}')
  lines=$(wc -l < "$result")
  echo "$label | $lines records | wall ${wall} s | $(awk -v n="$lines" -v s="$wall" 'BEGIN { printf "%d", n / s }') records/s | CPU $cpu | peak RSS ${rss} MB"
}
# With autogroup scheduling, nice only ranks processes inside one session: raise the group too.
if [ "${NICE:-0}" != 0 ] && [ -w /proc/self/autogroup ]; then echo "${NICE}" > /proc/self/autogroup || true; fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; node $(node --version); nice ${NICE:-0}"
for f in "$@"; do
  echo "== $f ($(stat -c %s "$f") bytes)"
  measure "exhunt parse (2 workers)" "$out/exhunt.jsonl" node bin/exhunt.js parse "$f" --format jsonl --output "$out/exhunt.jsonl"
  measure "exhunt API bytes, 2 workers" "$out/exhunt2.jsonl" node --import tsx bench/evtx/parse-to-jsonl.ts "$f" "$out/exhunt2.jsonl" --workers 2 --dist
  measure "exhunt API bytes, 1 thread" "$out/exhunt1.jsonl" node --import tsx bench/evtx/parse-to-jsonl.ts "$f" "$out/exhunt1.jsonl" --workers 0 --dist
  if [ -d node_modules/@ts-evtx/core ] && [ "$(stat -c %s "$f")" -le 104857600 ]; then
    measure "@ts-evtx/core renderXml" "$out/ts-evtx.jsonl" node --import tsx bench/evtx/ts-evtx-render.ts "$f" "$out/ts-evtx.jsonl"
  fi
done
