#!/usr/bin/env bash
# Stops what deploy/local/up.sh started (by recorded pid). The servers' data is kept unless --purge is given.
#   deploy/local/down.sh           stop the services, maildev, RabbitMQ and PostgreSQL
#   deploy/local/down.sh --purge   also delete the servers' data and the caught mail (secrets in .pipelinecoach/ stay)
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib.sh
STATE=$PWD/.pipelinecoach
PURGE=0 failed=0
[ "${1:-}" = "--purge" ] && PURGE=1

for pidfile in "$STATE"/pids/*.pid; do
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if running "$pid"; then
    log "stopping $(basename "$pidfile" .pid)"
    kill "$pid"
    wait_gone 30 "$pid" || { kill -9 "$pid" 2>/dev/null || true; wait_gone 10 "$pid" || true; }
  fi
  rm -f "$pidfile"
done

# Where up.sh put the servers (recorded, so a moved checkout still finds them), and the checkout's own folder, where
# an earlier up.sh kept them.
SERVERS=$(cat "$STATE/server-dir" 2>/dev/null || server_dir "$PWD")
for dir in "$SERVERS" $([ "$SERVERS" != "$STATE" ] && echo "$STATE"); do
  if [ -f "$dir/rabbitmq/rabbitmq.pid.owner" ]; then log "stopping RabbitMQ ($dir/rabbitmq)"; stop_rabbitmq "$dir/rabbitmq" || failed=1; fi
  if [ -f "$dir/postgres/data/PG_VERSION" ]; then log "stopping PostgreSQL ($dir/postgres)"; stop_postgres "$dir/postgres" || failed=1; fi
done

[ "$failed" = 0 ] || die "a server did not stop; its data is kept"
if [ "$PURGE" = 1 ]; then
  log "deleting the servers' data in $SERVERS"
  rm -rf "$SERVERS/postgres" "$SERVERS/rabbitmq" "$STATE/postgres" "$STATE/rabbitmq" "$STATE/maildev"
  if [ "$SERVERS" != "$STATE" ]; then rm -f "$SERVERS/checkout"; rmdir "$SERVERS" 2>/dev/null || true; fi
  rm -f "$STATE/server-dir"
fi
