#!/usr/bin/env bash
# Runs the whole suite on this machine: PostgreSQL and RabbitMQ from Debian's packages on loopback, the four
# services built and started, each waited for until ready. State lives in .pipelinecoach/ (git-ignored).
#   deploy/local/up.sh          start (or restart the services of) the suite
#   deploy/local/up.sh --demo   also run the Salesforce simulator (:5190) wired to Sync, and play a day in the life
#   deploy/local/down.sh        stop everything it started
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib.sh

DEMO=0
[ "${1:-}" = "--demo" ] && DEMO=1
STATE=$PWD/.pipelinecoach
PG_PORT=${PIPELINECOACH_PG_PORT:-55432}
RABBIT_PORT=${PIPELINECOACH_RABBITMQ_PORT:-55672}
SERVICES=(Sync:5101 Scoring:5102 Cadence:5103 Notifications:5104)
ALL_SCOPES="sync.read sync.admin scoring.read scoring.write scoring.admin cadence.read cadence.write notifications.read notifications.write"

ensure_packages
mkdir -p "$STATE/pids" "$STATE/logs"
chmod 711 "$STATE"  # postgres (the server's user) must traverse it; secrets inside are 0600

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
source "$STATE/secrets.env"

start_postgres "$STATE/postgres" "$PG_PORT" "$PG_PASSWORD"
start_rabbitmq "$STATE/rabbitmq" "$RABBIT_PORT"

for entry in "${SERVICES[@]}"; do
  db="pipelinecoach_$(echo "${entry%%:*}" | tr '[:upper:]' '[:lower:]')"
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
    || PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $db" 
done

log "building the services"
dotnet build Services.sln -c Release -nologo -v quiet -clp:ErrorsOnly > "$STATE/logs/build.log" 2>&1 || { cat "$STATE/logs/build.log"; die "build failed"; }

SIMULATOR_URL=http://127.0.0.1:5190
if [ "$DEMO" = 1 ]; then
  pidfile="$STATE/pids/Simulator.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill "$(cat "$pidfile")"; sleep 1; fi
  log "starting the Salesforce simulator on $SIMULATOR_URL"
  (cd tests/PipelineCoach.SalesforceSimulator/bin/Release/net10.0 || exit 1
    setsid dotnet PipelineCoach.SalesforceSimulator.dll serve --port 5190 --opportunities 2000 --time-scale 0.01 \
      --webhook-url http://127.0.0.1:5101/webhooks/salesforce/change-events --webhook-secret "$WEBHOOK_SECRET" \
      --outbound-url http://127.0.0.1:5101/webhooks/salesforce/outbound-messages >> "$STATE/logs/Simulator.log" 2>&1 &
    echo $! > "$pidfile")
  wait_for_port 5190 60 "the Salesforce simulator"
  ORG_ID=$(curl -fsS "$SIMULATOR_URL/control/org" | grep -o '"organizationId": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
  [ -n "$ORG_ID" ] || die "could not read the simulator's org id"
fi

service_env() { # name
  local db="pipelinecoach_$(echo "$1" | tr '[:upper:]' '[:lower:]')"
  echo "Database__ConnectionString=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=$db"
  echo "Database__MigrateOnStart=false"
  echo "Messaging__RabbitMqUri=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
  echo "Auth__SigningKey=$SIGNING_KEY"
  echo "Salesforce__OrganizationId=$ORG_ID"
  echo "Webhooks__ChangeEventSecrets__0=$WEBHOOK_SECRET"
  echo "ASPNETCORE_ENVIRONMENT=Development"
  if [ "$DEMO" = 1 ]; then
    echo "Salesforce__Api__LoginUrl=$SIMULATOR_URL"
    echo "Salesforce__Api__AuthFlow=ClientCredentials"
    echo "Salesforce__Api__ConsumerKey=3MVG9PipelineCoachSimulatorConsumerKey"
    echo "Salesforce__Api__ConsumerSecret=pipeline-coach-simulator-secret"
  fi
}

for entry in "${SERVICES[@]}"; do
  name=${entry%%:*} port=${entry##*:}
  pidfile="$STATE/pids/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "restarting $name"
    kill "$(cat "$pidfile")" && while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.2; done
  fi
  dll="services/$name/bin/Release/net10.0/PipelineCoach.$name.dll"
  mapfile -t vars < <(service_env "$name")
  env "${vars[@]}" dotnet "$dll" migrate >> "$STATE/logs/$name.log" 2>&1 || { tail -20 "$STATE/logs/$name.log"; die "$name migrations failed"; }
  log "starting $name on http://127.0.0.1:$port"
  # env execs setsid, which execs dotnet: the recorded pid is the service's own.
  (cd "services/$name/bin/Release/net10.0" || exit 1
    env "${vars[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" setsid dotnet "PipelineCoach.$name.dll" >> "$STATE/logs/$name.log" 2>&1 &
    echo $! > "$pidfile")
done

for entry in "${SERVICES[@]}"; do
  name=${entry%%:*} port=${entry##*:}
  deadline=$((SECONDS + 120))
  until curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do
    kill -0 "$(cat "$STATE/pids/$name.pid")" 2>/dev/null || { tail -30 "$STATE/logs/$name.log"; die "$name exited"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$STATE/logs/$name.log"; die "$name not ready after 120 s"; }
    sleep 0.5
  done
done

if [ "$DEMO" = 1 ]; then
  log "playing a day in the life in the simulated org"
  curl -fsS -X POST "$SIMULATOR_URL/control/scenario/day-in-the-life" > "$STATE/logs/scenario.json" \
    || log "the scenario did not run (see $STATE/logs/Simulator.log)"
fi

TOKEN=$(make_token "$SIGNING_KEY" "$ALL_SCOPES" 30)
{
  echo "SYNC_URL=http://127.0.0.1:5101"
  echo "SCORING_URL=http://127.0.0.1:5102"
  echo "CADENCE_URL=http://127.0.0.1:5103"
  echo "NOTIFICATIONS_URL=http://127.0.0.1:5104"
  echo "TOKEN=$TOKEN"
  echo "ORG_ID=$ORG_ID"
  echo "WEBHOOK_SECRET=$WEBHOOK_SECRET"
  echo "POSTGRES_URL=postgresql://postgres@127.0.0.1:$PG_PORT/"
  echo "RABBITMQ_URL=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/"
  [ "$DEMO" = 1 ] && echo "SIMULATOR_URL=$SIMULATOR_URL"
} > "$STATE/local.env"
chmod 600 "$STATE/local.env"

cat <<MSG

Pipeline Coach is running (all four services ready).
  Sync           http://127.0.0.1:5101   swagger: http://127.0.0.1:5101/swagger
  Scoring        http://127.0.0.1:5102   swagger: http://127.0.0.1:5102/swagger
  Cadence        http://127.0.0.1:5103   swagger: http://127.0.0.1:5103/swagger
  Notifications  http://127.0.0.1:5104   swagger: http://127.0.0.1:5104/swagger
  PostgreSQL 127.0.0.1:$PG_PORT   RabbitMQ 127.0.0.1:$RABBIT_PORT   logs: .pipelinecoach/logs/

Bearer token (all scopes, 30 days):
$TOKEN

URLs, TOKEN, ORG_ID and WEBHOOK_SECRET are in .pipelinecoach/local.env (source it from scripts).
Stop everything with deploy/local/down.sh.
MSG
