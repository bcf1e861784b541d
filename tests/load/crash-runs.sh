#!/usr/bin/env bash
# The crash runs (by hand, not CI): the real host killed with SIGKILL while a loopback fake Slack (0.5 s per post,
# posts land even when the caller is gone) holds its replies, then
#   1. restarted on the same database, SQLite and PostgreSQL: every DM answered within 30 s of the restart, none twice;
#   2. two replicas on one PostgreSQL database, DMs and nudges due at once, the replica sending nudges killed:
#      every DM and nudge delivered within 30 s of the kill, none twice on Slack; Teams doubles counted.
# The runs are tests/CoachBot.Tests/CrashRecoveryTests.cs at the sizes below; each prints one figure line.
#   tests/load/crash-runs.sh                # 200 DMs per restart run; 1,000 DMs and 300 nudges for two replicas
#   CRASH_DMS=500 SCALE_DMS=2000 SCALE_NUDGES=600 tests/load/crash-runs.sh
# Needs the .NET 10 SDK; PostgreSQL comes from .ci/postgres-up (started if it is not running).
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(.ci/postgres-up)"
export COACHBOT_CRASH_DMS="${CRASH_DMS:-200}" COACHBOT_SCALE_DMS="${SCALE_DMS:-1000}" COACHBOT_SCALE_NUDGES="${SCALE_NUDGES:-300}"
dotnet build tests/CoachBot.Tests -v q -nologo >&2
log=$(mktemp)
status=0
dotnet test tests/CoachBot.Tests --no-build \
  --filter "FullyQualifiedName~CrashRecoveryTests.Killed_with|FullyQualifiedName~CrashRecoveryTests.Killing" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
grep -E '^ +(sqlite|postgres)[:,]' "$log" | sed 's/^ *//' | sort -u
grep -E '^ +(Passed|Failed) CoachBot' "$log" | sed 's/^ *//'
rm -f "$log"
exit "$status"
