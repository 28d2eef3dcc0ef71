#!/usr/bin/env bash
# The test command (README): real Temporal dev server + real PostgreSQL, then one closing line
# `N passed, N failed, N skipped` taken from Jest's JSON results (CI reads that line).
set -u
cd "$(dirname "$0")/.."
fail() { echo "usermod tests could not run: $1" >&2; echo "0 passed, 1 failed"; exit 1; }
node_modules/.bin/tsx scripts/prisma-generate.ts >/dev/null || fail "prisma generate failed (see above)"
node_modules/.bin/tsx scripts/temporal-install.ts || fail "no Temporal CLI (see above)"
rm -f .jest-results.json
node_modules/.bin/jest --runInBand --forceExit --json --outputFile=.jest-results.json "$@"
rc=$?
# The global setup stops its servers itself; if Jest died before its teardown, stop them here.
if [ -f .cache/test-stack-pids.json ]; then
  for pid in $(node -e 'for (const p of require("./.cache/test-stack-pids.json")) console.log(p)'); do
    kill "$pid" 2>/dev/null && echo "stopped leftover test server (pid $pid)" >&2
  done
  rm -f .cache/test-stack-pids.json
fi
if [ ! -f .jest-results.json ]; then
  fail "Jest wrote no results (exit code $rc); the cause is printed above"
fi
node -e '
  const r = require(process.cwd() + "/.jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || fail "unreadable .jest-results.json"
exit $rc
