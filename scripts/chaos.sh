#!/usr/bin/env bash
# The fault tests in their full form (the issue's sizes: PostgreSQL and Redis unreachable for 20 s, a notification
# target down for a minute, longer load): about 15 minutes. CI runs the reduced form as part of scripts/test.sh.
# Figures: artifacts/chaos/chaos-results.md and .json (quoted in docs/reliability.md).
set -uo pipefail
cd "$(dirname "$0")/.."

CHAOS_FULL=1 dotnet test tests/Webhooks.ChaosTests -c "${CONFIGURATION:-Debug}" \
  --blame-hang-timeout 30m --blame-hang-dump-type none \
  --logger "console;verbosity=normal" "$@"
status=$?
cat artifacts/chaos/chaos-results.md 2>/dev/null
exit $status
