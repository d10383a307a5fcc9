# shellcheck shell=bash
# Helpers shared by tools/infra/*.sh. Sourced, never run.
#
# Everything the scripts download, build or store lives under MEDLINEAGE_CACHE (outside the repo), so a
# fresh clone reuses an earlier install and `git clean` never throws away a 10-minute MinIO build.

MEDLINEAGE_CACHE="${MEDLINEAGE_CACHE:-$HOME/.cache/medlineage}"
export MEDLINEAGE_CACHE

# Each script sets INFRA_NAME before sourcing, so every line says which service it is about.
INFRA_NAME="${INFRA_NAME:-infra}"

log() {
  printf '[%s] %s\n' "$INFRA_NAME" "$*" >&2
}

die() {
  printf '[%s] ERROR: %s\n' "$INFRA_NAME" "$*" >&2
  exit 1
}

# require_cmd COMMAND HOW-TO-GET-IT
require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"
}

# True if something accepts TCP connections on HOST PORT. Bash's /dev/tcp needs no extra tool; the
# subshell closes the descriptor again, and `timeout` stops a connect that hangs on a filtered port.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" >/dev/null 2>&1
}

# pid_alive PIDFILE MARKER: true if the first line of PIDFILE names a live process whose command line
# contains MARKER.
# The marker check matters after a crash or reboot: the old pid may now belong to something else, and
# we must neither report it as our service nor kill it.
pid_alive() {
  local pidfile=$1 marker=$2 pid
  [[ -f "$pidfile" ]] || return 1
  pid=$(head -n 1 "$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

# Removes a pid file that no longer describes one of our processes (crash, reboot, kill -9).
clear_stale_pidfile() {
  local pidfile=$1 marker=$2
  if [[ -f "$pidfile" ]] && ! pid_alive "$pidfile" "$marker"; then
    log "removing stale pid file $pidfile"
    rm -f "$pidfile"
  fi
}

# wait_until TIMEOUT_SECONDS DESCRIPTION COMMAND...: polls COMMAND once a second until it succeeds.
wait_until() {
  local timeout=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + timeout))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 1
  done
}

# stop_pidfile PIDFILE MARKER GRACE_SECONDS: SIGTERM, wait for a clean shutdown, SIGKILL only if the
# process outlives the grace period. Only touches a process that pid_alive recognises as ours.
stop_pidfile() {
  local pidfile=$1 marker=$2 grace=$3 pid
  if ! pid_alive "$pidfile" "$marker"; then
    clear_stale_pidfile "$pidfile" "$marker"
    log "not running"
    return 0
  fi
  pid=$(<"$pidfile")
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$grace" "pid $pid to exit" bash -c "! kill -0 $pid 2>/dev/null"; then
    log "pid $pid ignored SIGTERM for ${grace}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 10 "pid $pid to die" bash -c "! kill -0 $pid 2>/dev/null" || die "could not stop pid $pid"
  fi
  rm -f "$pidfile"
  log "stopped"
}

# Starts a long-lived server detached from the caller: setsid puts it in its own session so that the
# end of `npm run infra:up` (or a CI step) does not take it down. Usage: spawn_daemon PIDFILE LOGFILE CMD...
spawn_daemon() {
  local pidfile=$1 logfile=$2
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

# Prints the last lines of a log to stderr, to explain a failed start.
show_log_tail() {
  local file=$1 lines=${2:-40}
  if [[ -s "$file" ]]; then
    log "last $lines lines of $file:"
    tail -n "$lines" "$file" >&2
  else
    log "$file is empty"
  fi
}

usage() {
  printf 'usage: %s {install|start|stop|status|env}\n' "$0" >&2
  exit 2
}
