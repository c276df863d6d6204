-- Transactional outbox: rows are written in the same transaction as the business change and published
-- afterwards by OutboxDispatcher (FOR UPDATE SKIP LOCKED, publisher confirms).
CREATE TABLE IF NOT EXISTS outbox_messages (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id     uuid        NOT NULL UNIQUE,
    message_type   text        NOT NULL,
    body           text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    dispatched_at  timestamptz NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text        NULL
);

CREATE INDEX IF NOT EXISTS outbox_messages_pending ON outbox_messages (id) WHERE dispatched_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_messages_dispatched ON outbox_messages (dispatched_at) WHERE dispatched_at IS NOT NULL;

-- Idempotent consumers: one row per (consumer, message id) processed, inserted in the consumer's transaction.
CREATE TABLE IF NOT EXISTS inbox_messages (
    consumer     text        NOT NULL,
    message_id   uuid        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);

CREATE INDEX IF NOT EXISTS inbox_messages_received ON inbox_messages (received_at);
