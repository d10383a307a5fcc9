#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Apache Kafka 3.9.2, one KRaft node (broker + controller) on 127.0.0.1:9092, run natively from the
# Maven Central jars: there is no Docker engine on our machines and the binary tarball is not on a
# registry we can reach. 3.9.x because kafkajs speaks the protocol versions that Kafka 4.0 removed.
#
#   tools/infra/kafka.sh install   fetch the jars into $MEDLINEAGE_CACHE/kafka-3.9.2/libs (once)
#   tools/infra/kafka.sh start     install if needed, format storage once, start, wait until ready
#   tools/infra/kafka.sh stop      stop the broker this script started (pid file)
#   tools/infra/kafka.sh status    exit 0 if running and answering, 3 if not
#   tools/infra/kafka.sh env       print the client settings as `export` lines
set -euo pipefail

INFRA_NAME=kafka
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

# Keep in step with tools/infra/kafka/pom.xml and deploy/compose.yaml.
readonly KAFKA_VERSION=3.9.2
readonly KAFKA_HOST=127.0.0.1
readonly KAFKA_PORT=9092
readonly KAFKA_CONTROLLER_PORT=9093

readonly KAFKA_HOME="$MEDLINEAGE_CACHE/kafka-$KAFKA_VERSION"
readonly LIBS="$KAFKA_HOME/libs"
readonly CONFIG_DIR="$KAFKA_HOME/config"
readonly CONFIG="$CONFIG_DIR/server.properties"
readonly DATA="$KAFKA_HOME/data"
readonly LOGS="$KAFKA_HOME/logs"
readonly PIDFILE="$KAFKA_HOME/kafka.pid"
readonly STAMP="$KAFKA_HOME/.installed"
readonly START_TIMEOUT="${KAFKA_START_TIMEOUT:-180}"
# Small heap: a test broker on a 2-core, shared machine. Override with KAFKA_HEAP_OPTS.
read -r -a HEAP_OPTS <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"

# Identifies our broker in /proc/<pid>/cmdline, so a recycled pid is never mistaken for it.
readonly MARKER="kafka.Kafka $CONFIG"

check_java() {
  require_cmd java "install a Java 17 runtime: apt-get install -y openjdk-17-jre-headless"
  local spec
  spec=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  # Kafka 3.9 brokers need Java 11 or newer ("1.8" fails the test below, as it should).
  if ! [[ "$spec" =~ ^[0-9]+$ ]] || ((spec < 11)); then
    die "java $spec is too old for Kafka $KAFKA_VERSION: install openjdk-17-jre-headless"
  fi
}

pom_hash() {
  sha256sum "$HERE/kafka/pom.xml" | cut -d' ' -f1
}

is_installed() {
  [[ -f "$STAMP" && "$(<"$STAMP")" == "$(pom_hash)" && -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]
}

cmd_install() {
  check_java
  if is_installed; then
    log "Kafka $KAFKA_VERSION already installed in $LIBS"
    return 0
  fi
  require_cmd mvn "install Maven: apt-get install -y maven"
  mkdir -p "$KAFKA_HOME"
  # Two concurrent installs (two terminals, or infra-up while a test runs start) must not interleave.
  # The lock lives in a subshell so that its descriptor is closed before the broker is spawned.
  (
    flock 9
    if is_installed; then
      log "Kafka $KAFKA_VERSION installed by a concurrent run"
      exit 0
    fi
    log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIBS"
    started=$SECONDS
    tmp=$(mktemp -d "$KAFKA_HOME/libs.tmp.XXXXXX")
    # Copy into a temp folder and swap it in, so an interrupted download never looks installed.
    if ! mvn -B -Dstyle.color=never -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$KAFKA_HOME/install.log" 2>&1; then
      rm -rf "$tmp"
      show_log_tail "$KAFKA_HOME/install.log"
      die "mvn dependency:copy-dependencies failed (is Maven Central reachable?)"
    fi
    [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    pom_hash >"$STAMP"
    log "installed $(find "$LIBS" -name '*.jar' | wc -l) jars in $((SECONDS - started))s"
  ) 9>"$KAFKA_HOME/.install.lock"
}

# Runs a Kafka command-line class with quiet logging and a small heap.
kafka_tool() {
  java -Xmx256m -Dlog4j.configuration="file:$CONFIG_DIR/tools-log4j.properties" -cp "$LIBS/*" "$@"
}

write_config() {
  mkdir -p "$CONFIG_DIR" "$DATA" "$LOGS"
  sed "s|@LOG_DIRS@|$DATA|" "$HERE/kafka/server.properties.in" >"$CONFIG"
  # Copied rather than referenced in the repo, so a running broker does not depend on the checkout.
  cp "$HERE/kafka/log4j.properties" "$HERE/kafka/tools-log4j.properties" "$CONFIG_DIR/"
}

format_storage_once() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id_file="$KAFKA_HOME/cluster.id" cluster_id
  if [[ ! -s "$cluster_id_file" ]]; then
    kafka_tool kafka.tools.StorageTool random-uuid >"$cluster_id_file"
  fi
  cluster_id=$(<"$cluster_id_file")
  log "formatting KRaft storage in $DATA (cluster id $cluster_id)"
  kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG" >&2
}

# Ready means the broker answers a real metadata request, not merely that the port is open.
metadata_ok() {
  timeout 60 java -Xmx128m -Dlog4j.configuration="file:$CONFIG_DIR/tools-log4j.properties" \
    -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" --list >/dev/null 2>&1
}

wait_ready() {
  local deadline=$((SECONDS + START_TIMEOUT))
  until port_open "$KAFKA_HOST" "$KAFKA_PORT" && metadata_ok; do
    pid_alive "$PIDFILE" "$MARKER" || {
      show_log_tail "$LOGS/server.log"
      show_log_tail "$LOGS/kafka.out" 20
      die "the broker exited during start-up"
    }
    if ((SECONDS >= deadline)); then
      show_log_tail "$LOGS/server.log"
      die "the broker did not answer on $KAFKA_HOST:$KAFKA_PORT within ${START_TIMEOUT}s"
    fi
    sleep 1
  done
}

print_endpoint() {
  log "listening on $KAFKA_HOST:$KAFKA_PORT (controller $KAFKA_HOST:$KAFKA_CONTROLLER_PORT), pid $(<"$PIDFILE")"
  log "logs: $LOGS/server.log, data: $DATA"
}

cmd_start() {
  cmd_install
  if pid_alive "$PIDFILE" "$MARKER"; then
    log "already running"
    wait_ready
    print_endpoint
    return 0
  fi
  clear_stale_pidfile "$PIDFILE" "$MARKER"
  local port
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_open "$KAFKA_HOST" "$port" &&
      die "$KAFKA_HOST:$port is in use by a process this script did not start (see: ss -ltnp)"
  done
  write_config
  format_storage_once
  local started=$SECONDS
  log "starting Kafka $KAFKA_VERSION"
  spawn_daemon "$PIDFILE" "$LOGS/kafka.out" \
    java "${HEAP_OPTS[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOGS" -Dlog4j.configuration="file:$CONFIG_DIR/log4j.properties" \
    -cp "$LIBS/*" kafka.Kafka "$CONFIG"
  wait_ready
  log "ready in $((SECONDS - started))s"
  print_endpoint
}

cmd_stop() {
  # Controlled shutdown of one node takes a few seconds; give it a minute before SIGKILL.
  stop_pidfile "$PIDFILE" "$MARKER" 60
}

cmd_status() {
  if pid_alive "$PIDFILE" "$MARKER" && port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    log "running: $KAFKA_HOST:$KAFKA_PORT, pid $(<"$PIDFILE")"
    return 0
  fi
  log "not running"
  return 3
}

# The client-side settings, one `export` line each; tools/infra-up.sh collects them into infra.env.
cmd_env() {
  printf 'export KAFKA_BROKERS=%s\n' "$KAFKA_HOST:$KAFKA_PORT"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
esac
