-- Scoring's own read model of opportunities, fed by OpportunityChanged/OpportunityDeleted.
CREATE TABLE opportunities (
    id              char(18)    PRIMARY KEY,
    owner_id        char(18)    NULL,
    stage_name      text        NULL,
    is_deleted      boolean     NOT NULL DEFAULT false,
    source_version  timestamptz NOT NULL,
    snapshot        jsonb       NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX opportunities_owner ON opportunities (owner_id) WHERE NOT is_deleted;

-- Every change message applied (one row per message id), for audit and to show effects happen once.
CREATE TABLE opportunity_changes (
    message_id      uuid        PRIMARY KEY,
    opportunity_id  char(18)    NOT NULL,
    kind            text        NOT NULL,
    source_version  timestamptz NOT NULL,
    applied         boolean     NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX opportunity_changes_opportunity ON opportunity_changes (opportunity_id, received_at);
