#!/usr/bin/env bash
# Teams load run: the Release-published host with auth on (cached keys) pinned to core 0, wrk pinned to core 1.
#   tests/load/teams-load.sh            # publish, then: unique activities (one inbox insert per ack) and a re-sent one
#   SKIP_PUBLISH=1 DURATION=10s CONNECTIONS=10 tests/load/teams-load.sh
# Target: >= 10,000 acks/s with p99 < 5 ms at 10 connections. Needs wrk (apt-get install -y wrk) and taskset.
# Every process it starts is stopped by its process id on exit.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${BIN:-/tmp/coachbot-teams-bin}"
work="$(mktemp -d /tmp/teams-load-XXXXXX)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-10}"
app_id="5f0b7c2e-0000-4000-8000-00000000a0ad"
host_port="${HOST_PORT:-39980}"
peer_port="${PEER_PORT:-39981}"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

if [[ "${SKIP_PUBLISH:-0}" != 1 ]]; then
  dotnet publish "$repo/src/CoachBot" -c Release -o "$bin" --artifacts-path /tmp/teams-load-artifacts >/dev/null
fi

# The Bot Framework's side: metadata + keys on loopback, a token and an activity to send.
dotnet run "$repo/tests/load/TeamsLoadPeer.cs" -- "$peer_port" "$work/peer" "$app_id" >"$work/peer.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do [[ -f "$work/peer/ready" ]] && break; sleep 0.1; done
[[ -f "$work/peer/ready" ]] || { cat "$work/peer.log" >&2; echo "the load peer did not start" >&2; exit 1; }

# Logging stays at the shipped appsettings.json levels unless LOG_LEVEL_EF is given (e.g. Warning).
env Teams__AppId="$app_id" Teams__AppPassword=x \
    Teams__OpenIdMetadataUrl="$(cat "$work/peer/metadata-url.txt")" \
    Storage__DataDirectory="$work/data" \
    ${LOG_LEVEL_EF:+Logging__LogLevel__Microsoft.EntityFrameworkCore=$LOG_LEVEL_EF} \
    ${LOG_LEVEL_DEFAULT:+Logging__LogLevel__Default=$LOG_LEVEL_DEFAULT} \
    taskset -c 0 "$bin/coachbot" --urls "http://127.0.0.1:$host_port" >"$work/host.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$host_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$host_port/readyz" >/dev/null || { tail -50 "$work/host.log" >&2; echo "the host did not start" >&2; exit 1; }

status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$host_port/api/messages" \
  -H "Authorization: Bearer $(cat "$work/peer/token.txt")" -H 'Content-Type: application/json' --data-binary "@$work/peer/body.json")
[[ "$status" == 200 ]] || { tail -50 "$work/host.log" >&2; echo "a signed activity got $status, not 200" >&2; exit 1; }

run() {
  local label="$1" unique="$2"
  echo "== $label: wrk -t1 -c$connections -d$duration --latency (core 1), host on core 0"
  TEAMS_LOAD_DIR="$work/peer" TEAMS_LOAD_UNIQUE="$unique" taskset -c 1 wrk -t1 -c"$connections" -d3s \
    -s "$repo/tests/load/teams-activity.lua" "http://127.0.0.1:$host_port" >/dev/null   # warm-up (JIT, tiering, pools)
  TEAMS_LOAD_DIR="$work/peer" TEAMS_LOAD_UNIQUE="$unique" taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --latency \
    -s "$repo/tests/load/teams-activity.lua" "http://127.0.0.1:$host_port"
}

# The re-sent run goes first: afterwards the worker is busy with the unique run's thousands of inbox items (their
# replies fail offline: no outbound token without login.microsoftonline.com), which would share core 0.
run "one activity re-sent (auth + parse + recent-deliveries hit)" 0
run "unique activities (auth + parse + inbox insert per ack)" 1
echo "== inbox rows: $(sqlite3 "$work/data/coachbot.db" 'SELECT COUNT(*) FROM inbox' 2>/dev/null || echo 'n/a (no sqlite3)')"
echo "== host warnings/failures: $(grep -cE '^(warn|fail)' "$work/host.log" || true)"
grep -E '^(warn|fail)' -A1 "$work/host.log" | grep -v '^--$' | sort | uniq -c | sort -rn | head -6
[[ -z "${KEEP_HOST_LOG:-}" ]] || cp "$work/host.log" "$KEEP_HOST_LOG"
