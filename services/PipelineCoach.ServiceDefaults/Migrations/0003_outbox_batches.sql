-- A bulk writer (a batch consumer, a rescoring job, an initial load) stores many messages of one type as one row:
-- body is then a JSON array and message_ids holds each message's MessageId in the same order. One row instead of
-- hundreds keeps the insert, the dispatcher's claim and its update cheap; the dispatcher still publishes every message
-- on its own. Rows with message_ids NULL hold a single message, as before. message_count lets the dispatcher size its
-- rounds (and operators count a backlog) without reading the toasted id arrays.
ALTER TABLE outbox_messages ADD COLUMN IF NOT EXISTS message_ids uuid[] NULL;
ALTER TABLE outbox_messages ADD COLUMN IF NOT EXISTS message_count integer NOT NULL DEFAULT 1;
-- Random ids do not compress: store them out of line without trying.
ALTER TABLE outbox_messages ALTER COLUMN message_ids SET STORAGE EXTERNAL;

-- One row per message, whichever way it was stored: what was (or will be) published, for diagnosis and tests.
CREATE OR REPLACE VIEW outbox_entries AS
SELECT o.id, o.message_id, o.message_type, o.body, o.created_at, o.dispatched_at
FROM outbox_messages o
WHERE o.message_ids IS NULL
UNION ALL
SELECT o.id, e.message_id, o.message_type, e.body::text, o.created_at, o.dispatched_at
FROM outbox_messages o
CROSS JOIN LATERAL ROWS FROM (unnest(o.message_ids), json_array_elements(o.body::json)) AS e(message_id, body)
WHERE o.message_ids IS NOT NULL;
