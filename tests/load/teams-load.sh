#!/usr/bin/env bash
# Teams load run: the Release-published host with auth on both ways (inbound tokens checked against cached keys,
# outbound replies with an MSAL token) against TeamsLoadPeer.cs, which plays the Bot Framework's metadata, Entra's
# token endpoint and the Bot Connector over https on 127.0.0.1.
#   tests/load/teams-load.sh            # publish, then: one activity re-sent, and unique activities, then the drain
#   SKIP_PUBLISH=1 DURATION=10s CONNECTIONS=10 CONVERSATIONS=20000 tests/load/teams-load.sh
#   PIN=0 tests/load/teams-load.sh      # unpinned: host, wrk and peer share both cores as the scheduler likes
#   RUNS=resent tests/load/teams-load.sh    # only the re-sent run (RUNS=unique: only the unique run and the drain)
# Pinned (the default): host on core 0; wrk and the peer on core 1.
# After the unique run it waits (DRAIN_TIMEOUT seconds, default 600) for the inbox to drain, then prints acks (2xx
# counted by wrk over the warm-up and measured runs), inbox rows by state, the replies the peer counted, and whether
# every acknowledged activity was coached exactly once: every inbox row Done, one reply per inbox row and no other,
# and at least as many rows as acks (an ack is given only after its row is written); it exits 1 when that fails.
# Target: >= 10,000 acks/s with p99 < 5 ms at 10 connections. Needs wrk (apt-get install -y wrk), taskset, curl and
# sqlite3. Every process it starts is stopped by its process id on exit.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${BIN:-/tmp/coachbot-teams-bin}"
artifacts="${ARTIFACTS:-/tmp/teams-load-artifacts}"
work="$(mktemp -d /tmp/teams-load-XXXXXX)"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-10}"
conversations="${CONVERSATIONS:-20000}"
drain_timeout="${DRAIN_TIMEOUT:-600}"
app_id="5f0b7c2e-0000-4000-8000-00000000a0ad"
host_port="${HOST_PORT:-39980}"
peer_port="${PEER_PORT:-39981}"
pids=()

if [[ "${PIN:-1}" == 1 ]]; then
  host_cpu=(taskset -c 0); client_cpu=(taskset -c 1); placement="host on core 0, wrk and peer on core 1"
else
  host_cpu=(); client_cpu=(); placement="unpinned"
fi

cleanup() {
  # The peer's own id too: `dotnet run` starts the app as a child process of its own.
  [[ -f "$work/peer/pid" ]] && pids+=("$(cat "$work/peer/pid")")
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk curl sqlite3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 1; }
done

if [[ "${SKIP_PUBLISH:-0}" != 1 ]]; then
  dotnet publish "$repo/src/CoachBot" -c Release -o "$bin" --artifacts-path "$artifacts" >/dev/null
fi

# Microsoft's side, on https with a self-signed certificate (ca.pem): metadata and keys, token endpoint, connector.
"${client_cpu[@]}" dotnet run --artifacts-path "$artifacts/peer" "$repo/tests/load/TeamsLoadPeer.cs" -- "$peer_port" "$work/peer" "$app_id" \
  >"$work/peer.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 1200); do [[ -f "$work/peer/ready" ]] && break; sleep 0.1; done
[[ -f "$work/peer/ready" ]] || { cat "$work/peer.log" >&2; echo "the load peer did not start" >&2; exit 1; }
peer() { curl -fsS --cacert "$work/peer/ca.pem" "https://127.0.0.1:$peer_port/$1"; }

# The host trusts the peer's certificate the way Linux trusts a private CA: SSL_CERT_FILE, read by OpenSSL at start.
# Logging stays at the shipped appsettings.json levels unless LOG_LEVEL_EF / LOG_LEVEL_DEFAULT is given (e.g. Warning).
env Teams__AppId="$app_id" Teams__AppPassword=load-secret \
    Teams__OpenIdMetadataUrl="$(cat "$work/peer/metadata-url.txt")" \
    Teams__AuthorityHost="$(cat "$work/peer/authority-host.txt")" \
    SSL_CERT_FILE="$work/peer/ca.pem" \
    Storage__DataDirectory="$work/data" \
    ${LOG_LEVEL_EF:+Logging__LogLevel__Microsoft.EntityFrameworkCore=$LOG_LEVEL_EF} \
    ${LOG_LEVEL_DEFAULT:+Logging__LogLevel__Default=$LOG_LEVEL_DEFAULT} \
    "${host_cpu[@]}" "$bin/coachbot" --urls "http://127.0.0.1:$host_port" >"$work/host.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$host_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$host_port/readyz" >/dev/null || { tail -50 "$work/host.log" >&2; echo "the host did not start" >&2; exit 1; }

status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$host_port/api/messages" \
  -H "Authorization: Bearer $(cat "$work/peer/token.txt")" -H 'Content-Type: application/json' --data-binary "@$work/peer/body.json")
[[ "$status" == 200 ]] || { tail -50 "$work/host.log" >&2; echo "a signed activity got $status, not 200" >&2; exit 1; }

# Runs a warm-up (WARMUP, default 3s: JIT, tiering, pools) and the measured run; prints the measured one; adds both runs' acks to $acks.
acks=0
run() {
  local label="$1" unique="$2" out
  echo "== $label: wrk -t1 -c$connections -d$duration --latency ($placement)"
  out=$(TEAMS_LOAD_DIR="$work/peer" TEAMS_LOAD_UNIQUE="$unique" TEAMS_LOAD_TAG="w$unique" TEAMS_LOAD_CONVERSATIONS="$conversations" \
    "${client_cpu[@]}" wrk -t1 -c"$connections" -d"${WARMUP:-3s}" -s "$repo/tests/load/teams-activity.lua" "http://127.0.0.1:$host_port")
  acks=$((acks + $(awk '/^acks /{print $2}' <<<"$out")))
  out=$(TEAMS_LOAD_DIR="$work/peer" TEAMS_LOAD_UNIQUE="$unique" TEAMS_LOAD_TAG="m$unique" TEAMS_LOAD_CONVERSATIONS="$conversations" \
    "${client_cpu[@]}" wrk -t1 -c"$connections" -d"$duration" --latency -s "$repo/tests/load/teams-activity.lua" "http://127.0.0.1:$host_port")
  echo "$out"
  acks=$((acks + $(awk '/^acks /{print $2}' <<<"$out")))
}

db="$work/data/coachbot.db"
sql() { sqlite3 -readonly "$db" "$1"; }

# The re-sent run goes first: its one activity is one inbox row and one reply, and the unique run's drain comes after.
runs="${RUNS:-resent unique}"
if [[ " $runs " == *" resent "* ]]; then
  run "one activity re-sent (auth + parse + recent-deliveries hit)" 0
fi
resent_acks=$acks
acks=0
if [[ " $runs " == *" unique "* ]]; then
  run "unique activities over $conversations conversations (auth + parse + inbox insert per ack; replies meanwhile)" 1
fi
unique_acks=$acks

start=$(date +%s)
pending=$(sql "SELECT COUNT(*) FROM inbox WHERE State = 'Pending'")
echo "== draining the inbox: $pending pending at the end of the run (waiting up to $drain_timeout s)"
pending_at_end=$pending
for _ in $(seq 1 "$drain_timeout"); do
  [[ "$pending" == 0 ]] && break
  sleep 1
  pending=$(sql "SELECT COUNT(*) FROM inbox WHERE State = 'Pending'")
  if (( ($(date +%s) - start) % 30 == 0 )); then echo "   $pending pending after $(( $(date +%s) - start )) s"; fi
done
drained_in=$(( $(date +%s) - start ))

rows=$(sql "SELECT COUNT(*) FROM inbox")
done_rows=$(sql "SELECT COUNT(*) FROM inbox WHERE State = 'Done'")
failed_rows=$(sql "SELECT COUNT(*) FROM inbox WHERE State = 'Failed'")
stats=$(peer stats)
field() { sed -E "s/.*\"$1\":([0-9]+).*/\1/" <<<"$stats"; }
replies=$(field replies); distinct=$(field distinct_reply_to); doubles=$(field doubles)
sql "SELECT DeliveryKey FROM inbox WHERE Channel = 'teams'" | sort >"$work/inbox-ids"
peer replied-ids | sed '/^$/d' | sort >"$work/replied-ids"
unreplied=$(comm -23 "$work/inbox-ids" "$work/replied-ids" | wc -l)
strangers=$(comm -13 "$work/inbox-ids" "$work/replied-ids" | wc -l)
acked_total=$((unique_acks + 1))   # the re-sent activity is one activity, however often it was acknowledged

echo "== acks: $unique_acks unique (warm-up + measured), $resent_acks of the one re-sent activity"
if [[ "$pending" == 0 ]]; then
  echo "== inbox: $rows rows, $done_rows Done, $failed_rows Failed; the $pending_at_end pending at the end of the run took ${drained_in} s"
else
  echo "== inbox: not drained: $pending of $pending_at_end still pending after ${drained_in} s; $rows rows, $done_rows Done, $failed_rows Failed (counted while the host works on)"
fi
echo "== replies: $replies posted, to $distinct distinct activities, $doubles activities answered more than once; $(field token_requests) token requests; $(field replies_without_an_issued_token) replies without an issued token"
echo "== inbox rows without a reply: $unreplied; replies to activities not in the inbox: $strangers"
if (( rows >= acked_total && done_rows == rows && replies == rows && distinct == rows && doubles == 0 && unreplied == 0 && strangers == 0 )); then
  echo "== every acknowledged activity coached exactly once: yes"; exactly_once=1
else
  echo "== every acknowledged activity coached exactly once: NO"; exactly_once=0
fi
echo "== host warnings/failures: $(grep -cE '^(warn|fail)' "$work/host.log" || true)"
grep -E '^(warn|fail)' -A1 "$work/host.log" | grep -v '^--$' | sort | uniq -c | sort -rn | head -6
[[ -z "${KEEP_HOST_LOG:-}" ]] || cp "$work/host.log" "$KEEP_HOST_LOG"
# A run that lost or doubled a reply fails, whatever its speed.
[[ "$exactly_once" == 1 ]] || exit 1
