#!/usr/bin/env bash
# Script test: a clone of this checkout's committed HEAD, in a fresh 0700 folder (as root's home is), comes up with
# its deploy/local/up.sh on ports of its own, every service answers /health/ready healthy, the RabbitMQ management API
# answers with the credentials from local.env (and not for guest), and its deploy/local/down.sh --purge leaves no server
# running and no server data behind. Run by deploy/local/test.sh; cleans up after itself even when it fails.
set -euo pipefail
checkout=$(cd "$(dirname "$0")/../../.." && pwd -P)
source "$checkout/deploy/local/lib.sh"

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
port_open() { (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

command -v git >/dev/null || fail "git is needed to clone the checkout"
home=$(mktemp -d /tmp/pc-localrun-test.XXXXXX)  # mktemp -d makes it 0700
clone=$home/pc

# Every pid the clone recorded: its services, the RabbitMQ wrapper and VM, the PostgreSQL postmaster.
recorded_pids() {
  local servers file
  servers=$(cat "$clone/.pipelinecoach/server-dir" 2>/dev/null) || return 0
  for file in "$clone"/.pipelinecoach/pids/*.pid "$servers/rabbitmq/rabbitmq.pid.owner" "$servers/rabbitmq/rabbitmq.pid" \
    "$servers/postgres/data/postmaster.pid"; do
    if [ -f "$file" ]; then head -n 1 "$file"; echo; fi
  done
}

# Processes whose command line or working folder is inside the clone or its server data (SERVERS).
processes_inside() {
  local proc
  for proc in /proc/[0-9]*; do
    [ "${proc#/proc/}" = $$ ] && continue
    if tr '\0' ' ' 2>/dev/null < "$proc/cmdline" | grep -qF -e "$clone" -e "$SERVERS" \
      || readlink "$proc/cwd" 2>/dev/null | grep -qF -e "$clone" -e "$SERVERS"; then
      printf '%s %s\n' "${proc#/proc/}" "$(tr '\0' ' ' 2>/dev/null < "$proc/cmdline" | cut -c1-160)"
    fi
  done
}

cleanup() {
  local status=$? servers pids pid
  cd /
  if [ -d "$clone/.pipelinecoach" ]; then
    servers=$(cat "$clone/.pipelinecoach/server-dir" 2>/dev/null || true)
    pids=$(recorded_pids)
    "$clone/deploy/local/down.sh" --purge > "$home/cleanup.log" 2>&1 || cat "$home/cleanup.log" >&2
    for pid in $pids; do  # whatever down.sh did not stop, by recorded pid only
      if running "$pid"; then echo "cleanup: killing recorded pid $pid" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
    done
    case "$servers" in /var/lib/pipelinecoach/?*) rm -rf "$servers" ;; esac
  fi
  rm -rf "$home"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ports of its own, away from the defaults and below the kernel's ephemeral range (the test fixtures' servers use that).
base=""
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 1200 * 10))
  ok=1
  for offset in $(seq 0 9); do if port_open $((candidate + offset)); then ok=0; break; fi; done
  if [ "$ok" = 1 ]; then base=$candidate; break; fi
done
[ -n "$base" ] || fail "found no ten free ports"
export PIPELINECOACH_PG_PORT=$base PIPELINECOACH_RABBITMQ_PORT=$((base + 2)) PIPELINECOACH_SERVICES_PORT=$((base + 5))
ports=("$base" $((base + 2)) $((base + 3)) $((base + 4)) $((base + 5)) $((base + 6)) $((base + 7)) $((base + 8)))

head=$(git -C "$checkout" rev-parse HEAD)
[ -z "$(git -C "$checkout" status --porcelain --untracked-files=no)" ] || log "note: uncommitted changes are not tested; the clone is of HEAD $head"
git clone -q --no-checkout "$checkout" "$clone"
git -C "$clone" checkout -q --detach "$head"
[ "$(stat -c %a "$home")" = 700 ] || fail "$home is not 0700"

cd "$clone"
deploy/local/up.sh || fail "up.sh failed in a clone under a 0700 folder"

SERVERS=$(cat .pipelinecoach/server-dir)
[ -f "$SERVERS/postgres/data/PG_VERSION" ] || fail "no PostgreSQL data in $SERVERS/postgres"
if [ "$(id -u)" = 0 ]; then
  case "$SERVERS" in "$home"/*) fail "as root the server data must live outside the 0700 folder, not in $SERVERS" ;; esac
  [ "$(stat -c %U "$SERVERS/postgres/data")" = postgres ] || fail "$SERVERS/postgres/data is not owned by postgres"
fi

source .pipelinecoach/local.env
for port in $((base + 5)) $((base + 6)) $((base + 7)) $((base + 8)); do
  body=$(curl -fsS "http://127.0.0.1:$port/health/ready") || fail "/health/ready on port $port did not answer 200"
  case "$body" in '{"status":"Healthy"'*) ;; *) fail "/health/ready on port $port: $body" ;; esac
done
[ "$SYNC_URL" = "http://127.0.0.1:$((base + 5))" ] || fail "local.env has SYNC_URL=$SYNC_URL"
# The printed token carries every service's admin scope: each answers the outbox's operator endpoint with it, 401 without.
for url in "$SYNC_URL" "$SCORING_URL" "$CADENCE_URL" "$NOTIFICATIONS_URL"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$url/api/v1/admin/outbox/parked")
  [ "$code" = 200 ] || fail "GET $url/api/v1/admin/outbox/parked with the local token answered $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' "$url/api/v1/admin/outbox/parked")
  [ "$code" = 401 ] || fail "GET $url/api/v1/admin/outbox/parked without a token answered $code"
done
[ "$RABBITMQ_MANAGEMENT_URL" = "http://127.0.0.1:$((base + 4))/" ] || fail "local.env has RABBITMQ_MANAGEMENT_URL=$RABBITMQ_MANAGEMENT_URL"
curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" "${RABBITMQ_MANAGEMENT_URL}api/overview" | grep -q '"management_version"' \
  || fail "the management API did not answer for $RABBITMQ_USER"
[ "$(curl -s -o /dev/null -w '%{http_code}' -u guest:guest "${RABBITMQ_MANAGEMENT_URL}api/overview")" = 401 ] \
  || fail "the management API let guest in"
# The management API lists connections once their first statistics are in: poll for them.
deadline=$((SECONDS + 60))
until users=$(curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" "${RABBITMQ_MANAGEMENT_URL}api/connections" | grep -o '"user":"[^"]*"' | sort -u) \
  && [ -n "$users" ]; do
  [ $SECONDS -lt $deadline ] || fail "the management API lists no connections"
  sleep 1
done
[ "$users" = "\"user\":\"$RABBITMQ_USER\"" ] || fail "connections by other users than $RABBITMQ_USER: $users"

pids=$(recorded_pids)
[ "$(echo "$pids" | wc -w)" -ge 7 ] || fail "expected at least 7 recorded pids (4 services, RabbitMQ x2, PostgreSQL), got: $pids"
deploy/local/down.sh --purge || fail "down.sh failed"
cd /

for pid in $pids; do
  if running "$pid"; then fail "pid $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -c1-120)) still runs after down.sh"; fi
done
for port in "${ports[@]}"; do if port_open "$port"; then fail "port $port is still open after down.sh"; fi; done
left=$(processes_inside)
[ -z "$left" ] || fail "processes left inside the clone or its server data after down.sh:
$left"
[ ! -e "$SERVERS/postgres" ] && [ ! -e "$SERVERS/rabbitmq" ] || fail "down.sh --purge left server data in $SERVERS"
echo "ok: up.sh and down.sh in a clone under a 0700 folder (server data was in $SERVERS)"
