#!/usr/bin/env bash
# Slack load run: the Release-published host with its durable inbox (SQLite) on core 0, wrk on core 1, and a fake
# Slack Web API (tests/load/SlackLoadPeer.cs) that counts the replies. Issue 3's bar: >= 14,000 acknowledged signed
# events/s with p99 < 5 ms at 10 connections, and every acknowledged event coached.
#
#   tests/load/slack-load.sh                              # publish, then distinct events: 3 s warm-up + 10 s measured
#   SKIP_PUBLISH=1 DURATION=3s tests/load/slack-load.sh   # reuse $BIN; a short run drains quickly
#   MODE=resend tests/load/slack-load.sh                  # one signed event re-sent (a Slack retry storm)
#
# MODE=unique (default): the peer signs EVENTS distinct message.im events (own event_id, own channel and ts), and
#   tests/load/slack-events-unique.lua sends each once, in order; the measured run carries on where the warm-up
#   stopped. Every ack is new work: one inbox row, one coaching reply.
# MODE=resend: the same event over and over; the first is new work, the rest are duplicates.
# After the runs it waits (at most DRAIN_TIMEOUT seconds) until the inbox has no Pending rows, then compares what wrk
# saw acknowledged with the inbox and with the posts the fake received, and says whether every acknowledged event was
# coached exactly once (exit 0) or not (exit 1).
#
# Settings (environment):
#   BIN=/tmp/coachbot-slack-bin   where the host is published (dotnet publish ... --artifacts-path $ARTIFACTS)
#   ARTIFACTS=/tmp/slack-load-artifacts   the publish's own obj/bin, away from the repository's
#   SKIP_PUBLISH=1                use the host already in BIN
#   CONNECTIONS=10 DURATION=10s WARMUP=3s   wrk -t1 -c$CONNECTIONS; durations in s or m (10s, 1m)
#   EVENTS=400000                 distinct events signed (enough for the warm-up and a 10 s run at ~25,000/s;
#                                 the runs report "cycled" if they ran out, and those requests are duplicates)
#   CHANNELS=EVENTS/20            DM channels the events are spread over, round-robin (see "Channels" below)
#   PIN=1                         host on core 0 (taskset -c 0), wrk and the fake on core 1; PIN=0 runs unpinned
#   DRAIN_TIMEOUT=600             seconds to wait for the inbox to drain
#   POST_DELAY_MS=0               the fake answers chat.postMessage after this many ms (real Slack takes ~100 ms or more)
#   TOP_LEVEL=1                   top-level DMs instead of thread replies (distinct posts are then only a lower bound)
#   LOG_LEVEL_DEFAULT=Warning     host log level (default: the shipped appsettings.json, Information)
#   HOST_PORT=39970 PEER_PORT=39971; KEEP_WORK=1 keeps the work folder (requests, database, logs)
#
# Channels: the bot paces chat.postMessage to about one per second per channel (src/CoachBot/Processing/
# ConversationPacer.cs), so the backlog cannot drain faster than CHANNELS posts a second, and a channel with k events
# needs at least k seconds. With EVENTS/20 channels (20,000 for 400,000 events) the pacer allows 20,000 posts a second
# and no channel holds more than 20 events (about 10 after a run at the 14,000/s target), so the worker's own speed,
# not the pacer, decides the drain time: at the target a 13 s run leaves about 180,000 events to coach.
#
# The events are signed with the time the peer generates them and the host refuses a timestamp more than 300 s
# old: the peer generates them after the host is up, and WARMUP + DURATION must stay under 240 s.
# Needs wrk, sqlite3, curl, taskset (apt-get install -y wrk sqlite3 curl util-linux) and the .NET 10 SDK.
# Every process it starts is stopped by its process id on exit.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${BIN:-/tmp/coachbot-slack-bin}"
mode="${MODE:-unique}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-3s}"
connections="${CONNECTIONS:-10}"
events="${EVENTS:-400000}"
host_port="${HOST_PORT:-39970}"
peer_port="${PEER_PORT:-39971}"
drain_timeout="${DRAIN_TIMEOUT:-600}"
secret="slack-load-signing-secret"
pids=()

missing=()
for tool in wrk sqlite3 curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
[[ "${PIN:-1}" == 0 ]] || command -v taskset >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  echo "missing: ${missing[*]}. Install with: apt-get install -y ${missing[*]}" >&2
  exit 2
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is missing" >&2; exit 2; }

case "$mode" in
  unique) ;;
  resend) events=1 ;;
  *) echo "MODE must be unique or resend, not '$mode'" >&2; exit 2 ;;
esac
channels="${CHANNELS:-$(( events / 20 > 0 ? events / 20 : 1 ))}"

seconds() { # 10s, 2m, 10 -> whole seconds
  case "$1" in
    *ms) echo 0 ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *) echo "$1" ;;
  esac
}
if (( $(seconds "$warmup") + $(seconds "$duration") >= 240 )); then
  echo "WARMUP + DURATION must stay under 240 s: the signatures expire 300 s after the peer makes them" >&2
  exit 2
fi

if [[ "${PIN:-1}" == 0 ]]; then
  pin_host=() pin_load=()
else
  pin_host=(taskset -c 0) pin_load=(taskset -c 1)
fi

work="$(mktemp -d /tmp/slack-load-XXXXXX)"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "${KEEP_WORK:-}" ]]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ "${SKIP_PUBLISH:-0}" != 1 ]]; then
  echo "== publishing the host (Release) to $bin"
  dotnet publish "$repo/src/CoachBot" -c Release -o "$bin" --artifacts-path "${ARTIFACTS:-/tmp/slack-load-artifacts}" >"$work/publish.log" 2>&1 \
    || { tail -30 "$work/publish.log" >&2; echo "publish failed" >&2; exit 1; }
fi
[[ -x "$bin/coachbot" ]] || { echo "no host at $bin/coachbot (publish it, or unset SKIP_PUBLISH)" >&2; exit 1; }

# The host first: the events' signatures start ageing when the peer makes them.
echo "== host: $bin/coachbot on 127.0.0.1:$host_port${pin_host[*]:+ (${pin_host[*]})}, data in $work/data"
env Slack__SigningSecret="$secret" Slack__BotToken=xoxb-load \
    Slack__ApiBaseUrl="http://127.0.0.1:$peer_port/api/" \
    Storage__DataDirectory="$work/data" \
    ${LOG_LEVEL_DEFAULT:+Logging__LogLevel__Default=$LOG_LEVEL_DEFAULT} \
    "${pin_host[@]}" "$bin/coachbot" --urls "http://127.0.0.1:$host_port" >"$work/host.log" 2>&1 &
pids+=($!)
host_pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$host_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$host_port/readyz" >/dev/null || { tail -50 "$work/host.log" >&2; echo "the host did not start" >&2; exit 1; }

peer_args=("$peer_port" "$work/peer" "$secret" "$events" --channels "$channels" --post-delay-ms "${POST_DELAY_MS:-0}")
[[ -f "$repo/../shared/devset/questions.tsv" ]] && peer_args+=(--questions "$repo/../shared/devset/questions.tsv")
[[ "${TOP_LEVEL:-0}" == 1 ]] && peer_args+=(--top-level)
echo "== peer: $events signed event(s) over $channels channel(s), fake Slack Web API on 127.0.0.1:$peer_port (the first run compiles it)"
"${pin_load[@]}" dotnet run -c Release "$repo/tests/load/SlackLoadPeer.cs" -- "${peer_args[@]}" >"$work/peer.log" 2>&1 &
pids+=($!)
peer_pid=$!
for _ in $(seq 1 3000); do [[ -f "$work/peer/ready" ]] && break; kill -0 "$peer_pid" 2>/dev/null || break; sleep 0.1; done
[[ -f "$work/peer/ready" ]] || { cat "$work/peer.log" >&2; echo "the load peer did not start" >&2; exit 1; }
cat "$work/peer.log"
signed_at=$(sed -n 's/^signed_at=//p' "$work/peer/info.txt")
threaded=$(sed -n 's/^threaded=//p' "$work/peer/info.txt")

counts() { curl -fs "http://127.0.0.1:$peer_port/counts"; }
field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" <<<"$1"; }   # a number from the fake's /counts JSON
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }           # a value from the Lua script's "slackload ..." line
sql() { sqlite3 -cmd ".timeout 10000" "$work/data/coachbot.db" "$1"; }

# One event sent by curl first: a wrong secret or a broken host shows here, not as a run full of 401s.
IFS=$'\t' read -r probe_sig probe_ts probe_body <"$work/peer/probe.txt"
status=$(printf '%s' "$probe_body" | curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$host_port/slack/events" \
  -H 'Content-Type: application/json' -H "X-Slack-Request-Timestamp: $probe_ts" -H "X-Slack-Signature: $probe_sig" --data-binary @-)
[[ "$status" == 200 ]] || { tail -50 "$work/host.log" >&2; echo "a signed event got $status, not 200" >&2; exit 1; }

lua_env=(SLACK_LOAD_FILE="$work/peer/requests.txt" SLACK_LOAD_STATE="$work/next-line")
[[ "$mode" == resend ]] && lua_env+=(SLACK_LOAD_RESEND=1)
url="http://127.0.0.1:$host_port"

echo "== warm-up: wrk -t1 -c$connections -d$warmup${pin_load[*]:+ (${pin_load[*]})}"
warm_out=$(env "${lua_env[@]}" SLACK_LOAD_LABEL=warm-up "${pin_load[@]}" wrk -t1 -c"$connections" -d"$warmup" \
  -s "$repo/tests/load/slack-events-unique.lua" "$url")
grep -v '^slackload ' <<<"$warm_out" | grep '^warm-up' || true
warm=$(grep '^slackload ' <<<"$warm_out") || { echo "$warm_out" >&2; echo "wrk printed no summary" >&2; exit 1; }

echo "== measured ($mode): wrk -t1 -c$connections -d$duration --latency${pin_load[*]:+ (${pin_load[*]})}, host${pin_host[*]:+ (${pin_host[*]})}"
main_out=$(env "${lua_env[@]}" SLACK_LOAD_LABEL=measured "${pin_load[@]}" wrk -t1 -c"$connections" -d"$duration" --latency \
  -s "$repo/tests/load/slack-events-unique.lua" "$url")
measured_end=$(date +%s.%N)
backlog=$(sql "SELECT COUNT(*) FROM inbox WHERE State='Pending'")
grep -v '^slackload ' <<<"$main_out"
main=$(grep '^slackload ' <<<"$main_out") || { echo "$main_out" >&2; echo "wrk printed no summary" >&2; exit 1; }
age=$(( $(date +%s) - signed_at ))
(( age < 300 )) || echo "WARNING: the signatures were ${age} s old at the end of the run; later ones may have been refused (401)"

echo "== waiting for the inbox to drain (at most ${drain_timeout} s)"
drained=""
deadline=$(( $(date +%s) + drain_timeout ))
last_report=0
while (( $(date +%s) < deadline )); do
  pending=$(sql "SELECT COUNT(*) FROM inbox WHERE State='Pending'")
  if [[ "$pending" == 0 ]]; then drained=$(date +%s.%N); break; fi
  kill -0 "$host_pid" 2>/dev/null || { echo "the host died while draining" >&2; break; }
  if (( $(date +%s) - last_report >= 10 )); then
    last_report=$(date +%s)
    echo "   pending $pending, posts so far $(field "$(counts)" posts)"
  fi
  sleep 0.5
done

# Everything the run needs to judge it.
rows=$(sql "SELECT COUNT(*) FROM inbox")
done_rows=$(sql "SELECT COUNT(*) FROM inbox WHERE State='Done'")
failed=$(sql "SELECT COUNT(*) FROM inbox WHERE State='Failed'")
pending=$(sql "SELECT COUNT(*) FROM inbox WHERE State='Pending'")
c=$(counts)
posts=$(field "$c" posts) distinct=$(field "$c" distinct) duplicates=$(field "$c" duplicates)
foreign=$(field "$c" foreign) bad=$(field "$c" bad_requests)
first_post=$(field "$c" first_post_ms) last_post=$(field "$c" last_post_ms)
warm_acks=$(kv "$warm" acks) main_acks=$(kv "$main" acks)
acks=$(( 1 + warm_acks + main_acks ))   # the probe, the warm-up's 2xx and the measured run's 2xx
non2xx=$(( $(kv "$warm" non2xx) + $(kv "$main" non2xx) ))
socket_errors=$(( $(kv "$warm" socket_errors) + $(kv "$main" socket_errors) ))
cycled=$(( $(kv "$warm" cycled) + $(kv "$main" cycled) ))

echo "== results"
echo "measured: $(kv "$main" rps) acks/s (2xx $main_acks of $(kv "$main" requests) requests), p50 $(kv "$main" p50_ms) ms, p90 $(kv "$main" p90_ms) ms, p99 $(kv "$main" p99_ms) ms, max $(kv "$main" max_ms) ms, at $connections connections"
echo "acks: $acks (probe 1 + warm-up $warm_acks + measured $main_acks); non-2xx $non2xx; socket errors $socket_errors; cycled (duplicates sent) $cycled"
echo "inbox: $rows rows; Done $done_rows, Failed $failed, Pending $pending"
(( failed == 0 )) || sql "SELECT '   failed: ' || COALESCE(LastError, '?') || ' x' || COUNT(*) FROM inbox WHERE State='Failed' GROUP BY LastError"
echo "fake Slack: $posts chat.postMessage, $distinct distinct (channel, thread_ts|text), $duplicates repeated, $foreign matching no event, $bad bad requests; calls $(sed -n 's/.*"calls":\({[^}]*}\).*/\1/p' <<<"$c")"
if [[ -n "$drained" ]]; then
  drain_s=$(awk -v a="$measured_end" -v b="$drained" 'BEGIN { printf "%.1f", b - a }')
  echo "drain: $backlog events pending when the measured run ended, all coached $drain_s s later ($(awk -v n="$backlog" -v s="$drain_s" 'BEGIN { r = n; if (s > 0) r = n / s; printf "%.0f", r }')/s); posts went out over $(awk -v a="$first_post" -v b="$last_post" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s ($(awk -v n="$posts" -v a="$first_post" -v b="$last_post" 'BEGIN { r = n; if (b > a) r = n * 1000 / (b - a); printf "%.0f", r }') posts/s)"
else
  echo "drain: NOT drained after ${drain_timeout} s ($pending pending)"
fi
warnings=$(grep -cE '^(warn|fail|crit)' "$work/host.log" || true)
echo "host log: $warnings warnings/failures"
grep -E '^(warn|fail|crit)' -A1 "$work/host.log" | grep -vE '^(warn|fail|crit|--)' | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn | head -8 || true
[[ -z "${KEEP_HOST_LOG:-}" ]] || cp "$work/host.log" "$KEEP_HOST_LOG"

# The verdict. An event wrk saw acknowledged is in the inbox (the 200 goes back after the write); requests still in
# flight when wrk stopped may be in the inbox without wrk having counted their 200: rows may exceed acks by up to
# the connections of each run, never fall short of them.
problems=()
if [[ "$mode" == resend ]]; then
  expected=2   # the probe and the re-sent event
  (( warm_acks + main_acks > 0 )) || expected=1
  (( rows == expected )) || problems+=("$rows inbox rows, expected $expected (the probe and the one re-sent event)")
else
  (( rows >= acks )) || problems+=("$(( acks - rows )) acknowledged events are not in the inbox")
  (( rows - acks <= 2 * connections )) || problems+=("$(( rows - acks )) more inbox rows than acks (more than the requests in flight)")
  (( cycled == 0 )) || problems+=("the events ran out: $cycled requests repeated events (raise EVENTS)")
fi
[[ -n "$drained" ]] || problems+=("$pending events still pending after ${drain_timeout} s")
(( failed == 0 )) || problems+=("$failed events failed")
(( done_rows == rows )) || problems+=("only $done_rows of $rows inbox rows are Done")
(( posts == done_rows )) || problems+=("$posts posts for $done_rows coached events")
(( duplicates == 0 )) || problems+=("$duplicates posts repeated a (channel, thread_ts|text) already posted")
if [[ "$threaded" == 1 ]]; then
  (( distinct == posts )) || problems+=("$distinct distinct posts of $posts")
fi
(( foreign == 0 )) || problems+=("$foreign posts answer no generated event")
(( bad == 0 )) || problems+=("the fake got $bad requests it could not read")

if [[ "$mode" == unique ]]; then
  rps=$(kv "$main" rps) p99=$(kv "$main" p99_ms)
  if awk -v r="$rps" -v p="$p99" 'BEGIN { exit !(r >= 14000 && p < 5) }'; then speed="met"; else speed="NOT met"; fi
  echo "speed bar (>= 14,000 acks/s, p99 < 5 ms, at 10 connections): $speed at $connections connections ($rps/s, p99 $p99 ms)"
  (( non2xx == 0 )) || echo "note: $non2xx signed events were refused (non-2xx): Slack would retry them"
fi
if ((${#problems[@]} == 0)); then
  extra=""
  [[ "$mode" == unique ]] && (( rows > acks )) && extra="; $(( rows - acks )) more were in flight when wrk stopped and were coached too"
  [[ "$threaded" == 1 ]] || extra="$extra; top-level DMs: distinct posts are only a lower bound"
  echo "VERDICT: every acknowledged event was coached exactly once: YES ($acks acks, $rows events in the inbox, $done_rows Done, $posts posts, $distinct distinct$extra)"
  exit 0
fi
echo "VERDICT: every acknowledged event was coached exactly once: NO"
for p in "${problems[@]}"; do echo "  - $p"; done
exit 1
