# Shared by scripts/start and scripts/test: install what is missing, start the local services
# on loopback with their data under one state directory, and stop on exit only what we started.
# Sourced, not run. Every failure names the service and points at its log.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export SLIPWAY_STATE_DIR="${SLIPWAY_STATE_DIR:-$ROOT/.slipway}"
export SLIPWAY_PG_PORT="${SLIPWAY_PG_PORT:-15432}"
export SLIPWAY_REDIS_PORT="${SLIPWAY_REDIS_PORT:-16379}"
# Local development credentials only; production sets DATABASE_URL to a managed database.
export DATABASE_URL="${DATABASE_URL:-postgresql://slipway:slipway@127.0.0.1:$SLIPWAY_PG_PORT/slipway}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$SLIPWAY_REDIS_PORT}"
# Turborepo would otherwise phone home on every run; these machines have no network.
export TURBO_TELEMETRY_DISABLED=1

PG_BIN="/usr/lib/postgresql/15/bin"
PG_DATA="$SLIPWAY_STATE_DIR/postgres"
PG_RUN="$SLIPWAY_STATE_DIR/run/postgres"
REDIS_DIR="$SLIPWAY_STATE_DIR/redis"
LOG_DIR="$SLIPWAY_STATE_DIR/logs"
STARTED_SERVICES=()

log() { printf '\033[1;34m[slipway]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[slipway] error:\033[0m %s\n' "$*" >&2; exit 1; }

# OS packages: apt-get only what is missing, so a second run is quick and offline-safe.
ensure_os_packages() {
  local wanted=("$@") missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing OS packages (${missing[*]}); run as root or install them first"
  log "installing OS packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed; see $LOG_DIR/apt.log"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 ||
    die "apt-get install ${missing[*]} failed; see $LOG_DIR/apt.log"
  # Debian's postinst may start its own cluster/server on the default ports; ours use their own
  # ports and data, so those are left alone.
}

# qemu-user-static runs foreign-platform builds under emulation; docker-registry is a local
# registry for the push tests; openssl makes the remote engines' test certificates.
BASE_PACKAGES=(postgresql redis-server docker.io busybox-static qemu-user-static ca-certificates)
TEST_PACKAGES=(chromium chromium-driver fonts-liberation docker-registry openssl)

ensure_npm_dependencies() {
  local stamp="$ROOT/node_modules/.slipway-lock-hash"
  local want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm dependencies (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund >"$LOG_DIR/npm-ci.log" 2>&1) ||
    die "npm ci failed; see $LOG_DIR/npm-ci.log"
  echo "$want" >"$stamp"
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SLIPWAY_PG_PORT"; }

start_postgres() {
  [ -x "$PG_BIN/postgres" ] || die "PostgreSQL 15 is not installed ($PG_BIN/postgres missing)"
  mkdir -p "$PG_RUN"
  chown postgres:postgres "$PG_RUN"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL data in $PG_DATA"
    mkdir -p "$PG_DATA"
    chown postgres:postgres "$PG_DATA"
    chmod 700 "$PG_DATA"
    local pwfile
    pwfile="$(mktemp)"
    echo "slipway" >"$pwfile"
    chown postgres "$pwfile"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U slipway --pwfile="$pwfile" \
      --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
      >"$LOG_DIR/postgres-init.log" 2>&1 ||
      { rm -f "$pwfile"; die "PostgreSQL initdb failed; see $LOG_DIR/postgres-init.log"; }
    rm -f "$pwfile"
  fi
  if pg_ready; then log "PostgreSQL already running on 127.0.0.1:$SLIPWAY_PG_PORT"; return 0; fi
  runuser -u postgres -- test -w "$PG_DATA" ||
    die "PostgreSQL cannot write $PG_DATA as user postgres: make its parent folders traversable (chmod o+x)"
  log "starting PostgreSQL on 127.0.0.1:$SLIPWAY_PG_PORT"
  touch "$LOG_DIR/postgres.log" && chown postgres "$LOG_DIR/postgres.log"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $SLIPWAY_PG_PORT -k $PG_RUN -c max_connections=200 -c fsync=on" \
    start >/dev/null 2>&1 || die "PostgreSQL did not start; see $LOG_DIR/postgres.log"
  STARTED_SERVICES+=(postgres)
}

stop_postgres() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

ensure_database() {
  local db="$1"
  local exists
  exists="$(PGPASSWORD=slipway psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U slipway -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$db'")" || die "cannot connect to PostgreSQL"
  if [ "$exists" != "1" ]; then
    PGPASSWORD=slipway psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U slipway -d postgres -qc \
      "CREATE DATABASE \"$db\"" || die "cannot create database $db"
  fi
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$SLIPWAY_REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  command -v redis-server >/dev/null || die "redis-server is not installed"
  mkdir -p "$REDIS_DIR"
  if redis_ready; then log "Redis already running on 127.0.0.1:$SLIPWAY_REDIS_PORT"; return 0; fi
  log "starting Redis on 127.0.0.1:$SLIPWAY_REDIS_PORT"
  # BullMQ needs noeviction; append-only with fsync on every write, so a batch ingest acknowledged
  # survives even a machine crash (ingest also sets it on connect; measured: no throughput cost).
  redis-server --bind 127.0.0.1 --port "$SLIPWAY_REDIS_PORT" --dir "$REDIS_DIR" \
    --appendonly yes --appendfsync always --maxmemory-policy noeviction \
    --daemonize yes --pidfile "$SLIPWAY_STATE_DIR/run/redis.pid" \
    --logfile "$LOG_DIR/redis.log" --save "" ||
    die "Redis did not start; see $LOG_DIR/redis.log"
  for _ in $(seq 1 50); do redis_ready && break; sleep 0.1; done
  redis_ready || die "Redis did not answer PING; see $LOG_DIR/redis.log"
  STARTED_SERVICES+=(redis)
}

stop_redis() { redis-cli -h 127.0.0.1 -p "$SLIPWAY_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

stop_started_services() {
  local svc
  for svc in "${STARTED_SERVICES[@]}"; do
    log "stopping $svc"
    "stop_$svc"
  done
  STARTED_SERVICES=()
}

prepare_state_dir() {
  mkdir -p "$SLIPWAY_STATE_DIR/run" "$LOG_DIR"
}

# Everything both commands need before any app runs.
bootstrap() {
  prepare_state_dir
  ensure_os_packages "${BASE_PACKAGES[@]}" "$@"
  command -v node >/dev/null || die "Node.js 20.19+ is required"
  ensure_npm_dependencies
  # The arm64 base image for emulated builds needs Debian's arm64 busybox (idempotent).
  "$ROOT/packages/builder-core/scripts/fetch-busybox.sh" arm64 >>"$LOG_DIR/apt.log" 2>&1 ||
    die "fetching Debian's busybox-static:arm64 failed; see $LOG_DIR/apt.log"
  start_postgres
  ensure_database slipway
  start_redis
  log "generating the Prisma client and applying migrations"
  (cd "$ROOT" && npm run -s db:generate >"$LOG_DIR/db-generate.log" 2>&1) ||
    die "Prisma client generation failed; see $LOG_DIR/db-generate.log"
  (cd "$ROOT" && npm run -s db:migrate) || die "database migrations failed"
}

# ── apps (web, ingest) ──
# Each app runs in its own session (setsid) so that stopping it reaches npm, the shell npm
# spawns and the node process beneath: killing npm alone leaves the server running.
APP_PIDS=()
APP_NAMES=()

assert_port_free() {
  if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "$2 cannot start: port $1 on 127.0.0.1 is in use (is Slipway already running?)"
  fi
}

# start_app NAME LOGFILE|- COMMAND...: LOGFILE "-" keeps the output on this terminal.
start_app() {
  local name="$1" logfile="$2"
  shift 2
  if [ "$logfile" = "-" ]; then
    (cd "$ROOT" && exec setsid "$@") &
  else
    (cd "$ROOT" && exec setsid "$@" >"$logfile" 2>&1) &
  fi
  APP_PIDS+=($!)
  APP_NAMES+=("$name")
}

# wait_http URL NAME LOGHINT: waits for a 200 from URL, failing fast when the app exits.
wait_http() {
  local url="$1" name="$2" hint="${3:-the output above}" i pid
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    for i in "${!APP_PIDS[@]}"; do
      pid="${APP_PIDS[$i]}"
      kill -0 "$pid" 2>/dev/null || die "${APP_NAMES[$i]} exited during start-up; see $hint"
    done
    sleep 0.5
  done
  die "$name did not answer on $url within 60 s; see $hint"
}

stop_apps() {
  local pid
  for pid in "${APP_PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${APP_PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${APP_PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  APP_PIDS=()
  APP_NAMES=()
}
