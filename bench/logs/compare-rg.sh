#!/usr/bin/env bash
# Issue #4 item 7: `exhunt hunt logs DIR --raw --format jsonl` against `rg -c -f LIST DIR` on the
# same generated logs (bench/logs/gen-logs.ts), with wall time, CPU time and peak memory.
# Usage: bench/logs/compare-rg.sh [DIR] [ROUNDS]   (default: generates 1 GiB into /tmp/exhunt-gen-1g; 1 round)
# PARTS=1 also measures the HttpProxy folder and the IIS folder apart (issue 21 item 1).
# Rounds alternate the tools; on a shared machine take the best and the median of each.
# `bin/exhunt.js` runs as `exhunt` does once installed (through its shebang, with the V8
# settings it names); `node bin/exhunt.js` starts a child with them (the extra start-up is
# shown separately).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/tmp/exhunt-gen-1g}
rounds=${2:-1}
[ -d "$dir" ] || npx tsx bench/logs/gen-logs.ts "$dir" --size 1G
npm run -s build || true   # type errors elsewhere in the tree do not stop tsc from emitting
du -sh "$dir"
measure() {
  /usr/bin/time -v "$@" 2> /tmp/exhunt-bench.time >/dev/null || true
  awk -F': ' '/Elapsed/{w=$2} /User time/{u=$2} /System time/{s=$2} /Percent of CPU/{c=$2} /Maximum resident/{m=$2}
    END{printf "wall %s  user %s  sys %s  cpu %s  peak %d MB\n", w, u, s, c, m/1024}' /tmp/exhunt-bench.time
}
parts=("$dir")
if [ "${PARTS:-0}" = 1 ]; then
  parts+=("$dir/C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy" "$dir/C/inetpub")
fi
for r in $(seq 1 "$rounds"); do
  echo "== round $r, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for part in "${parts[@]}"; do
    [ "${#parts[@]}" -gt 1 ] && echo "-- ${part#"$dir"}" && du -sh "$part" | cut -f1
    printf 'rg -c -f bench/logs/LIST               '
    measure rg -c -f bench/logs/LIST "$part"
    printf 'exhunt hunt logs --raw --format jsonl  '
    measure bin/exhunt.js hunt logs "$part" --raw --format jsonl --output /tmp/exhunt-bench.jsonl
    if [ "${#parts[@]}" -eq 1 ]; then
      printf '  (as node bin/exhunt.js)              '
      measure node bin/exhunt.js hunt logs "$part" --raw --format jsonl --output /tmp/exhunt-bench.jsonl
    fi
  done
done
echo "findings: $(wc -l < /tmp/exhunt-bench.jsonl)"
