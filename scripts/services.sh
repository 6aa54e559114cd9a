#!/usr/bin/env bash
# Make PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL.
#
# - If a service already answers: do nothing (silent, fast).
# - If it does not and its host is local (127.0.0.1 / localhost / ::1):
#   start the machine's installed server; if it is not installed and we run as
#   root, install it from the Debian packages first.
# - Otherwise (remote host, not root, ...): exit non-zero with a clear message.
# - Waits (bounded by SERVICES_WAIT_SECONDS, default 30) until both answer.
#
# It never creates the database: the application does that itself.
# Not meant for containers: there the URLs point to other containers.
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/livelihood110}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
WAIT_SECONDS="${SERVICES_WAIT_SECONDS:-30}"

log() { printf 'services.sh: %s\n' "$*" >&2; }
die() { printf 'services.sh: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# parse_url URL DEFAULT_PORT -> sets URL_HOST, URL_PORT
# Handles scheme://[user[:pass]@]host[:port][/path][?query], incl. [v6] hosts.
parse_url() {
  local url="$1" default_port="$2" rest authority hostport
  rest="${url#*://}"
  authority="${rest%%[/?#]*}"
  hostport="${authority##*@}"
  if [[ "$hostport" =~ ^\[([^]]*)\](:([0-9]*))?$ ]]; then
    URL_HOST="${BASH_REMATCH[1]}"
    URL_PORT="${BASH_REMATCH[3]}"
  elif [[ "$hostport" =~ ^([^:]*)(:([0-9]*))?$ ]]; then
    URL_HOST="${BASH_REMATCH[1]}"
    URL_PORT="${BASH_REMATCH[3]}"
  else
    die "cannot parse host/port from URL (scheme ${url%%://*}); fix DATABASE_URL / REDIS_URL"
  fi
  [[ -n "$URL_HOST" ]] || URL_HOST=127.0.0.1
  [[ -n "$URL_PORT" ]] || URL_PORT="$default_port"
}

is_local() {
  case "$1" in
    127.0.0.1 | localhost | ::1 | localhost.localdomain) return 0 ;;
    *) return 1 ;;
  esac
}

with_timeout() {
  if have timeout; then timeout "$@"; else shift; "$@"; fi
}

tcp_probe() { # host port
  with_timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

pg_answers() {
  if have pg_isready; then
    # 0 = accepting connections; 1 = rejecting (starting up); 2 = no response
    with_timeout 5 pg_isready -q -t 2 -h "$PG_HOST" -p "$PG_PORT" >/dev/null 2>&1
  else
    tcp_probe "$PG_HOST" "$PG_PORT"
  fi
}

redis_answers() {
  if have redis-cli; then
    local out
    out="$(with_timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null || true)"
    # PONG, or an auth error: either way the server is up and serving.
    [[ "$out" == *PONG* || "$out" == *NOAUTH* || "$out" == *WRONGPASS* ]]
  else
    tcp_probe "$REDIS_HOST" "$REDIS_PORT"
  fi
}

wait_for() { # name check-function
  local name="$1" check="$2" deadline=$((SECONDS + WAIT_SECONDS))
  until "$check"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
}

APT_UPDATED=0
apt_install() {
  have apt-get || die "cannot install $* automatically: apt-get not found; install $* yourself"
  export DEBIAN_FRONTEND=noninteractive
  if [[ "$APT_UPDATED" == 0 ]]; then
    log "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed; install $* yourself"
    APT_UPDATED=1
  fi
  log "installing $* from Debian packages"
  apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed; install it yourself"
}

# ---------------------------------------------------------------- PostgreSQL

pg_installed() {
  have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# Print "version cluster" of the local cluster configured on $PG_PORT.
pg_find_cluster() {
  local ver cluster port conf
  if have pg_lsclusters; then
    while read -r ver cluster port _; do
      if [[ "$port" == "$PG_PORT" ]]; then
        echo "$ver $cluster"
        return 0
      fi
    done < <(pg_lsclusters -h 2>/dev/null || true)
    return 1
  fi
  for conf in /etc/postgresql/*/*/postgresql.conf; do
    [[ -f "$conf" ]] || continue
    port="$(sed -nE 's/^[[:space:]]*port[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' "$conf" | tail -n1)"
    [[ -n "$port" ]] || port=5432
    if [[ "$port" == "$PG_PORT" ]]; then
      cluster="$(basename "$(dirname "$conf")")"
      ver="$(basename "$(dirname "$(dirname "$conf")")")"
      echo "$ver $cluster"
      return 0
    fi
  done
  return 1
}

pg_has_any_cluster() {
  compgen -G '/etc/postgresql/*/*/postgresql.conf' >/dev/null
}

# Let user postgres connect over local TCP without a password.
pg_trust_local_tcp() {
  local ver="$1" cluster="$2" hba="/etc/postgresql/$1/$2/pg_hba.conf"
  [[ -f "$hba" ]] || return 0
  sed -i -E \
    's#^([[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+)[^[:space:]]+(.*)$#\1trust#' \
    "$hba"
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    printf 'host    all             all             127.0.0.1/32            trust\n' >>"$hba"
  fi
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+::1/128[[:space:]]+trust' "$hba"; then
    printf 'host    all             all             ::1/128                 trust\n' >>"$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" reload >/dev/null 2>&1 || true
}

ensure_postgres() {
  pg_answers && return 0

  if ! is_local "$PG_HOST"; then
    die "PostgreSQL does not answer at $PG_HOST:$PG_PORT (remote host); start it or fix DATABASE_URL"
  fi

  local installed_now=0
  if ! pg_installed; then
    if [[ "$(id -u)" != 0 ]]; then
      die "PostgreSQL does not answer at $PG_HOST:$PG_PORT and is not installed; install postgresql (apt-get install postgresql) or set DATABASE_URL"
    fi
    apt_install postgresql
    installed_now=1
    pg_installed || die "PostgreSQL still not usable after installing the postgresql package"
    # The package may have started its default cluster already.
  fi

  if ! pg_has_any_cluster; then
    local ver
    ver="$(basename "$(dirname "$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n1)")")")"
    log "creating PostgreSQL cluster $ver/main on port $PG_PORT"
    pg_createcluster --port "$PG_PORT" "$ver" main >/dev/null ||
      die "pg_createcluster $ver main failed; create a cluster or set DATABASE_URL"
    installed_now=1
  fi

  local found ver cluster
  found="$(pg_find_cluster || true)"
  [[ -n "$found" ]] ||
    die "PostgreSQL does not answer at $PG_HOST:$PG_PORT and no local cluster is configured on port $PG_PORT (see pg_lsclusters); set DATABASE_URL to the right port"
  read -r ver cluster <<<"$found"

  if [[ "$installed_now" == 1 ]]; then
    pg_trust_local_tcp "$ver" "$cluster"
  fi

  if ! pg_answers; then
    log "starting PostgreSQL cluster $ver/$cluster (port $PG_PORT)"
    local out
    if ! out="$(pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start 2>&1)"; then
      # "already running" is fine: we wait below; anything else is reported.
      if [[ "$out" != *"already running"* ]]; then
        printf '%s\n' "$out" >&2
        die "could not start PostgreSQL cluster $ver/$cluster; start it yourself (pg_ctlcluster $ver $cluster start) or set DATABASE_URL"
      fi
    fi
  fi

  wait_for PostgreSQL pg_answers ||
    die "PostgreSQL still does not answer at $PG_HOST:$PG_PORT after ${WAIT_SECONDS}s; see /var/log/postgresql/postgresql-$ver-$cluster.log"
}

# --------------------------------------------------------------------- Redis

ensure_redis() {
  redis_answers && return 0

  if ! is_local "$REDIS_HOST"; then
    die "Redis does not answer at $REDIS_HOST:$REDIS_PORT (remote host); start it or fix REDIS_URL"
  fi

  if ! have redis-server; then
    if [[ "$(id -u)" != 0 ]]; then
      die "Redis does not answer at $REDIS_HOST:$REDIS_PORT and is not installed; install redis-server (apt-get install redis-server) or set REDIS_URL"
    fi
    apt_install redis-server
    have redis-server || die "redis-server still not found after installing the redis-server package"
    # The package may have started its own service on the default port.
    if [[ "$REDIS_PORT" == 6379 ]] && wait_for_short redis_answers; then
      return 0
    fi
  fi

  local bind="127.0.0.1"
  case "$REDIS_HOST" in
    ::1) bind="::1 -127.0.0.1" ;;
    localhost | localhost.localdomain) bind="127.0.0.1 -::1" ;;
  esac
  log "starting redis-server on $REDIS_HOST:$REDIS_PORT"
  # hz 100: Redis checks blocked clients' timeouts hz times a second, and BullMQ's wait for the
  # next delayed job (offer and SLA timers) is such a timeout: at the default 10, timers run
  # up to 100 ms late.
  # shellcheck disable=SC2086 # $bind holds several addresses on purpose
  redis-server --daemonize yes --bind $bind --port "$REDIS_PORT" --hz 100 \
    --save "" --appendonly no --dir "${TMPDIR:-/tmp}" >&2 ||
    die "could not start redis-server on port $REDIS_PORT; start Redis yourself or set REDIS_URL"

  wait_for Redis redis_answers ||
    die "Redis still does not answer at $REDIS_HOST:$REDIS_PORT after ${WAIT_SECONDS}s"
}

wait_for_short() { # check-function: up to ~3 s
  local i
  for i in 1 2 3 4 5 6; do
    "$1" && return 0
    sleep 0.5
  done
  return 1
}

# ---------------------------------------------------------------------- main

parse_url "$DATABASE_URL" 5432
PG_HOST="$URL_HOST" PG_PORT="$URL_PORT"
parse_url "$REDIS_URL" 6379
REDIS_HOST="$URL_HOST" REDIS_PORT="$URL_PORT"

ensure_postgres
ensure_redis
