#!/usr/bin/env bash
# Runs every test of the solution: unit, integration (real PostgreSQL and Garnet), end-to-end (the whole
# stack through the AppHost library) and browser tests (Playwright + Chromium).
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

./scripts/install-prerequisites.sh || exit 1

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# A hung test fails its project after 15 minutes (with a dump) instead of eating CI's whole time budget.
dotnet test Webhooks.sln -c "${CONFIGURATION:-Debug}" \
  --blame-hang-timeout 15m --blame-hang-dump-type none \
  --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        outcome = result.get("outcome")
        if outcome == "Passed": passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"): skipped += 1
        else:
            failed += 1
            message = result.find(".//t:Message", ns)
            first_line = (message.text or "").strip().splitlines()[0] if message is not None and message.text else ""
            # The test's own line (not the assertion library's): which of a test's assertions failed.
            trace = result.find(".//t:StackTrace", ns)
            frames = [f.strip() for f in (trace.text or "").splitlines()] if trace is not None else []
            ours = [f for f in frames if f.startswith("at Webhooks.") and ":line " in f]
            where = ours[0].split(" in ", 1)[-1].rsplit("/", 1)[-1] if ours else ""
            failures.append(f"FAILED {result.get('testName')} ({where}): {first_line[:300]}")
# CI shows only the end of the log: name what failed right above the summary.
for line in failures: print(line)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
