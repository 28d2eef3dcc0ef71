#!/usr/bin/env bash
# The test command (README): real Temporal dev server + real PostgreSQL, then one closing line
# `N passed, N failed, N skipped` taken from Jest's JSON results (CI reads that line).
set -u
cd "$(dirname "$0")/.."
export PRISMA_SCHEMA_ENGINE_BINARY=/bin/false
node_modules/.bin/prisma generate >/dev/null || { echo "prisma generate failed"; echo "0 passed, 1 failed"; exit 1; }
node_modules/.bin/tsx scripts/temporal-install.ts || { echo "0 passed, 1 failed"; exit 1; }
rm -f .jest-results.json
node_modules/.bin/jest --runInBand --forceExit --json --outputFile=.jest-results.json "$@"
rc=$?
node -e '
  const r = require(process.cwd() + "/.jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || { echo "0 passed, 1 failed"; rc=1; }
exit $rc
