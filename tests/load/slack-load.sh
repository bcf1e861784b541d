#!/usr/bin/env bash
# Load run for POST /slack/events: one signed event re-sent by wrk (../shared/tools/realclients/slack-event.lua). Needs /tmp/coachbot-bin from: dotnet publish src/CoachBot -c Release -o /tmp/coachbot-bin. Add taskset -c 0 / -c 1 to pin host and wrk.
# usage: run.sh CONNS DURATION
set -e
SECRET=load-secret
rm -rf /tmp/slackload/data; mkdir -p /tmp/slackload/data
Slack__SigningSecret=$SECRET Slack__BotToken=xoxb-load Slack__ApiBaseUrl=http://127.0.0.1:9/api/ Storage__DataDirectory=/tmp/slackload/data Logging__LogLevel__Default=Warning \
  /tmp/coachbot-bin/coachbot --urls http://127.0.0.1:3100 > /tmp/slackload/host.log 2>&1 &
HOST=$!
for i in $(seq 100); do curl -sf http://127.0.0.1:3100/healthz >/dev/null && break; sleep 0.1; done
TS=$(date +%s)
BODY='{"token":"x","team_id":"T0001","api_app_id":"A0001","type":"event_callback","event_id":"EvLoad1","event_time":1700000000,"authorizations":[{"team_id":"T0001","user_id":"U0BOT","is_bot":true}],"event":{"type":"message","channel":"D024BE91L","channel_type":"im","user":"U2147483697","text":"What does your purchasing process look like?","ts":"1700000001.000100","event_ts":"1700000001.000100"}}'
printf '%s' "$BODY" > /tmp/slackload/body.json
SIG=v0=$(printf 'v0:%s:%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
export SLACK_TS=$TS SLACK_SIG=$SIG SLACK_BODY_FILE=/tmp/slackload/body.json
# warm-up
wrk -t1 -c${1:-10} -d3s -s /work/shared/tools/realclients/slack-event.lua http://127.0.0.1:3100/slack/events >/dev/null
wrk -t1 -c${1:-10} -d${2:-10s} --latency -s /work/shared/tools/realclients/slack-event.lua http://127.0.0.1:3100/slack/events | grep -E "JSON|Requests/sec"
kill $HOST
