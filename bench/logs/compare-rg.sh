#!/usr/bin/env bash
# Issue #4 item 7: `exhunt hunt logs DIR --raw --format jsonl` against `rg -c -f LIST DIR` on the
# same generated logs (bench/logs/gen-logs.ts), with wall time, CPU share and peak memory.
# Usage: bench/logs/compare-rg.sh [DIR]   (default: generates 1 GiB into /tmp/exhunt-gen-1g)
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/tmp/exhunt-gen-1g}
[ -d "$dir" ] || npx tsx bench/logs/gen-logs.ts "$dir" --size 1G
npm run -s build
du -sh "$dir"
measure() {
  /usr/bin/time -v "$@" 2> /tmp/exhunt-bench.time >/dev/null || true
  grep -E 'Elapsed|Maximum resident|Percent of CPU|User time|System time' /tmp/exhunt-bench.time
}
echo "== rg -c -f bench/logs/LIST"
measure rg -c -f bench/logs/LIST "$dir"
echo "== exhunt hunt logs --raw --format jsonl"
measure node bin/exhunt.js hunt logs "$dir" --raw --format jsonl --output /tmp/exhunt-bench.jsonl
wc -l < /tmp/exhunt-bench.jsonl
