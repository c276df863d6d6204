-- Polled OpportunityFieldHistory rows for the history-tracked date fields Sync is told to follow (for instance the
-- compelling event date): each row is one change of one field, so moves of that date can be counted.
CREATE TABLE opportunity_field_history (
    id               char(18)    PRIMARY KEY,
    opportunity_id   char(18)    NOT NULL,
    field            text        NOT NULL,
    old_date         date        NULL,
    new_date         date        NULL,
    created_date     timestamptz NOT NULL,
    is_deleted       boolean     NOT NULL DEFAULT false
);

CREATE INDEX opportunity_field_history_opportunity ON opportunity_field_history (opportunity_id, created_date);

-- Summaries stored before this migration lack the followed fields' move counts; reading OpportunityHistory again from
-- the start re-derives every summary (with its counts) on the next reconcile run.
DELETE FROM sync_watermarks WHERE object_name = 'OpportunityHistory';
