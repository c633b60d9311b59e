#!/usr/bin/env bash
# README command 1: set up whatever is missing, then run the whole service locally.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${MONGODB_URI:-}" ] || command -v mongod >/dev/null; then export SKIP_FERRETDB=1; fi
bash scripts/bootstrap.sh
exec node --import tsx scripts/dev.ts
