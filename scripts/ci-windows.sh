#!/usr/bin/env bash
# CI, Windows part (.ci/run calls it after the test suite): builds the single executables and
# runs the Windows one under Debian's wine64 against the Linux one on the same evidence:
#   1. scan examples/compromised-e2019: exit 1 and the same findings (id, severity, rule);
#   2. live mode: the example laid out as the wine prefix's C:\ and `scan C:\`: exit 1, the same
#      rules fire as on the tree;
#   3. hunt events on ../shared/samples/evtx (when present): the same findings;
#   4. agent enroll + agent run --once against a fleet server on loopback: the report is stored.
# Wine needs WINEDEBUG=-all, stdin from /dev/null and stdout/stderr to files (its console pipes
# fail otherwise). What wine cannot show is listed in README "Windows and the single executable".
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

WINE=${WINE:-/usr/lib/wine/wine64}
if [ ! -x "$WINE" ]; then
  echo "ci-windows: $WINE missing (apt-get install wine64)"
  exit 1
fi

work=$(mktemp -d /tmp/exhunt-ci-win.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  WINEPREFIX="$work/prefix" "$(dirname "$WINE")/wineserver" -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export WINEDEBUG=-all WINEPREFIX="$work/prefix"
LINUX_EXE="$repo/release/exhunt-linux-x64"
WIN_EXE="$repo/release/exhunt-win-x64.exe"

# wine: run the .exe; $1 = name for the output files, the rest the arguments. Exit code kept.
wine_exe() {
  local name=$1
  shift
  set +e
  "$WINE" "$WIN_EXE" "$@" </dev/null >"$work/$name.out" 2>"$work/$name.err"
  local rc=$?
  set -e
  return $rc
}
expect_rc() { # expect_rc WANT GOT WHAT
  if [ "$2" -ne "$1" ]; then
    echo "ci-windows: $3: expected exit $1, got $2"
    for f in "$work"/*.err; do echo "--- $f"; tail -20 "$f"; done
    exit 1
  fi
}
# The findings of a JSON report as sorted "id severity rule" lines (or "rule" lines with --rules).
findings() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const rulesOnly = process.argv[2] === "--rules";
    const lines = r.findings.map((f) => (rulesOnly ? f.ruleId : `${f.id} ${f.severity} ${f.ruleId}`));
    console.log([...new Set(lines)].sort().join("\n"));
  ' "$@"
}
same() { # same WHAT A B
  if ! diff -u "$2" "$3" >"$work/diff.txt"; then
    echo "ci-windows: $1: the findings differ (Linux vs Windows)"
    head -40 "$work/diff.txt"
    exit 1
  fi
  echo "ci-windows: $1: $(wc -l <"$2") finding line(s), the same on Linux and under wine"
}

echo "== package [${SECONDS}s]"
# dist/ is built by npm install (prepare); `npm run package` would compile it again.
[ -f dist/cli/main.js ] || npm run build --silent
node scripts/package.mjs >/dev/null
ls -l release/exhunt-win-x64.exe release/exhunt-linux-x64 | awk '{print $5, $9}'

echo "== wine prefix [${SECONDS}s]"
"$WINE" winecfg -v win10 </dev/null >"$work/winecfg.out" 2>&1

echo "== scan examples/compromised-e2019 [${SECONDS}s]"
set +e
"$LINUX_EXE" scan examples/compromised-e2019 --format json --output "$work/linux-scan.json" 2>"$work/linux-scan.err"
rc=$?
set -e
expect_rc 1 $rc "Linux executable scan"
rc=0; wine_exe win-scan scan examples/compromised-e2019 --format json --output "Z:$work/win-scan.json" || rc=$?
expect_rc 1 $rc "Windows executable scan"
findings "$work/linux-scan.json" >"$work/linux-scan.txt"
findings "$work/win-scan.json" >"$work/win-scan.txt"
same "scan examples/compromised-e2019" "$work/linux-scan.txt" "$work/win-scan.txt"

echo "== Windows path semantics: device name, long path, case [${SECONDS}s]"
# The example again, its China Chopper page also as COM1.aspx (a DOS device name: needs a \\?\
# path on Windows), 300 characters deep (past MAX_PATH) and in an upper-case folder as X.ASPX.
paths="$work/paths"
cp -r examples/compromised-e2019 "$paths"
web="$paths/C/inetpub/wwwroot/aspnet_client/system_web"
shell=$(ls "$web"/*.aspx | head -1)
cp "$shell" "$web/COM1.aspx"
deep="$web/$(printf 'a%.0s' $(seq 120))/$(printf 'b%.0s' $(seq 120))"
mkdir -p "$deep" "$paths/C/inetpub/wwwroot/AspNet_Client2"
cp "$shell" "$deep/deep.aspx"
cp "$shell" "$paths/C/inetpub/wwwroot/AspNet_Client2/X.ASPX"
set +e
"$LINUX_EXE" scan "$paths" --format json --output "$work/linux-paths.json" 2>"$work/linux-paths.err"
rc=$?
set -e
expect_rc 1 $rc "Linux executable scan (paths)"
rc=0; wine_exe win-paths scan "Z:$paths" --format json --output "Z:$work/win-paths.json" || rc=$?
expect_rc 1 $rc "Windows executable scan (paths)"
findings "$work/linux-paths.json" >"$work/linux-paths.txt"
findings "$work/win-paths.json" >"$work/win-paths.txt"
for name in COM1.aspx deep.aspx X.ASPX; do
  grep -q "$name" "$work/win-paths.json" || { echo "ci-windows: $name not in the Windows report"; exit 1; }
done
same "path semantics" "$work/linux-paths.txt" "$work/win-paths.txt"

echo "== live mode: scan C:\\ of the wine prefix [${SECONDS}s]"
cp -r examples/compromised-e2019/C/. "$WINEPREFIX/drive_c/"
# The Setup key as Exchange setup writes it: live mode must find the install through `reg export`.
"$WINE" reg add 'HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup' /v MsiInstallPath \
  /d 'C:\Program Files\Microsoft\Exchange Server\V15' /f </dev/null >"$work/reg-add.out" 2>&1
rc=0; wine_exe win-live scan 'C:\' --format json --output "Z:$work/win-live.json" || rc=$?
expect_rc 1 $rc "Windows executable live scan"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (r.target.kind !== "live") { console.log(`ci-windows: live scan: target.kind is ${r.target.kind}`); process.exit(1); }
  const ex = (r.discovery || []).find((d) => d.kind === "exchange-install");
  if (!ex || !/found by registry/.test(ex.note || "")) { console.log(`ci-windows: live scan: install not found through the registry: ${JSON.stringify(ex)}`); process.exit(1); }
' "$work/win-live.json"
findings "$work/linux-scan.json" --rules >"$work/linux-rules.txt"
findings "$work/win-live.json" --rules >"$work/win-live-rules.txt"
same "live scan C:\\ (rules that fire)" "$work/linux-rules.txt" "$work/win-live-rules.txt"
leftover=$(find "$WINEPREFIX/drive_c/users" -maxdepth 4 -name 'exhunt-*' 2>/dev/null | head -1)
[ -z "$leftover" ] || { echo "ci-windows: temporary folder left behind: $leftover"; exit 1; }

samples=${EXHUNT_SAMPLES:-$repo/../shared/samples}
if [ -d "$samples/evtx" ]; then
  echo "== hunt events $samples/evtx [${SECONDS}s]"
  set +e
  "$LINUX_EXE" hunt events "$samples/evtx" --format json --output "$work/linux-events.json" 2>"$work/linux-events.err"
  lrc=$?
  set -e
  rc=0; wine_exe win-events hunt events "Z:$(cd "$samples/evtx" && pwd)" --format json --output "Z:$work/win-events.json" || rc=$?
  expect_rc $lrc $rc "Windows executable hunt events"
  findings "$work/linux-events.json" >"$work/linux-events.txt"
  findings "$work/win-events.json" >"$work/win-events.txt"
  same "hunt events" "$work/linux-events.txt" "$work/win-events.txt"
else
  echo "== hunt events: skipped ($samples/evtx missing) [${SECONDS}s]"
fi

echo "== agent run --once against a loopback fleet server [${SECONDS}s]"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})')
url="http://127.0.0.1:$port"
export EXHUNT_HOME="$work/home"
printf 'ci-windows-password-1\n' | node bin/exhunt.js user add ci --role admin >/dev/null 2>"$work/user.err"
node bin/exhunt.js serve --listen "127.0.0.1:$port" --log-level error >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
token=$(node -e '
  const [url] = process.argv.slice(1);
  const post = async (p, body, auth) => {
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(url + p, { method: "POST", headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: JSON.stringify(body) });
        if (r.status >= 300) throw new Error(`${p}: HTTP ${r.status} ${await r.text()}`);
        return r.json();
      } catch (e) { if (i >= 50 || /HTTP/.test(e.message)) throw e; await new Promise((res) => setTimeout(res, 200)); }
    }
  };
  (async () => {
    const api = await post("/api/v1/tokens", { name: "ci", password: "ci-windows-password-1", label: "ci-windows" });
    const enrol = await post("/api/v1/enrolment-tokens", { ttlHours: 1, uses: 1 }, api.token);
    console.log(enrol.token);
  })().catch((e) => { console.error(e.message); process.exit(1); });
' "$url")
unset EXHUNT_HOME
rc=0; EXHUNT_HOME='C:\exhunt-ci-home' wine_exe win-enroll agent enroll --server "$url" --token "$token" --hostname ci-wine || rc=$?
expect_rc 0 $rc "agent enroll under wine"
rc=0; EXHUNT_HOME='C:\exhunt-ci-home' wine_exe win-agent agent run examples/compromised-e2019 --once || rc=$?
expect_rc 1 $rc "agent run --once under wine (findings at or above medium)"
grep -q 'stored as report' "$work/win-agent.err" || { echo "ci-windows: agent run --once: the server did not store the report"; tail -20 "$work/win-agent.err"; exit 1; }
echo "ci-windows: agent run --once under wine: $(grep -o 'stored as report [^ ]*' "$work/win-agent.err" | head -1)"
echo "== windows: ok [${SECONDS}s]"
