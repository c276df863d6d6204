#!/usr/bin/env bash
# Stops what deploy/local/up.sh started (by recorded pid); data in .pipelinecoach/ is kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib.sh
STATE=$PWD/.pipelinecoach

for pidfile in "$STATE"/pids/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $(basename "$pidfile" .pid)"
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done
log "stopping RabbitMQ"; stop_rabbitmq "$STATE/rabbitmq"
log "stopping PostgreSQL"; stop_postgres "$STATE/postgres"
