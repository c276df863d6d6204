-- Derived history carried on OpportunityChanged (see History/OpportunityHistoryDeriver.cs).
ALTER TABLE opportunities ADD COLUMN history_summary jsonb NULL;

-- OpportunityHistory rows as polled from Salesforce (history objects have no change events).
CREATE TABLE opportunity_history (
    id               char(18)    PRIMARY KEY,
    opportunity_id   char(18)    NOT NULL,
    stage_name       text        NULL,
    close_date       date        NULL,
    prev_close_date  date        NULL,
    amount           numeric     NULL,
    created_date     timestamptz NOT NULL,
    system_modstamp  timestamptz NOT NULL,
    is_deleted       boolean     NOT NULL DEFAULT false
);

CREATE INDEX opportunity_history_opportunity ON opportunity_history (opportunity_id, created_date);

-- Reconciliation watermarks per Salesforce object, and the outcome of each run.
CREATE TABLE sync_watermarks (
    object_name            text        PRIMARY KEY,
    watermark              timestamptz NULL,
    deletes_checked_until  timestamptz NULL,
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_runs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text        NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NULL,
    status       text        NOT NULL,
    records      integer     NOT NULL DEFAULT 0,
    changes      integer     NOT NULL DEFAULT 0,
    deletes      integer     NOT NULL DEFAULT 0,
    error        text        NULL
);

CREATE INDEX sync_runs_kind ON sync_runs (kind, started_at DESC);
