#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# PostgreSQL 15 from Debian's packages, as a private cluster under the cache: 127.0.0.1:55432 (not
# 5432, so it never clashes with a system server), role and database `medlineage`, data checksums on,
# durability settings (fsync, synchronous_commit, full_page_writes) on.
#
#   tools/infra/postgres.sh install   apt-get install postgresql if initdb/pg_ctl are missing
#   tools/infra/postgres.sh start     install if needed, initdb once, start, create role and database
#   tools/infra/postgres.sh stop      stop the cluster this script started (postmaster.pid)
#   tools/infra/postgres.sh status    exit 0 if running and accepting connections, 3 if not
#   tools/infra/postgres.sh env       print the client settings as `export` lines
set -euo pipefail

INFRA_NAME=postgres
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

readonly PG_WANTED_MAJOR="${PG_MAJOR:-15}"
readonly PG_HOST=127.0.0.1
readonly PG_PORT=55432
readonly PG_APP_USER=medlineage
readonly PG_APP_DB=medlineage
# Local-only development password (loopback listener); tools/infra-up.sh publishes it in DATABASE_URL.
readonly PG_APP_PASSWORD=medlineage-secret
# PostgreSQL refuses to run as root; as root we run it as this system user.
readonly PG_OS_USER=postgres

readonly STATE="$MEDLINEAGE_CACHE/postgres"
readonly DATA="$STATE/data"
readonly SOCKET_DIR="$STATE/run"
readonly LOGFILE="$STATE/postgres.log"
readonly START_TIMEOUT="${PG_START_TIMEOUT:-60}"

PG_BIN=""

# Prefers /usr/lib/postgresql/<wanted>/bin (Debian), then the newest other version there, then PATH.
find_pg_bin() {
  local dir
  if [[ -x "/usr/lib/postgresql/$PG_WANTED_MAJOR/bin/pg_ctl" ]]; then
    PG_BIN="/usr/lib/postgresql/$PG_WANTED_MAJOR/bin"
    return 0
  fi
  for dir in $(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -rV); do
    if [[ -x "$dir/pg_ctl" && -x "$dir/initdb" ]]; then
      PG_BIN=$dir
      return 0
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    PG_BIN=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    return 0
  fi
  return 1
}

# Runs a PostgreSQL program as the cluster owner. From "/", because the caller's working directory
# (root's home, say) may be closed to that user.
as_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    "$@"
  fi
}

# chown to the cluster owner when running as root (otherwise we already are the owner).
own() {
  if ((EUID == 0)); then
    chown "$PG_OS_USER:" "$@"
  fi
}

cmd_install() {
  if find_pg_bin; then
    log "PostgreSQL binaries: $PG_BIN ($("$PG_BIN/postgres" --version))"
  else
    ((EUID == 0)) || die "initdb/pg_ctl not found: install PostgreSQL $PG_WANTED_MAJOR (as root: apt-get install -y postgresql)"
    require_cmd apt-get "initdb/pg_ctl not found and this is not a Debian-like system: install PostgreSQL $PG_WANTED_MAJOR"
    log "initdb/pg_ctl not found: apt-get install -y postgresql"
    local started=$SECONDS
    # A fresh machine may have empty package lists; update only when the first attempt fails.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 ||
      { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; } ||
      die "apt-get install postgresql failed"
    find_pg_bin || die "postgresql installed but pg_ctl/initdb still not found under /usr/lib/postgresql"
    log "installed $("$PG_BIN/postgres" --version) in $((SECONDS - started))s"
  fi
  local major
  major=$("$PG_BIN/postgres" --version | awk '{print $3}' | cut -d. -f1)
  [[ "$major" == "$PG_WANTED_MAJOR" ]] ||
    log "WARNING: found PostgreSQL $major, the project targets $PG_WANTED_MAJOR (set PG_MAJOR to silence)"
  if ((EUID == 0)) && ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    log "creating system user $PG_OS_USER"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash "$PG_OS_USER"
  fi
}

# As root the cache usually sits in /root (mode 700), which the postgres user cannot enter. Grant that
# one user search (x) permission on the blocking ancestors with an ACL: no listing, no reading, and
# nothing for other users. Falls back to o+x only where ACLs are unavailable.
ensure_owner_can_reach() {
  ((EUID == 0)) || return 0
  local dir="" part
  local -a parts
  IFS=/ read -r -a parts <<<"${STATE#/}"
  for part in "${parts[@]}"; do
    dir="$dir/$part"
    [[ -d "$dir" ]] || break
    as_owner test -x "$dir" && continue
    if ! command -v setfacl >/dev/null 2>&1; then
      log "installing the acl package (setfacl) to let $PG_OS_USER reach $STATE"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q acl >&2 ||
        { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q acl >&2; } || true
    fi
    if command -v setfacl >/dev/null 2>&1 && setfacl -m "u:$PG_OS_USER:--x" "$dir" 2>/dev/null; then
      log "granted $PG_OS_USER search permission on $dir (ACL u:$PG_OS_USER:--x)"
    else
      chmod o+x "$dir"
      log "granted search permission on $dir (chmod o+x; ACLs unavailable)"
    fi
  done
  as_owner test -x "$STATE" || die "$PG_OS_USER still cannot reach $STATE"
}

init_cluster_once() {
  [[ -f "$DATA/PG_VERSION" ]] && return 0
  local tmp="$STATE/data.initdb"
  log "initdb (data checksums on) in $DATA"
  # Initialise beside the final place and rename, so a failed initdb never leaves a half cluster.
  rm -rf "$tmp"
  mkdir -p "$tmp"
  own "$tmp"
  chmod 700 "$tmp"
  as_owner "$PG_BIN/initdb" -D "$tmp" --data-checksums --encoding=UTF8 --locale=C \
    --auth-local=peer --auth-host=scram-sha-256 >"$STATE/initdb.log" 2>&1 ||
    {
      show_log_tail "$STATE/initdb.log"
      die "initdb failed"
    }
  printf "\n# Settings for the MedLineage dev cluster, rewritten by tools/infra/postgres.sh.\ninclude 'medlineage.conf'\n" \
    >>"$tmp/postgresql.conf"
  mv "$tmp" "$DATA"
}

write_config() {
  mkdir -p "$SOCKET_DIR"
  own "$SOCKET_DIR"
  cat >"$DATA/medlineage.conf" <<EOF
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$SOCKET_DIR'
password_encryption = 'scram-sha-256'
# Durability stays at PostgreSQL's safe defaults, spelled out because our tests assert them.
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
  own "$DATA/medlineage.conf"
}

accepting() {
  "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2
}

running() {
  [[ -f "$DATA/postmaster.pid" ]] && pid_alive "$DATA/postmaster.pid" "$DATA"
}

create_role_and_database() {
  # Idempotent: creates the role and the database the first time, resets the password every time.
  # CREATEDB lets integration suites make throw-away databases.
  as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PG_PORT" -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_USER') THEN
    CREATE ROLE $PG_APP_USER LOGIN CREATEDB PASSWORD '$PG_APP_PASSWORD';
  ELSE
    ALTER ROLE $PG_APP_USER LOGIN CREATEDB PASSWORD '$PG_APP_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $PG_APP_DB OWNER $PG_APP_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_APP_DB')
\\gexec
SQL
}

print_endpoint() {
  log "listening on $PG_HOST:$PG_PORT (socket dir $SOCKET_DIR), pid $(head -n 1 "$DATA/postmaster.pid")"
  log "database $PG_APP_DB, role $PG_APP_USER; logs: $LOGFILE, data: $DATA"
}

cmd_start() {
  cmd_install
  mkdir -p "$STATE"
  ensure_owner_can_reach
  if running; then
    log "already running"
  else
    # postmaster.pid without a running postmaster: the last run crashed. PostgreSQL itself decides
    # whether that file is stale (it also checks that no orphaned backend still uses the shared memory),
    # so we never delete it; we only allow a few seconds for the old processes to finish exiting.
    local after_crash=false
    [[ -f "$DATA/postmaster.pid" ]] && after_crash=true
    port_open "$PG_HOST" "$PG_PORT" &&
      die "$PG_HOST:$PG_PORT is in use by a process this script did not start (see: ss -ltnp)"
    init_cluster_once
    write_config
    local started=$SECONDS
    log "starting $("$PG_BIN/postgres" --version)"
    touch "$LOGFILE"
    own "$LOGFILE"
    # pg_ctl detaches the server itself (own session, postmaster.pid as the pid file).
    local attempt=1
    until as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t "$START_TIMEOUT" start >&2; do
      if [[ "$after_crash" != true ]] || ((attempt >= 15)); then
        show_log_tail "$LOGFILE"
        die "pg_ctl start failed"
      fi
      log "start refused after a crash (old processes still exiting?); retrying in 2s"
      sleep 2
      attempt=$((attempt + 1))
    done
    log "ready in $((SECONDS - started))s"
  fi
  wait_until "$START_TIMEOUT" "pg_isready on $PG_HOST:$PG_PORT" accepting || {
    show_log_tail "$LOGFILE"
    die "PostgreSQL does not accept connections on $PG_HOST:$PG_PORT"
  }
  create_role_and_database
  print_endpoint
}

cmd_stop() {
  find_pg_bin || die "pg_ctl not found"
  if ! running; then
    log "not running"
    return 0
  fi
  log "stopping (fast shutdown)"
  as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >&2
  log "stopped"
}

cmd_status() {
  if find_pg_bin && running && accepting; then
    log "running: $PG_HOST:$PG_PORT, pid $(head -n 1 "$DATA/postmaster.pid")"
    return 0
  fi
  log "not running"
  return 3
}

# The client-side settings, one `export` line each; tools/infra-up.sh collects them into infra.env.
cmd_env() {
  printf 'export DATABASE_URL=%s\n' "postgres://$PG_APP_USER:$PG_APP_PASSWORD@$PG_HOST:$PG_PORT/$PG_APP_DB"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
esac
