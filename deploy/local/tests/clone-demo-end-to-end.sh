#!/usr/bin/env bash
# Script test: a clone of this checkout's committed HEAD, in a fresh 0700 folder (as root's home is), comes up with
# its deploy/local/up.sh --demo on ports of its own (lib-clone.sh); every service answers /health/ready healthy, the
# local token opens each service's operator endpoint, the RabbitMQ management API answers with the credentials from
# local.env (and not for guest). Then, end to end on that local run:
#   - the simulated Salesforce org sends one outbound message (SOAP, change events switched off meanwhile) for a
#     deal its owner gave a 35 % discount; maildev gets one email to the owner naming the deal and the risk;
#   - a daily huddle created through the Cadence API for the planted team's manager, due at the next minute, leads to
#     an agenda email to the manager listing the deals by name (its agenda's, the planted problem deals and the
#     deal just made risky).
# Finally down.sh --purge leaves no server running and no server data behind. Run by deploy/local/test.sh; cleans up
# after itself even when it fails.
set -euo pipefail
source "$(dirname "$0")/lib-clone.sh"

# json PROGRAM [ARGS...]: runs PROGRAM in Node with `data` = stdin parsed as JSON and `args`.
json() {
  local program=$1; shift
  node -e "const data = JSON.parse(require('fs').readFileSync(0, 'utf8')); const args = process.argv.slice(1); $program" -- "$@"
}

# eventually SECONDS COMMAND...: runs COMMAND every second until it succeeds; false if it has not after SECONDS.
eventually() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 1
  done
}

clone_start
clone_up --demo
base=$CLONE_BASE_PORT

[ -f "$SERVERS/postgres/data/PG_VERSION" ] || fail "no PostgreSQL data in $SERVERS/postgres"
if [ "$(id -u)" = 0 ]; then
  case "$SERVERS" in "$CLONE_HOME"/*) fail "as root the server data must live outside the 0700 folder, not in $SERVERS" ;; esac
  [ "$(stat -c %U "$SERVERS/postgres/data")" = postgres ] || fail "$SERVERS/postgres/data is not owned by postgres"
fi

source .pipelinecoach/local.env
for port in $((base + 5)) $((base + 6)) $((base + 7)) $((base + 8)); do
  body=$(curl -fsS "http://127.0.0.1:$port/health/ready") || fail "/health/ready on port $port did not answer 200"
  case "$body" in '{"status":"Healthy"'*) ;; *) fail "/health/ready on port $port: $body" ;; esac
done
[ "$SYNC_URL" = "http://127.0.0.1:$((base + 5))" ] || fail "local.env has SYNC_URL=$SYNC_URL"
[ "$MAILDEV_URL" = "http://127.0.0.1:$((base + 10))/" ] || fail "local.env has MAILDEV_URL=$MAILDEV_URL"
[ "$SIMULATOR_URL" = "http://127.0.0.1:$((base + 11))" ] || fail "local.env has SIMULATOR_URL=$SIMULATOR_URL"
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
connection_users() {
  users=$(curl -fsS -u "$RABBITMQ_USER:$RABBITMQ_PASSWORD" "${RABBITMQ_MANAGEMENT_URL}api/connections" | grep -o '"user":"[^"]*"' | sort -u) \
    && [ -n "$users" ]
}
eventually 60 connection_users || fail "the management API lists no connections"
[ "$users" = "\"user\":\"$RABBITMQ_USER\"" ] || fail "connections by other users than $RABBITMQ_USER: $users"

# --- End to end: a risky change in Salesforce reaches its owner, a cadence's agenda reaches the manager. ---

api() { curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Accept: application/json' "$@"; }
# mails ADDRESS TEXT: the caught emails to ADDRESS whose subject contains TEXT, as a JSON array of {subject, text}.
mails() {
  curl -fsS "${MAILDEV_URL}api/email" | json '
    const to = args[0].toLowerCase();
    const hits = data.filter(m => m.to.some(t => t.address.toLowerCase() === to) && m.subject.includes(args[1]));
    process.stdout.write(JSON.stringify(hits.map(m => ({ subject: m.subject, text: m.text }))));' "$1" "$2"
}
count() { json 'process.stdout.write(String(data.length))'; }
# What Notifications decided for a person, and what maildev caught for them: printed when an expected email is missing.
explain() { # userId address
  echo "deliveries for $1:" >&2
  api "$NOTIFICATIONS_URL/api/v1/deliveries?recipientId=$1&limit=50" | json '
    for (const d of data.items) console.log(`  ${d.signal} ${d.channel} ${d.status} ${d.businessKey} ${d.lastError ?? ""}`);' >&2 || true
  echo "emails caught for $2:" >&2
  mails "$2" "" | json 'for (const m of data) console.log(`  ${m.subject}`);' >&2 || true
}

# The planted team (see docs/salesforce-simulator.md): its manager, its problem deals, and the clean control of the
# deep-discount problem, a deal with a 5 % discount and nothing flagged.
curl -fsS "$SIMULATOR_URL/control/ground-truth" > "$CLONE_HOME/ground-truth.json" || fail "no ground truth from the simulator"
read -r MANAGER DEAL OWNER < <(json '
  const clean = data.opportunities.find(o => o.problems.length === 0 && o.controlFor.includes("maverick-discount"));
  console.log(data.plantedTeamManagerId, clean.id, clean.ownerId);' < "$CLONE_HOME/ground-truth.json")
DEAL_NAME=$(json 'process.stdout.write(data.opportunities.find(o => o.id === args[0]).name)' "$DEAL" < "$CLONE_HOME/ground-truth.json")
mapfile -t PROBLEM_DEALS < <(json 'for (const o of data.opportunities) if (o.problems.length > 0) console.log(o.name)' < "$CLONE_HOME/ground-truth.json")
[ ${#PROBLEM_DEALS[@]} -ge 2 ] || fail "the ground truth lists ${#PROBLEM_DEALS[@]} planted problem deals"
# Their email addresses, as Salesforce has them (SOQL on User through the simulator's REST API).
sf_token=$(curl -fsS -X POST "$SIMULATOR_URL/control/tokens" | json 'process.stdout.write(data.accessToken)')
soql="SELECT Id, Email FROM User WHERE Id IN ('$OWNER', '$MANAGER')"
users=$(curl -fsS -G -H "Authorization: Bearer $sf_token" --data-urlencode "q=$soql" "$SIMULATOR_URL/services/data/v62.0/query") \
  || fail "the simulator's User query failed"
OWNER_EMAIL=$(json 'process.stdout.write(data.records.find(r => r.Id === args[0]).Email)' "$OWNER" <<< "$users")
MANAGER_EMAIL=$(json 'process.stdout.write(data.records.find(r => r.Id === args[0]).Email)' "$MANAGER" <<< "$users")
log "deal $DEAL_NAME ($DEAL), owner $OWNER_EMAIL, manager $MANAGER_EMAIL"

# Settled first: Sync's initial load done, the deal scored without the flag, and Notifications knows both people's
# email addresses (from UserChanged) and the deal's name (from OpportunityChanged). Notifications has no API listing
# its recipients, so its database is asked.
initial_load_done() {
  local status
  status=$(api "$SYNC_URL/api/v1/sync/status") || return 1
  json 'process.exit(data.recentRuns.some(r => r.kind === "reconcile" && r.status === "succeeded") ? 0 : 1)' <<< "$status"
}
eventually 300 initial_load_done || fail "Sync's initial load from the simulator did not succeed within 300 s"

# The demo org's outcomes follow qualification, so the proactive scorecard's backtest must show it: grades ordered
# by win rate and a won deal outscoring a lost one at least 65 % of the time. Closed deals reach Scoring before their
# history does (Sync announces each summary after the reconcile that read it), so the backtest is read until it has
# (nearly) every closed deal the simulator generated and shows the separation, or the deadline passes.
CLOSED_DEALS=$(json 'process.stdout.write(String(data.outcomes.closedDeals))' < "$CLONE_HOME/ground-truth.json")
backtest_separates() {
  local body
  body=$(api "$SCORING_URL/api/v1/scorecards/proactive-qualification/backtest") || return 1
  backtest=$body  # the summary below reads the last good answer, never a failed call's empty one
  json 'process.exit(data.deals >= 0.95 * Number(args[0]) && data.gradesOrdered && data.separation >= 0.65 ? 0 : 1)' "$CLOSED_DEALS" <<< "$backtest"
}
separated=0 backtest='{"grades":[]}'
eventually 180 backtest_separates && separated=1
json '
  console.error(`backtest: ${data.deals} of ${args[0]} closed deals, separation ${data.separation?.toFixed(3)}, ` +
    data.grades.map(g => `${g.grade} ${g.won}/${g.deals}`).join(", ") + ` — ${data.verdict}`)' "$CLOSED_DEALS" <<< "$backtest"
[ $separated = 1 ] || fail "the demo backtest did not reach the simulator's $CLOSED_DEALS closed deals with ordered grades and separation >= 0.65 within 180 s (last read above)"
scored_without_flag() {
  local score
  score=$(api "$SCORING_URL/api/v1/opportunities/$DEAL/score" 2>/dev/null) || return 1  # 404 until scored
  json '
    const score = data.scores.find(s => s.scorecardId === "proactive-qualification");
    process.exit(score && !score.flags.includes("maverick-discounting") ? 0 : 1)' <<< "$score"
}
eventually 120 scored_without_flag || fail "Scoring did not score $DEAL without maverick-discounting within 120 s"
PG_PASSWORD=$(sed -n 's/^PG_PASSWORD=//p' .pipelinecoach/secrets.env)
notifications_knows() {
  [ "$(PGPASSWORD=$PG_PASSWORD psql "${POSTGRES_URL}pipelinecoach_notifications" -tAc "
    SELECT (SELECT count(*) FROM recipients WHERE user_id IN ('$OWNER', '$MANAGER') AND email IS NOT NULL AND is_active)
         + (SELECT count(*) FROM opportunities WHERE opportunity_id = '$DEAL' AND name IS NOT NULL)")" = 3 ]
}
eventually 120 notifications_knows || fail "Notifications did not learn the owner, the manager and the deal within 120 s"
[ "$(mails "$OWNER_EMAIL" "$DEAL_NAME" | count)" = 0 ] || fail "an email about $DEAL_NAME reached $OWNER_EMAIL before the change"

# The owner gives the deal a 35 % discount (the flag's threshold is 20 %). Change events are switched off meanwhile,
# so Sync hears of it through the outbound message alone, the SOAP notification the simulator posts as Salesforce does.
outbound_delivered() { curl -fsS "$SIMULATOR_URL/control/deliveries" | json 'process.stdout.write(String(data.outboundDelivered))'; }
delivered_before=$(outbound_delivered)
curl -fsS -X PUT -H 'Content-Type: application/json' "$SIMULATOR_URL/control/endpoints" \
  -d "{\"outboundMessageUrl\":\"$SYNC_URL/webhooks/salesforce/outbound-messages\",\"changeEventWebhookUrl\":null}" \
  || fail "could not switch the simulator's change events off"
curl -fsS -X PATCH -H 'Content-Type: application/json' "$SIMULATOR_URL/control/records/Opportunity/$DEAL?asUser=$OWNER" \
  -d '{"Discount_Percent__c": 35}' > /dev/null || fail "the simulator refused the discount on $DEAL"
risk_mail() { risk_mails=$(mails "$OWNER_EMAIL" "$DEAL_NAME") && [ "$(count <<< "$risk_mails")" -gt 0 ]; }
eventually 120 risk_mail || { explain "$OWNER" "$OWNER_EMAIL"; fail "no email about $DEAL_NAME reached its owner $OWNER_EMAIL within 120 s"; }
[ "$(outbound_delivered)" -gt "$delivered_before" ] || fail "the simulator counts no outbound message delivered to Sync"
curl -fsS -X PUT -H 'Content-Type: application/json' "$SIMULATOR_URL/control/endpoints" \
  -d "{\"outboundMessageUrl\":\"$SYNC_URL/webhooks/salesforce/outbound-messages\",\"changeEventWebhookUrl\":\"$SYNC_URL/webhooks/salesforce/change-events\"}" \
  || fail "could not switch the simulator's change events back on"
json '
  const m = data[0];
  if (!/discount/i.test(m.subject)) { console.error(`the subject does not name the risk (a deep discount): ${m.subject}`); process.exit(1); }
  if (!m.text.includes(args[0]) || !m.text.includes("Maverick discounting")) {
    console.error(`the text does not name the deal and the flag (by its name, not its code):\n${m.text}`); process.exit(1); }' "$DEAL_NAME" <<< "$risk_mails" \
  || fail "the risk email to $OWNER_EMAIL is not about $DEAL_NAME and its discount"
log "risk email: $(json 'process.stdout.write(data[0].subject)' <<< "$risk_mails")"

# A daily huddle for the planted team, due at the first whole minute at least 30 s from now (UTC): by then Cadence has
# recorded the new flag too.
fires=$(( ($(date +%s) + 30 + 59) / 60 * 60 ))
huddle="End-to-end huddle $$"
cadence=$(api -X POST -H 'Content-Type: application/json' "$CADENCE_URL/api/v1/cadences" -d "{
  \"name\": \"$huddle\", \"kind\": \"daily-huddle\", \"target\": { \"type\": \"team\", \"managerId\": \"$MANAGER\" },
  \"schedule\": { \"cron\": \"$((10#$(date -u -d "@$fires" +%M))) $((10#$(date -u -d "@$fires" +%H))) * * *\", \"timeZone\": \"UTC\" } }") \
  || fail "the Cadence API did not create the huddle"
cadence_id=$(json 'process.stdout.write(data.id)' <<< "$cadence")
log "huddle $cadence_id due at $(date -u -d "@$fires" +%H:%M) UTC"
agenda_mail() { agenda_mails=$(mails "$MANAGER_EMAIL" "$huddle") && [ "$(count <<< "$agenda_mails")" -gt 0 ]; }
eventually $(( fires - $(date +%s) + 120 )) agenda_mail \
  || { explain "$MANAGER" "$MANAGER_EMAIL"; fail "no agenda email for '$huddle' reached the manager $MANAGER_EMAIL within 2 minutes of its start"; }
occurrences=$(api "$CADENCE_URL/api/v1/occurrences?cadenceId=$cadence_id&status=due") || fail "could not read the huddle's occurrence"
mapfile -t AGENDA_DEALS < <(json '
  const names = new Set(data.items.flatMap(o => o.agenda.flatMap(s => s.items.map(i => i.opportunityName).filter(Boolean))));
  for (const name of names) console.log(name);' <<< "$occurrences")
[ ${#AGENDA_DEALS[@]} -ge 2 ] || fail "the huddle's agenda names ${#AGENDA_DEALS[@]} deals: $occurrences"
agenda_text=$(json 'process.stdout.write(data[0].text)' <<< "$agenda_mails")
for name in "${AGENDA_DEALS[@]}" "${PROBLEM_DEALS[@]}" "$DEAL_NAME"; do
  grep -qF -- "$name" <<< "$agenda_text" || fail "the agenda email to $MANAGER_EMAIL does not list '$name':
$agenda_text"
done
log "agenda email: $(json 'process.stdout.write(data[0].subject)' <<< "$agenda_mails"), ${#AGENDA_DEALS[@]} deals"
# By now the write-back of the new score has come back from Salesforce too: still one email about the risk.
[ "$(mails "$OWNER_EMAIL" "$DEAL_NAME" | count)" = 1 ] || fail "the owner got more than one email about $DEAL_NAME"

pids=$(recorded_pids)
[ "$(echo "$pids" | wc -w)" -ge 9 ] \
  || fail "expected at least 9 recorded pids (4 services, maildev, the simulator, RabbitMQ x2, PostgreSQL), got: $pids"
clone_down_leaves_nothing
echo "ok: up.sh --demo and down.sh in a clone under a 0700 folder (server data was in $SERVERS); a risk reached its owner and an agenda the manager by email"
