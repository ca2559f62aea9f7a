#!/usr/bin/env bash
# Makes sure the services the test suite needs are up on this machine, on loopback only:
#   PostgreSQL on 127.0.0.1:${CLAWBOTS_PG_PORT:-5432}, with a LOGIN role `clawbots` (password
#   `clawbots`) owning a database `clawbots`;
#   Redis on 127.0.0.1:${CLAWBOTS_REDIS_PORT:-6379};
#   Chromium and ChromeDriver (/usr/bin/chromium, /usr/bin/chromedriver) for the browser test.
# Each is started if installed but stopped, and installed from Debian's packages if missing.
# Idempotent: with everything already up it changes nothing.
#
#   deploy/dev-services.sh && ./mvnw -B verify
#   deploy/dev-services.sh postgresql redis     only those (deploy/local-cluster.sh needs no browser)
#
# CLAWBOTS_SERVICES_TIMEOUT (seconds, default 60) bounds each wait for a service to come up.
set -euo pipefail

PG_PORT="${CLAWBOTS_PG_PORT:-5432}"
REDIS_PORT="${CLAWBOTS_REDIS_PORT:-6379}"
TIMEOUT="${CLAWBOTS_SERVICES_TIMEOUT:-60}"
DB_NAME=clawbots
DB_USER=clawbots
DB_PASSWORD=clawbots

fail() {
  echo "dev-services: ERROR: $*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    fail "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: install $* by hand"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
      fail "apt-get update failed"
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
    fail "apt-get install $* failed"
}

# Polls "$@" until it succeeds or TIMEOUT seconds have passed; returns 1 on timeout.
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      return 1
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2
  else
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PG_PORT" 2>/dev/null
  fi
}

pg_server_installed() {
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# Starts every cluster under /etc/postgresql that is not running (or the init script).
pg_start() {
  local conf dir version name
  if command -v pg_ctlcluster >/dev/null 2>&1 &&
    compgen -G '/etc/postgresql/*/*/postgresql.conf' >/dev/null; then
    for conf in /etc/postgresql/*/*/postgresql.conf; do
      dir="$(dirname "$conf")"
      name="$(basename "$dir")"
      version="$(basename "$(dirname "$dir")")"
      # status: 0 running, 3 stopped, 4 no such cluster
      if ! pg_ctlcluster "$version" "$name" status >/dev/null 2>&1; then
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start ||
          fail "postgresql: could not start cluster $version/$name (see /var/log/postgresql/)"
      fi
    done
  elif command -v service >/dev/null 2>&1; then
    as_root service postgresql start >/dev/null || fail "postgresql: 'service postgresql start' failed"
  else
    fail "postgresql: installed, but found neither a cluster under /etc/postgresql nor 'service' to start it"
  fi
}

# psql as the superuser. PG_SUPER is chosen once by pg_pick_superuser: TCP as postgres (trust),
# then the Unix socket as the postgres OS user (peer), through runuser (root) or sudo.
PG_SUPER=()
pg_pick_superuser() {
  local candidates=()
  candidates+=("psql -w -h 127.0.0.1 -p $PG_PORT -U postgres")
  if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1; then
    candidates+=("runuser -u postgres -- psql -w -p $PG_PORT")
  fi
  if command -v sudo >/dev/null 2>&1; then
    candidates+=("sudo -n -u postgres psql -w -p $PG_PORT")
  fi
  local c
  for c in "${candidates[@]}"; do
    # cd / so that psql run as postgres does not complain about root's working directory.
    # shellcheck disable=SC2086
    if (cd / && $c -X -q -At -d postgres -c 'SELECT 1') >/dev/null 2>&1; then
      read -r -a PG_SUPER <<<"$c"
      return 0
    fi
  done
  fail "postgresql: cannot connect as superuser (tried: psql -h 127.0.0.1 -U postgres, runuser/sudo -u postgres psql)"
}

pg_super() {
  (cd / && "${PG_SUPER[@]}" -X -q -At -v ON_ERROR_STOP=1 -d postgres "$@")
}

pg_clawbots_can_login() {
  PGPASSWORD="$DB_PASSWORD" psql -w -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" \
    -d "$DB_NAME" -c 'SELECT 1' >/dev/null 2>&1
}

ensure_postgresql() {
  local state
  if pg_ready; then
    state="already running"
  else
    if pg_server_installed; then
      state="started"
    else
      echo "postgresql: not installed, installing from Debian packages..."
      apt_install postgresql
      state="installed and started"
    fi
    pg_start
    wait_for pg_ready ||
      fail "postgresql: not accepting connections on 127.0.0.1:$PG_PORT after ${TIMEOUT}s (see /var/log/postgresql/)"
  fi
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client
  echo "postgresql: $state on 127.0.0.1:$PG_PORT"

  pg_pick_superuser
  local has_role has_db did=()
  has_role="$(pg_super -c "SELECT count(*) FROM pg_roles WHERE rolname = '$DB_USER'")"
  has_db="$(pg_super -c "SELECT count(*) FROM pg_database WHERE datname = '$DB_NAME'")"
  if [ "$has_role" = 0 ]; then
    pg_super -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" >/dev/null
    did+=("role $DB_USER created")
  elif ! pg_clawbots_can_login; then
    # The role exists but cannot log in with the expected password: repair it.
    pg_super -c "ALTER ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'" >/dev/null
    did+=("role $DB_USER repaired")
  fi
  if [ "$has_db" = 0 ]; then
    pg_super -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null
    did+=("database $DB_NAME created")
  fi
  pg_clawbots_can_login ||
    fail "postgresql: role $DB_USER cannot log in to database $DB_NAME on 127.0.0.1:$PG_PORT with its password (check pg_hba.conf)"
  if [ "${#did[@]}" -eq 0 ]; then
    echo "postgresql: role and database $DB_NAME already present"
  else
    local joined
    joined="$(printf '%s, ' "${did[@]}")"
    echo "postgresql: ${joined%, }"
  fi
}

# ---------------------------------------------------------------------------------------------
# Redis
# ---------------------------------------------------------------------------------------------

redis_ready() {
  [ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

redis_start() {
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
    --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null ||
    fail "redis: redis-server failed to start (see /var/log/redis/ci.log)"
}

ensure_redis() {
  local state
  if command -v redis-cli >/dev/null 2>&1 && redis_ready; then
    state="already running"
  else
    if command -v redis-server >/dev/null 2>&1; then
      state="started"
    else
      echo "redis: not installed, installing from Debian packages..."
      apt_install redis-server
      state="installed and started"
    fi
    command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools
    # A package install may have started it already (where there is an init system).
    redis_ready || redis_start
    wait_for redis_ready ||
      fail "redis: no PONG from 127.0.0.1:$REDIS_PORT after ${TIMEOUT}s (see /var/log/redis/ci.log)"
  fi
  echo "redis: $state on 127.0.0.1:$REDIS_PORT"
}

# ---------------------------------------------------------------------------------------------
# Chromium, for the spectator page's browser test (SpectatorPageIT)
# ---------------------------------------------------------------------------------------------

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "chromium: already installed"
  else
    echo "chromium: not installed, installing from Debian packages..."
    apt_install chromium chromium-driver
    echo "chromium: installed"
  fi
}

services=("$@")
[ "${#services[@]}" -gt 0 ] || services=(postgresql redis chromium)
for service in "${services[@]}"; do
  case "$service" in
    postgresql) ensure_postgresql ;;
    redis) ensure_redis ;;
    chromium) ensure_chromium ;;
    *) fail "unknown service '$service' (postgresql, redis, chromium)" ;;
  esac
done
