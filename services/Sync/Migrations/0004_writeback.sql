-- Scores to write back to Salesforce, coalesced per opportunity: a newer score replaces one not yet written.
CREATE TABLE score_writebacks (
    opportunity_id   char(18)    PRIMARY KEY,
    score            integer     NOT NULL,
    grade            text        NOT NULL,
    flags            text        NOT NULL,
    scored_at        timestamptz NOT NULL,
    revision         bigint      NOT NULL DEFAULT 1,
    status           text        NOT NULL DEFAULT 'pending',  -- pending | written | failed
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    written_at       timestamptz NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX score_writebacks_pending ON score_writebacks (next_attempt_at) WHERE status = 'pending';

-- Tasks created on request (SalesforceTaskRequested), keyed by the request's idempotency key.
CREATE TABLE salesforce_tasks (
    request_id   text        PRIMARY KEY,
    task_id      char(18)    NULL,
    status       text        NOT NULL,
    error        text        NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
