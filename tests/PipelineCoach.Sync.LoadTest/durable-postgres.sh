#!/usr/bin/env bash
# Starts a throwaway PostgreSQL with its durable defaults (fsync, synchronous_commit and full_page_writes on),
# unlike the test fixtures' fast-but-volatile one, so an Ack really means "on disk". Prints the connection string
# for PIPELINECOACH_TEST_POSTGRES. Stop it with: durable-postgres.sh stop <folder>
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "${1:-}" = stop ]; then
  as_pg "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null && rm -rf "$2"
  exit 0
fi
folder=$(mktemp -d /tmp/pipelinecoach-durable-pg-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$password" > "$folder/pwfile"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$folder"
as_pg "$bin/initdb" -D "$folder/data" -U postgres --auth=scram-sha-256 --pwfile="$folder/pwfile" --encoding=UTF8 --no-instructions >/dev/null
as_pg "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 start \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $folder -c max_connections=300" >/dev/null
echo "# PostgreSQL in $folder (fsync=on, synchronous_commit=on); stop: $0 stop $folder" >&2
echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
