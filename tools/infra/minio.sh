#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# MinIO (S3 API) on 127.0.0.1:9000, console on 127.0.0.1:9001, run natively. The community edition
# ships as source only, so we build the pinned commit with `go install` (about ten minutes on two
# cores the first time; the binary is cached outside the repo afterwards).
#
#   tools/infra/minio.sh install   build the pinned version into $MEDLINEAGE_CACHE/minio-<version>/bin
#   tools/infra/minio.sh start     install if needed, start, wait for /minio/health/ready
#   tools/infra/minio.sh stop      stop the server this script started (pid file)
#   tools/infra/minio.sh status    exit 0 if running and ready, 3 if not
#   tools/infra/minio.sh env       print the client settings as `export` lines
set -euo pipefail

INFRA_NAME=minio
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

readonly MINIO_MODULE=github.com/minio/minio
# Pinned: a pseudo-version names one commit, so every machine builds the same server.
readonly MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
readonly MINIO_HOST=127.0.0.1
readonly MINIO_PORT=9000
readonly MINIO_CONSOLE_PORT=9001
# Local-only development credentials (loopback listener); tools/infra-up.sh publishes them in infra.env.
readonly MINIO_USER=medlineage
readonly MINIO_PASSWORD=medlineage-secret

readonly BIN_DIR="$MEDLINEAGE_CACHE/minio-$MINIO_VERSION/bin"
readonly BIN="$BIN_DIR/minio"
# State is kept apart from the versioned build so that moving the pin keeps the stored objects.
readonly STATE="$MEDLINEAGE_CACHE/minio"
readonly DATA="$STATE/data"
readonly LOGFILE="$STATE/minio.log"
readonly PIDFILE="$STATE/minio.pid"
readonly START_TIMEOUT="${MINIO_START_TIMEOUT:-60}"
readonly MARKER="--console-address $MINIO_HOST:$MINIO_CONSOLE_PORT $DATA"

is_installed() {
  [[ -x "$BIN" ]] || return 1
  # Without Go we cannot check (or rebuild) the binary; use it as it is.
  command -v go >/dev/null 2>&1 || return 0
  # The binary records the module version it was built from; a binary from another pin does not count.
  local info
  info=$(go version -m "$BIN" 2>/dev/null) || return 1
  grep -qE "^[[:space:]]+mod[[:space:]]+${MINIO_MODULE}[[:space:]]+${MINIO_VERSION}([[:space:]]|\$)" <<<"$info"
}

# Waits for a `go install` of the same version started outside this script (by hand, or an earlier
# session), instead of compiling the same thing twice on a two-core machine.
wait_for_foreign_build() {
  # "[g]o" so that the pattern does not match the command lines of this script's own helpers.
  local pattern="[g]o install $MINIO_MODULE@$MINIO_VERSION"
  no_foreign_build() { ! pgrep -f -- "$pattern" >/dev/null; }
  if ! no_foreign_build; then
    log "another 'go install $MINIO_MODULE@$MINIO_VERSION' is running; waiting for it (up to 30 min)"
    wait_until 1800 "the other MinIO build" no_foreign_build || die "the other MinIO build is still running"
  fi
}

cmd_install() {
  if is_installed; then
    log "MinIO $MINIO_VERSION already installed: $BIN"
    return 0
  fi
  require_cmd go "install Go (https://go.dev/doc/install); Debian's golang-go is older than MinIO's go.mod needs"
  mkdir -p "$BIN_DIR" "$STATE"
  # A second install waits here for the first one instead of compiling alongside it.
  (
    flock 9
    wait_for_foreign_build
    if is_installed; then
      log "MinIO $MINIO_VERSION installed by a concurrent run"
      exit 0
    fi
    log "building $MINIO_MODULE@$MINIO_VERSION (first time: ~10 min on 2 cores); log: $STATE/install.log"
    started=$SECONDS
    # GOTOOLCHAIN stays at Go's default (auto): if go.mod asks for a newer Go, it comes from the module
    # proxy like any module.
    if ! GOBIN="$BIN_DIR" go install "$MINIO_MODULE@$MINIO_VERSION" >"$STATE/install.log" 2>&1; then
      show_log_tail "$STATE/install.log"
      die "go install $MINIO_MODULE@$MINIO_VERSION failed (is the Go module proxy reachable?)"
    fi
    is_installed || die "go install finished but $BIN is missing or from another version"
    log "built in $((SECONDS - started))s: $BIN"
  ) 9>"$BIN_DIR/../.install.lock"
}

ready() {
  curl -fsS -o /dev/null --max-time 2 "http://$MINIO_HOST:$MINIO_PORT/minio/health/ready"
}

wait_ready() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until ready 2>/dev/null; do
    pid_alive "$PIDFILE" "$MARKER" || {
      show_log_tail "$LOGFILE"
      die "MinIO exited during start-up"
    }
    if ((SECONDS >= deadline)); then
      show_log_tail "$LOGFILE"
      die "MinIO was not ready on $MINIO_HOST:$MINIO_PORT within ${START_TIMEOUT}s"
    fi
    sleep 1
  done
}

print_endpoint() {
  log "listening on http://$MINIO_HOST:$MINIO_PORT (console http://$MINIO_HOST:$MINIO_CONSOLE_PORT), pid $(<"$PIDFILE")"
  log "user: $MINIO_USER, logs: $LOGFILE, data: $DATA"
}

cmd_start() {
  require_cmd curl "install curl: apt-get install -y curl"
  cmd_install
  if pid_alive "$PIDFILE" "$MARKER"; then
    log "already running"
    wait_ready
    print_endpoint
    return 0
  fi
  clear_stale_pidfile "$PIDFILE" "$MARKER"
  local port
  for port in "$MINIO_PORT" "$MINIO_CONSOLE_PORT"; do
    port_open "$MINIO_HOST" "$port" &&
      die "$MINIO_HOST:$port is in use by a process this script did not start (see: ss -ltnp)"
  done
  mkdir -p "$DATA"
  local started=$SECONDS
  log "starting MinIO $MINIO_VERSION"
  (
    # Credentials go through the environment, not argv, so they do not show up in `ps`.
    export MINIO_ROOT_USER="$MINIO_USER" MINIO_ROOT_PASSWORD="$MINIO_PASSWORD"
    # No update checks: the machine has no route to the update server, and a pinned build should stay put.
    export MINIO_UPDATE=off
    spawn_daemon "$PIDFILE" "$LOGFILE" \
      "$BIN" server --address "$MINIO_HOST:$MINIO_PORT" --console-address "$MINIO_HOST:$MINIO_CONSOLE_PORT" "$DATA"
  )
  wait_ready
  log "ready in $((SECONDS - started))s"
  print_endpoint
}

cmd_stop() {
  stop_pidfile "$PIDFILE" "$MARKER" 30
}

cmd_status() {
  if pid_alive "$PIDFILE" "$MARKER" && ready 2>/dev/null; then
    log "running: http://$MINIO_HOST:$MINIO_PORT, pid $(<"$PIDFILE")"
    return 0
  fi
  log "not running"
  return 3
}

# The client-side settings, one `export` line each; tools/infra-up.sh collects them into infra.env.
cmd_env() {
  printf 'export MINIO_ENDPOINT=%s\n' "http://$MINIO_HOST:$MINIO_PORT"
  printf 'export MINIO_ACCESS_KEY=%s\n' "$MINIO_USER"
  printf 'export MINIO_SECRET_KEY=%s\n' "$MINIO_PASSWORD"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
esac
