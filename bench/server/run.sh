#!/usr/bin/env bash
# Fleet server scale bench (issue #8 item 7): seed 10,000 servers / 1,000,000 findings, measure
# read latency, then 10,000 agents enrolling and uploading over HTTP into a fresh database; on
# SQLite and on PostgreSQL (EXHUNT_TEST_PG, e.g. postgres://exhunt:exhunt@127.0.0.1:5432/postgres;
# PostgreSQL is skipped when it is unset). Not part of `npm test`. Results: bench/RESULTS.md.
#
#   bash bench/server/run.sh [OUTDIR]          (env: SERVERS, FINDINGS, AGENTS, REQUESTS, BACKENDS)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-$(mktemp -d /tmp/exhunt-fleet-bench.XXXXXX)}
mkdir -p "$out"
backends=${BACKENDS:-sqlite postgres}
tsx=(node --import tsx)
echo "machine: $(nproc) cores, $(node --version), load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/machine.txt"
for db in $backends; do
  if [[ $db == postgres && -z ${EXHUNT_TEST_PG:-} ]]; then echo "postgres: skipped (set EXHUNT_TEST_PG)"; continue; fi
  state="$out/$db-seed.json"
  trap '"${tsx[@]}" bench/server/drop.ts --state "$state" 2>/dev/null || true' EXIT
  "${tsx[@]}" bench/server/seed.ts --db "$db" --state "$state" --servers "${SERVERS:-10000}" --findings "${FINDINGS:-100}" | tee "$out/$db-seed.out"
  "${tsx[@]}" bench/server/plans.ts --state "$state" > "$out/$db-plans.txt"
  "${tsx[@]}" bench/server/latency.ts --state "$state" --requests "${REQUESTS:-200}" --concurrency 8 > "$out/$db-latency.md" 2> "$out/$db-latency.json"
  cat "$out/$db-latency.md"
  "${tsx[@]}" bench/server/drop.ts --state "$state"
  istate="$out/$db-ingest.json"
  trap '"${tsx[@]}" bench/server/drop.ts --state "$istate" 2>/dev/null || true' EXIT
  "${tsx[@]}" bench/server/ingest.ts --db "$db" --state "$istate" --agents "${AGENTS:-10000}" --concurrency 32 | tee "$out/$db-ingest.out"
  "${tsx[@]}" bench/server/drop.ts --state "$istate"
  trap - EXIT
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); results in $out"
