#!/usr/bin/env bash
# README command 2: set up whatever is missing, then type-check, lint and run every test
# against real servers that the test setup starts on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${TEST_MONGODB_URI:-}" ]; then export SKIP_FERRETDB=1; fi
bash scripts/bootstrap.sh
# One command a line: under `set -e` a failure inside `a && b` does not stop the script.
echo "== type-check"
npx tsc --noEmit
npx tsc --noEmit -p console
echo "== lint";       npx eslint .
echo "== tests";      npx vitest run "$@"
