#!/usr/bin/env bash
# Runs the whole suite on this machine: PostgreSQL and RabbitMQ from Debian's packages on loopback, the four
# services built and started, each waited for until ready. Secrets, logs, pids and local.env live in .pipelinecoach/
# (git-ignored); the servers' data lives where lib.sh's server_dir says (as root: /var/lib/pipelinecoach/<hash>/).
#   deploy/local/up.sh          start (or restart the services of) the suite
#   deploy/local/up.sh --demo   also run the Salesforce simulator (:5190) wired to Sync, seed cadences for its managers
#                               (deploy/local/seed-cadences.sh) and play a day in the life
#   deploy/local/down.sh        stop everything it started
# Ports: PIPELINECOACH_PG_PORT (55432), PIPELINECOACH_RABBITMQ_PORT (55672; distribution +1, management +2),
# PIPELINECOACH_SERVICES_PORT (5101: Sync, then Scoring, Cadence, Notifications on the next three),
# PIPELINECOACH_MAILDEV_PORT (55025: maildev's SMTP; its web UI and REST API +1) and, with --demo,
# PIPELINECOACH_SIMULATOR_PORT (5190: the Salesforce simulator).
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib.sh

DEMO=0
[ "${1:-}" = "--demo" ] && DEMO=1
STATE=$PWD/.pipelinecoach
PG_PORT=${PIPELINECOACH_PG_PORT:-55432}
RABBIT_PORT=${PIPELINECOACH_RABBITMQ_PORT:-55672}
MANAGEMENT_PORT=$((RABBIT_PORT + 2))
SERVICES_PORT=${PIPELINECOACH_SERVICES_PORT:-5101}
MAILDEV_SMTP_PORT=${PIPELINECOACH_MAILDEV_PORT:-55025}
MAILDEV_URL=http://127.0.0.1:$((MAILDEV_SMTP_PORT + 1))/
SERVICES=(Sync:$SERVICES_PORT Scoring:$((SERVICES_PORT + 1)) Cadence:$((SERVICES_PORT + 2)) Notifications:$((SERVICES_PORT + 3)))
SYNC_URL=http://127.0.0.1:$SERVICES_PORT
ALL_SCOPES="sync.read sync.admin scoring.read scoring.write scoring.admin cadence.read cadence.write cadence.admin notifications.read notifications.write notifications.admin"

ensure_packages
mkdir -p "$STATE/pids" "$STATE/logs"
SERVERS=$(server_dir "$PWD")
echo "$SERVERS" > "$STATE/server-dir"  # down.sh reads it, so it finds the servers even if the checkout has moved
if [ "$SERVERS" != "$STATE" ]; then
  mkdir -p "$SERVERS" && chmod 755 "$(dirname "$SERVERS")" "$SERVERS"
  echo "$PWD" > "$SERVERS/checkout"
  # Data an earlier up.sh kept in the checkout moves to the new place once.
  for server in postgres rabbitmq; do
    if [ -d "$STATE/$server" ] && [ ! -e "$SERVERS/$server" ]; then
      log "moving $STATE/$server to $SERVERS/$server"
      if [ $server = postgres ]; then stop_postgres "$STATE/postgres"; else stop_rabbitmq "$STATE/rabbitmq"; fi \
        || die "could not stop the $server an earlier up.sh started in $STATE/$server"
      mv "$STATE/$server" "$SERVERS/$server"
    fi
  done
fi
chmod 700 "$STATE"  # after the move: an earlier up.sh let postgres traverse it

# Secrets are made once per checkout and kept out of git and logs.
if [ ! -f "$STATE/secrets.env" ]; then
  umask 077
  {
    echo "PG_PASSWORD=$(openssl rand -hex 16)"
    echo "SIGNING_KEY=$(openssl rand -base64 32)"
    echo "WEBHOOK_SECRET=whsec_$(openssl rand -base64 32)"
    echo "ORG_ID=00D5g000004DemoEAC"
  } > "$STATE/secrets.env"
  umask 022
fi
grep -q '^RABBITMQ_PASSWORD=' "$STATE/secrets.env" || echo "RABBITMQ_PASSWORD=$(openssl rand -hex 16)" >> "$STATE/secrets.env"
source "$STATE/secrets.env"
RABBITMQ_USER=pipelinecoach

start_postgres "$SERVERS/postgres" "$PG_PORT" "$PG_PASSWORD"
start_rabbitmq "$SERVERS/rabbitmq" "$RABBIT_PORT" "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"
# maildev runs as this user, so it and its mail stay in the checkout's state folder; down.sh stops it by its pid.
install_maildev "$STATE/node"
start_maildev "$STATE/node" "$STATE/maildev" "$MAILDEV_SMTP_PORT" $((MAILDEV_SMTP_PORT + 1)) "$STATE/pids/maildev.pid" "$STATE/logs/maildev.log"

for entry in "${SERVICES[@]}"; do
  db="pipelinecoach_$(echo "${entry%%:*}" | tr '[:upper:]' '[:lower:]')"
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $db" 
done

log "building the services"
dotnet build Services.sln -c Release -nologo -v quiet -clp:ErrorsOnly > "$STATE/logs/build.log" 2>&1 || { cat "$STATE/logs/build.log"; die "build failed"; }

SIMULATOR_PORT=${PIPELINECOACH_SIMULATOR_PORT:-5190}
SIMULATOR_URL=http://127.0.0.1:$SIMULATOR_PORT
if [ "$DEMO" = 1 ]; then
  pidfile="$STATE/pids/Simulator.pid"
  if [ -f "$pidfile" ] && running "$(cat "$pidfile")"; then kill "$(cat "$pidfile")"; wait_gone 30 "$(cat "$pidfile")"; fi
  log "starting the Salesforce simulator on $SIMULATOR_URL"
  (cd tests/PipelineCoach.SalesforceSimulator/bin/Release/net10.0 || exit 1
    setsid dotnet PipelineCoach.SalesforceSimulator.dll serve --port "$SIMULATOR_PORT" --opportunities 2000 --time-scale 0.01 \
      --webhook-url "$SYNC_URL/webhooks/salesforce/change-events" --webhook-secret "$WEBHOOK_SECRET" \
      --outbound-url "$SYNC_URL/webhooks/salesforce/outbound-messages" >> "$STATE/logs/Simulator.log" 2>&1 &
    echo $! > "$pidfile")
  wait_for_port "$SIMULATOR_PORT" 60 "the Salesforce simulator"
  ORG_ID=$(curl -fsS "$SIMULATOR_URL/control/org" | grep -o '"organizationId": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
  [ -n "$ORG_ID" ] || die "could not read the simulator's org id"
fi

service_env() { # name
  local db="pipelinecoach_$(echo "$1" | tr '[:upper:]' '[:lower:]')"
  echo "Database__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=$db"
  echo "Database__MigrateOnStart=false"
  echo "Messaging__RabbitMqUri=amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@127.0.0.1:$RABBIT_PORT/"
  echo "Auth__SigningKey=$SIGNING_KEY"
  echo "Salesforce__OrganizationId=$ORG_ID"
  echo "Webhooks__ChangeEventSecrets__0=$WEBHOOK_SECRET"
  echo "ASPNETCORE_ENVIRONMENT=Development"
  # Cadence's agendas ask Scoring for missing criteria, coverage and target accounts, with a locally minted token.
  echo "Scoring__BaseUrl=http://127.0.0.1:$((SERVICES_PORT + 1))"
  if [ "$1" = Notifications ]; then  # email goes to maildev, the only relay
    echo "Notifications__Email__Relays__0__Host=127.0.0.1"
    echo "Notifications__Email__Relays__0__Port=$MAILDEV_SMTP_PORT"
    # Local receivers (maildev, test webhooks) live on loopback; production refuses private targets.
    echo "Notifications__Webhooks__AllowPrivateTargets=true"
  fi
  if [ "$DEMO" = 1 ]; then
    echo "Salesforce__Api__LoginUrl=$SIMULATOR_URL"
    echo "Salesforce__Api__AuthFlow=ClientCredentials"
    echo "Salesforce__Api__ConsumerKey=3MVG9PipelineCoachSimulatorConsumerKey"
    echo "Salesforce__Api__ConsumerSecret=pipeline-coach-simulator-secret"
  fi
}

start_service() { # name:port
  local name=${1%%:*} port=${1##*:}
  local pidfile="$STATE/pids/$name.pid"
  if [ -f "$pidfile" ] && running "$(cat "$pidfile")"; then
    log "restarting $name"
    kill "$(cat "$pidfile")" && wait_gone 60 "$(cat "$pidfile")"
  fi
  local dll="services/$name/bin/Release/net10.0/PipelineCoach.$name.dll" vars
  mapfile -t vars < <(service_env "$name")
  env "${vars[@]}" dotnet "$dll" migrate >> "$STATE/logs/$name.log" 2>&1 || { tail -20 "$STATE/logs/$name.log"; die "$name migrations failed"; }
  log "starting $name on http://127.0.0.1:$port"
  # env execs setsid, which execs dotnet: the recorded pid is the service's own.
  # Urls, not ASPNETCORE_URLS: appsettings.json's Urls would win over the latter.
  (cd "services/$name/bin/Release/net10.0" || exit 1
    env "${vars[@]}" Urls="http://127.0.0.1:$port" setsid dotnet "PipelineCoach.$name.dll" >> "$STATE/logs/$name.log" 2>&1 &
    echo $! > "$pidfile")
}

wait_ready() { # name:port
  local name=${1%%:*} port=${1##*:}
  local deadline=$((SECONDS + 120))
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    running "$(cat "$STATE/pids/$name.pid")" || { tail -30 "$STATE/logs/$name.log"; die "$name exited"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$STATE/logs/$name.log"; die "$name not ready after 120 s"; }
    sleep 0.5
  done
}

# Consumers first: a service's queues are bound to the exchanges when its bus is ready, and RabbitMQ drops what is
# published to an exchange with nothing bound. Sync starts last, so the users and deals of its initial load reach
# every service on a fresh machine.
CONSUMERS=("${SERVICES[@]:1}")
for entry in "${CONSUMERS[@]}"; do start_service "$entry"; done
for entry in "${CONSUMERS[@]}"; do wait_ready "$entry"; done
start_service "${SERVICES[0]}"
wait_ready "${SERVICES[0]}"

TOKEN=$(make_token "$SIGNING_KEY" "$ALL_SCOPES" 30)
MANAGEMENT_URL=http://127.0.0.1:$MANAGEMENT_PORT/
{
  for entry in "${SERVICES[@]}"; do
    echo "$(echo "${entry%%:*}" | tr '[:lower:]' '[:upper:]')_URL=http://127.0.0.1:${entry##*:}"
  done
  echo "TOKEN=$TOKEN"
  echo "ORG_ID=$ORG_ID"
  echo "WEBHOOK_SECRET=$WEBHOOK_SECRET"
  echo "POSTGRES_URL=postgresql://postgres@127.0.0.1:$PG_PORT/"
  echo "RABBITMQ_URL=amqp://$RABBITMQ_USER:$RABBITMQ_PASSWORD@127.0.0.1:$RABBIT_PORT/"
  echo "RABBITMQ_MANAGEMENT_URL=$MANAGEMENT_URL"
  echo "RABBITMQ_USER=$RABBITMQ_USER"
  echo "RABBITMQ_PASSWORD=$RABBITMQ_PASSWORD"
  echo "MAILDEV_URL=$MAILDEV_URL"
  echo "MAILDEV_SMTP_HOST=127.0.0.1"
  echo "MAILDEV_SMTP_PORT=$MAILDEV_SMTP_PORT"
  [ "$DEMO" = 1 ] && echo "SIMULATOR_URL=$SIMULATOR_URL"
} > "$STATE/local.env"
chmod 600 "$STATE/local.env"

if [ "$DEMO" = 1 ]; then
  # Cadences first, so the scenario's new and advancing deals already trigger the event-driven reviews.
  log "seeding cadences for the simulated org's managers"
  deploy/local/seed-cadences.sh > "$STATE/logs/seed-cadences.txt" || log "the cadences were not all seeded (see above)"
  log "playing a day in the life in the simulated org"
  curl -fsS -X POST "$SIMULATOR_URL/control/scenario/day-in-the-life" > "$STATE/logs/scenario.json" \
    || log "the scenario did not run (see $STATE/logs/Simulator.log)"
fi

echo
echo "Pipeline Coach is running (all four services ready)."
for entry in "${SERVICES[@]}"; do
  printf '  %-14s http://127.0.0.1:%s   swagger: http://127.0.0.1:%s/swagger\n' "${entry%%:*}" "${entry##*:}" "${entry##*:}"
done
cat <<MSG
  PostgreSQL 127.0.0.1:$PG_PORT   RabbitMQ 127.0.0.1:$RABBIT_PORT   maildev SMTP 127.0.0.1:$MAILDEV_SMTP_PORT   logs: .pipelinecoach/logs/
  Server data: $SERVERS/postgres and $SERVERS/rabbitmq

RabbitMQ management: $MANAGEMENT_URL   user: $RABBITMQ_USER   password: $RABBITMQ_PASSWORD
Caught email (maildev web UI; REST API under ${MAILDEV_URL}api/email): $MAILDEV_URL

Bearer token (all scopes, 30 days):
$TOKEN

URLs, TOKEN, ORG_ID, WEBHOOK_SECRET, the RabbitMQ credentials and maildev's SMTP port are in .pipelinecoach/local.env (source it from scripts).
Stop everything with deploy/local/down.sh (add --purge to delete the servers' data too).
MSG
if [ "$DEMO" = 1 ] && [ -s "$STATE/logs/seed-cadences.txt" ]; then echo; cat "$STATE/logs/seed-cadences.txt"; fi
