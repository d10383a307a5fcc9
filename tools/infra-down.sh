#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops what tools/infra-up.sh started: each service script stops only the process named by its own pid
# file (and checks that the pid still is that service), never a server it did not start.
set -euo pipefail

INFRA_NAME=infra-down
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=infra/lib.sh
source "$HERE/infra/lib.sh"

failed=()
# Reverse start order: Kafka and MinIO first, the database last.
for service in minio kafka postgres; do
  bash "$HERE/infra/$service.sh" stop || failed+=("$service")
done
# The endpoints are gone; do not leave a file that advertises them.
rm -f "$MEDLINEAGE_CACHE/infra.env"

if ((${#failed[@]} > 0)); then
  die "could not stop: ${failed[*]}"
fi
log "all services stopped"
