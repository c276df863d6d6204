-- Raw change events exactly as received, deduplicated on (transactionKey, sequenceNumber): the durable record
-- that lets us acknowledge a webhook only after it is stored.
CREATE TABLE change_events (
    transaction_key   text        NOT NULL,
    sequence_number   integer     NOT NULL,
    entity_name       text        NOT NULL,
    change_type       text        NOT NULL,
    record_ids        text[]      NOT NULL,
    commit_timestamp  timestamptz NOT NULL,
    change_origin     text        NULL,
    payload           jsonb       NOT NULL,
    webhook_id        text        NOT NULL,
    received_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_key, sequence_number)
);

-- One row per Standard Webhooks delivery (webhook-id), so a redelivered request is recognised as a whole.
CREATE TABLE webhook_deliveries (
    webhook_id   text        PRIMARY KEY,
    endpoint     text        NOT NULL,
    event_count  integer     NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE opportunities (
    id                      char(18)    PRIMARY KEY,
    name                    text        NULL,
    account_id              char(18)    NULL,
    owner_id                char(18)    NULL,
    stage_name              text        NULL,
    amount                  numeric     NULL,
    probability             numeric     NULL,
    close_date              date        NULL,
    forecast_category_name  text        NULL,
    next_step               text        NULL,
    last_activity_date      date        NULL,
    is_closed               boolean     NULL,
    is_won                  boolean     NULL,
    created_date            timestamptz NULL,
    last_modified_date      timestamptz NULL,
    system_modstamp         timestamptz NULL,
    custom_fields           jsonb       NOT NULL DEFAULT '{}',
    is_deleted              boolean     NOT NULL DEFAULT false,
    -- The version of the newest change applied; older changes never overwrite newer data.
    source_version          timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX opportunities_owner ON opportunities (owner_id);
CREATE INDEX opportunities_source_version ON opportunities (source_version, id);
