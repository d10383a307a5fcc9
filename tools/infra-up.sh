#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Starts (installing first where needed) the services the integration tests and the apps use, natively:
# PostgreSQL 15, Apache Kafka 3.9.2 (KRaft) and MinIO. Then writes $MEDLINEAGE_CACHE/infra.env with the
# client settings and prints it. Safe to run again: running services are left as they are, and pid
# files left by a crash are recognised and cleared. `npm run infra:up`; stop with `npm run infra:down`.
#
# EventStoreDB/KurrentDB has no native build for this machine; see deploy/compose.yaml where Docker exists.
set -euo pipefail

INFRA_NAME=infra-up
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=infra/lib.sh
source "$HERE/infra/lib.sh"

readonly ENV_FILE="$MEDLINEAGE_CACHE/infra.env"
readonly SERVICES=(postgres kafka minio)

mkdir -p "$MEDLINEAGE_CACHE"
# Without this, a failed start would leave the previous run's file around, advertising dead endpoints.
rm -f "$ENV_FILE"

failed=()
for service in "${SERVICES[@]}"; do
  started=$SECONDS
  # Each service is tried even if an earlier one failed, so one run reports every missing piece.
  if bash "$HERE/infra/$service.sh" start; then
    log "$service up ($((SECONDS - started))s)"
  else
    failed+=("$service")
  fi
done

if ((${#failed[@]} > 0)); then
  die "could not start: ${failed[*]} (see the messages above; details in $MEDLINEAGE_CACHE/<service>)"
fi

tmp=$(mktemp "$ENV_FILE.XXXXXX")
{
  printf '# Written by tools/infra-up.sh at %s. Local development endpoints and credentials.\n' "$(date -u +%FT%TZ)"
  printf '# Shell: source this file. libs/shared/testing parses it (it is never executed there).\n'
  for service in "${SERVICES[@]}"; do
    bash "$HERE/infra/$service.sh" env
  done
} >"$tmp"
# It holds (local, development-only) passwords: readable by the owner only.
chmod 600 "$tmp"
mv "$tmp" "$ENV_FILE"

log "all services up; settings in $ENV_FILE:"
grep '^export ' "$ENV_FILE"
