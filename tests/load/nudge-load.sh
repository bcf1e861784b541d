#!/usr/bin/env bash
# The nudge speed figure (by hand, not CI): builds the host and the driver, then runs COUNT (default 10000) nudges
# due at once through one host on SQLite against fake Slack/Teams APIs answering in 20 ms.
#   tests/load/nudge-load.sh [COUNT] [PARALLELISM]
set -euo pipefail
cd "$(dirname "$0")/../.."
artifacts=${ARTIFACTS:-/tmp/nudge-load-artifacts}
dotnet build src/CoachBot -c Release --artifacts-path "$artifacts" -v q -nologo >&2
dotnet build tests/load/nudge-load -c Release --artifacts-path "$artifacts" -v q -nologo >&2
exec dotnet "$artifacts/bin/nudge-load/release/nudge-load.dll" "$artifacts/bin/CoachBot/release/coachbot.dll" "$@"
