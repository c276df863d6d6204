#!/usr/bin/env bash
# Posts a change-event JSON file to the local Sync service, signed per Standard Webhooks with WEBHOOK_SECRET
# from .pipelinecoach/local.env — what Salesforce-side relays do. Usage: deploy/local/post-change-event.sh FILE
set -euo pipefail
cd "$(dirname "$0")/../.."
source .pipelinecoach/local.env
file=${1:?usage: post-change-event.sh FILE.json}
id="msg_$(openssl rand -hex 12)"
ts=$(date +%s)
key_hex=$(printf '%s' "${WEBHOOK_SECRET#whsec_}" | openssl base64 -d -A | od -An -tx1 | tr -d ' \n')
signature=$( { printf '%s.%s.' "$id" "$ts"; cat "$file"; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | openssl base64 -A)
curl -sS -X POST "$SYNC_URL/webhooks/salesforce/change-events" \
  -H 'Content-Type: application/json' -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$signature" \
  --data-binary "@$file"
echo
