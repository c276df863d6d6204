#!/usr/bin/env bash
# Seeds the Cadence service with the six templates for the simulated org's front-line managers (up.sh --demo runs it):
#   - per manager: daily-huddle, weekly-pipeline-review and target-account-planning on their team, with the templates'
#     defaults, plus a "Demo huddle" whose schedule fires a few minutes from now (UTC), so an occurrence and its agenda
#     show up while the newcomer is still looking;
#   - org-wide: opportunity-strategy-review, pre-presentation-review and negotiation-preparation.
# Idempotent: kinds a manager already has (and org-wide kinds already present) are left alone; an existing demo huddle
# is moved to the new time instead of a second one being made. Managers come from the simulator's REST API (SOQL on
# User): a front-line manager is an active user with a direct report who has no reports of their own; the planted
# team's manager goes first.
#   deploy/local/seed-cadences.sh     reads CADENCE_URL, TOKEN and SIMULATOR_URL from .pipelinecoach/local.env
# Environment: CADENCE_URL, TOKEN, SIMULATOR_URL override local.env; DEMO_LEAD_MINUTES (3) is how far ahead the demo
# huddle fires. Progress goes to stderr; the summary (what was seeded, and how to look at it) to stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
source deploy/local/lib.sh

command -v node >/dev/null || die "seeding needs Node.js (node on PATH) to read JSON"
if [ -f .pipelinecoach/local.env ]; then
  # Values already in the environment win over the file's.
  env_cadence=${CADENCE_URL:-} env_token=${TOKEN:-} env_simulator=${SIMULATOR_URL:-}
  source .pipelinecoach/local.env
  CADENCE_URL=${env_cadence:-${CADENCE_URL:-}} TOKEN=${env_token:-${TOKEN:-}} SIMULATOR_URL=${env_simulator:-${SIMULATOR_URL:-}}
fi
[ -n "${CADENCE_URL:-}" ] && [ -n "${TOKEN:-}" ] || die "CADENCE_URL and TOKEN are not set (run deploy/local/up.sh first)"
[ -n "${SIMULATOR_URL:-}" ] || die "SIMULATOR_URL is not set (run deploy/local/up.sh --demo)"
LEAD_MINUTES=${DEMO_LEAD_MINUTES:-3}

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# json PROGRAM [ARGS...]: runs PROGRAM in Node with `data` = stdin parsed as JSON (null when empty) and `args`.
json() {
  local program=$1; shift
  node -e "const text = require('fs').readFileSync(0, 'utf8'); const data = text.trim() ? JSON.parse(text) : null;
    const args = process.argv.slice(1); $program" -- "$@"
}

# api METHOD PATH [BODY]: calls the Cadence API; prints the response body; on an HTTP error prints it to stderr and
# returns 1. Sets STATUS to the HTTP status.
api() {
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -o "$WORK/response" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN" -H 'Accept: application/json')
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  STATUS=$(curl "${args[@]}" "$CADENCE_URL$path") || { STATUS=000; log "$method $path: the Cadence service did not answer"; return 1; }
  if [ "${STATUS:0:1}" != 2 ]; then
    log "$method $path: HTTP $STATUS $(cat "$WORK/response")"
    return 1
  fi
  cat "$WORK/response"
}

# Before the cadence API exists (or on an older build) there is nothing to seed: say so and leave up.sh alone.
if ! api GET /api/v1/cadence-templates > /dev/null 2> "$WORK/error"; then
  if [ "$STATUS" = 404 ]; then
    echo "Cadences: not seeded (this Cadence build has no /api/v1/cadence-templates yet)."
    exit 0
  fi
  cat "$WORK/error" >&2
  die "could not read the cadence templates from $CADENCE_URL"
fi

# The simulated org's active users, through Salesforce's query API (paged by nextRecordsUrl).
SF_TOKEN=$(curl -fsS -X POST "$SIMULATOR_URL/control/tokens" | json 'process.stdout.write(data.accessToken)') \
  || die "could not get a token from the simulator at $SIMULATOR_URL"
next="/services/data/v62.0/query?q=$(json 'process.stdout.write(encodeURIComponent(args[0]))' \
  'SELECT Id, Name, ManagerId, TimeZoneSidKey FROM User WHERE IsActive = true' < /dev/null)"
: > "$WORK/users.jsonl"
while [ -n "$next" ]; do
  curl -fsS -H "Authorization: Bearer $SF_TOKEN" "$SIMULATOR_URL$next" > "$WORK/page.json" || die "the simulator's User query failed"
  json 'for (const r of data.records) console.log(JSON.stringify({ id: r.Id, name: r.Name, managerId: r.ManagerId, timeZone: r.TimeZoneSidKey }))' \
    < "$WORK/page.json" >> "$WORK/users.jsonl"
  next=$(json 'process.stdout.write(data.nextRecordsUrl ?? "")' < "$WORK/page.json")
done
PLANTED_MANAGER=$(curl -fsS "$SIMULATOR_URL/control/ground-truth" | json 'process.stdout.write(data.plantedTeamManagerId ?? "")' || true)

# The cadences that exist already (every page).
: > "$WORK/cadences.jsonl"
cursor=""
while :; do
  path=/api/v1/cadences
  [ -n "$cursor" ] && path="$path?cursor=$(json 'process.stdout.write(encodeURIComponent(args[0]))' "$cursor" < /dev/null)"
  api GET "$path" > "$WORK/page.json" || die "could not list the cadences (HTTP $STATUS)"
  json 'for (const c of data.items) console.log(JSON.stringify(c))' < "$WORK/page.json" >> "$WORK/cadences.jsonl"
  cursor=$(json 'process.stdout.write(data.nextCursor == null ? "" : String(data.nextCursor))' < "$WORK/page.json")
  [ -n "$cursor" ] || break
done

# The plan, worked out from the two lists: one line per write, "METHOD<TAB>PATH<TAB>BODY<TAB>WHAT".
node -e '
const fs = require("fs");
const lines = f => fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l));
const [usersFile, cadencesFile, planted, leadMinutes, nowMs, managersFile] = process.argv.slice(1);
const users = lines(usersFile), cadences = lines(cadencesFile);
const DEMO = "Demo huddle";
const RECURRING = ["daily-huddle", "weekly-pipeline-review", "target-account-planning"];
const EVENT_DRIVEN = ["opportunity-strategy-review", "pre-presentation-review", "negotiation-preparation"];

const reports = new Map();
for (const u of users) if (u.managerId) reports.set(u.managerId, [...(reports.get(u.managerId) ?? []), u]);
const frontLine = users.filter(u => (reports.get(u.id) ?? []).some(r => !reports.has(r.id)));
frontLine.sort((a, b) => (b.id === planted) - (a.id === planted) || a.id.localeCompare(b.id));

// The next whole minute at least leadMinutes from now, in UTC.
const fires = new Date(Math.ceil((Number(nowMs) + Number(leadMinutes) * 60000) / 60000) * 60000);
const hh = String(fires.getUTCHours()).padStart(2, "0"), mm = String(fires.getUTCMinutes()).padStart(2, "0");

const isDemo = c => (c.name ?? "").startsWith(DEMO);
const out = (method, path, body, what) => console.log([method, path, JSON.stringify(body), what].join("\t"));
for (const m of frontLine) {
  const mine = cadences.filter(c => c.target?.type === "team" && c.target?.managerId === m.id);
  const who = `${m.name} (${m.id}${m.id === planted ? ", planted team" : ""}, ${m.timeZone})`;
  const target = { type: "team", managerId: m.id };
  for (const kind of RECURRING) {
    if (!mine.some(c => c.kind === kind && !isDemo(c))) out("POST", "/api/v1/cadences", { kind, target }, `${kind} for ${who}`);
  }
  const demo = { name: `${DEMO} (fires at ${hh}:${mm} UTC)`, kind: "daily-huddle",
    schedule: { cron: `${Number(mm)} ${Number(hh)} * * *`, timeZone: "UTC" }, target };
  const existing = mine.find(isDemo);
  if (existing) out("PUT", `/api/v1/cadences/${existing.id}`, demo, `${demo.name} for ${who} (moved)`);
  else out("POST", "/api/v1/cadences", demo, `${demo.name} for ${who}`);
}
for (const kind of EVENT_DRIVEN) {
  if (!cadences.some(c => c.kind === kind && !c.target)) out("POST", "/api/v1/cadences", { kind }, `${kind}, org-wide`);
}
fs.writeFileSync(managersFile, frontLine.map(m => `${m.id}\t${m.name}\n`).join(""));
' "$WORK/users.jsonl" "$WORK/cadences.jsonl" "$PLANTED_MANAGER" "$LEAD_MINUTES" "$(($(date +%s) * 1000))" "$WORK/managers.tsv" \
  > "$WORK/plan.tsv"

[ -s "$WORK/managers.tsv" ] || log "the simulated org has no front-line managers: only org-wide reviews are seeded"
seeded=() failed=0
while IFS=$'\t' read -r method path body what; do
  if api "$method" "$path" "$body" > /dev/null < /dev/null; then
    seeded+=("$what")
  else
    failed=$((failed + 1))
  fi
done < "$WORK/plan.tsv"

echo "Cadences seeded for the demo (${#seeded[@]} written, $failed failed, $(( $(wc -l < "$WORK/cadences.jsonl") )) there already):"
for what in "${seeded[@]}"; do echo "  $what"; done
[ ${#seeded[@]} -gt 0 ] || echo "  nothing new: every kind was there already"
first=$(head -n 1 "$WORK/managers.tsv" | cut -f1)
if [ -n "$first" ]; then
  cat <<MSG
Look at a manager's occurrences (the demo huddle's agenda appears once it is due):
  source .pipelinecoach/local.env
  curl -s -H "Authorization: Bearer \$TOKEN" "\$CADENCE_URL/api/v1/occurrences?assigneeId=$first"
  curl -s -H "Authorization: Bearer \$TOKEN" "\$CADENCE_URL/api/v1/cadences"
MSG
fi
[ "$failed" = 0 ] || die "$failed cadence writes failed (see above)"
