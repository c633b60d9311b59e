#!/usr/bin/env bash
# README command 1: set up whatever is missing, then run the whole service locally.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${MONGODB_URI:-}" ] || command -v mongod >/dev/null; then export SKIP_FERRETDB=1; fi
bash scripts/bootstrap.sh
# The web console is built when missing or older than its sources.
if [ ! -f console/dist/index.html ] || [ -n "$(find console/src console/index.html console/vite.config.ts -newer console/dist/index.html -print -quit)" ]; then
  echo "== console build"; npm run --silent build:console
fi
exec node --import tsx scripts/dev.ts
