-- What agendas read from Scoring's events. Opportunities and users come from 0001 (OpportunityChanged, UserChanged).

-- Each opportunity's current score per scorecard, from OpportunityScored. Newer (source_version, occurred_at) wins:
-- a manager override or a rescoring keeps the source version and is newer only by the time it was computed.
CREATE TABLE opportunity_scores (
    opportunity_id  text        NOT NULL,
    scorecard_id    text        NOT NULL,
    owner_id        text        NULL,
    score           integer     NOT NULL,
    grade           text        NOT NULL,
    flags           text[]      NOT NULL DEFAULT '{}',
    source_version  timestamptz NOT NULL,
    occurred_at     timestamptz NOT NULL,
    PRIMARY KEY (opportunity_id, scorecard_id)
);

-- The risk flags now raised, with when each was raised and why (a cleared flag is deleted): the huddle's "new since".
CREATE TABLE opportunity_flags (
    opportunity_id  text        NOT NULL,
    scorecard_id    text        NOT NULL,
    flag            text        NOT NULL,
    raised_at       timestamptz NOT NULL,
    reason          text        NULL,
    PRIMARY KEY (opportunity_id, scorecard_id, flag)
);

-- Pipeline health conditions as PipelineHealthChanged last described them (raised or cleared), one per business key.
CREATE TABLE health_conditions (
    business_key  text        PRIMARY KEY,
    subject_kind  text        NOT NULL,
    subject_id    text        NOT NULL,
    period        text        NOT NULL,
    condition     text        NOT NULL,
    is_raised     boolean     NOT NULL,
    value         numeric     NOT NULL,
    threshold     numeric     NOT NULL,
    reason        text        NULL,
    occurred_at   timestamptz NOT NULL
);

CREATE INDEX health_conditions_by_subject ON health_conditions (subject_id);
-- Next steps due on a day, for a team's open deals.
CREATE INDEX opportunities_next_step_by_owner ON opportunities (owner_id, next_step_date) WHERE NOT is_closed AND NOT is_deleted;
