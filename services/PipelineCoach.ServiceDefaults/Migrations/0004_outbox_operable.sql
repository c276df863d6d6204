-- Parking: a row that failed MaxAttempts times (it names no contract, its body no longer deserialises, the broker
-- keeps refusing it while other rows go through) is set aside with parked_at and its last_error. Dispatch skips it;
-- an operator lists and requeues it (GET /api/v1/admin/outbox/parked, the service's `outbox` command).
ALTER TABLE outbox_messages ADD COLUMN IF NOT EXISTS parked_at timestamptz NULL;

-- Trace context and MassTransit ids of whatever wrote the row (W3C traceparent/tracestate, conversationId,
-- correlationId), restored when the row is published so a trace does not stop at the outbox.
ALTER TABLE outbox_messages ADD COLUMN IF NOT EXISTS headers jsonb NULL;

-- What dispatch reads: ready rows only. Parked rows get their own small index for the gauge and the admin list.
CREATE INDEX IF NOT EXISTS outbox_messages_ready ON outbox_messages (id) WHERE dispatched_at IS NULL AND parked_at IS NULL;
DROP INDEX IF EXISTS outbox_messages_pending;
CREATE INDEX IF NOT EXISTS outbox_messages_parked ON outbox_messages (id) WHERE parked_at IS NOT NULL;

CREATE OR REPLACE VIEW outbox_entries AS
SELECT o.id, o.message_id, o.message_type, o.body, o.created_at, o.dispatched_at, o.parked_at
FROM outbox_messages o
WHERE o.message_ids IS NULL
UNION ALL
SELECT o.id, e.message_id, o.message_type, e.body::text, o.created_at, o.dispatched_at, o.parked_at
FROM outbox_messages o
CROSS JOIN LATERAL ROWS FROM (unnest(o.message_ids), json_array_elements(o.body::json)) AS e(message_id, body)
WHERE o.message_ids IS NOT NULL;
