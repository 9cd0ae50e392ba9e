#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need, starts a throw-away PostgreSQL+PostGIS on a
# free loopback port, builds the web console, runs every test, stops PostgreSQL. Exit code = the tests' exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '[test] %s\n' "$*"; }

# 1. Debian packages the tests need (PostgreSQL + PostGIS for the scale-out store tests, Chromium for the console).
PGVER=15
PGBIN=/usr/lib/postgresql/$PGVER/bin
need=()
[ -x "$PGBIN/initdb" ] || need+=(postgresql "postgresql-$PGVER")
dpkg -s "postgresql-$PGVER-postgis-3" >/dev/null 2>&1 || need+=("postgresql-$PGVER-postgis-3")
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  log "installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. A throw-away PostgreSQL on a free loopback port (PostgreSQL refuses to run as root: use the postgres user then).
port=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
pgdir=$(mktemp -d /tmp/yunlu-pg.XXXXXX)
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
stop_pg() {
  run_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop_pg EXIT
run_pg "$PGBIN/initdb" -D "$pgdir/data" -U postgres -A trust --no-sync >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-h 127.0.0.1 -p $port -k $pgdir -c fsync=off -c max_connections=300" start >/dev/null
export YUNLU_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
log "PostgreSQL $PGVER with PostGIS on 127.0.0.1:$port"

# 3. The web console (offline CesiumJS build) when present.
if [ -f web/package.json ]; then
  log "building the web console"
  (cd web && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent && npm run check --silent)
fi

# 4. Every test.
export YUNLU_CHROMIUM=/usr/bin/chromium
log "running the test suite"
dotnet test "$ROOT/Yunlu.slnx" -c Release "$@"
