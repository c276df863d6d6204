-- The read model now keeps the whole last applied OpportunityChanged (snapshot, contact roles, history) so that any
-- scorecard can rescore an opportunity without asking CRM sync, plus the columns pipeline health filters on.
ALTER TABLE opportunities
    ADD COLUMN account_id          char(18) NULL,
    ADD COLUMN amount              numeric  NULL,
    ADD COLUMN is_closed           boolean  NOT NULL DEFAULT false,
    ADD COLUMN is_won              boolean  NOT NULL DEFAULT false,
    ADD COLUMN close_date          date     NULL,
    ADD COLUMN created_date        date     NULL,
    ADD COLUMN last_activity_date  date     NULL,
    -- The last snapshot seen while the deal was open: what the backtest scores a closed deal on.
    ADD COLUMN last_open_snapshot  jsonb    NULL;

COMMENT ON COLUMN opportunities.snapshot IS 'The last applied OpportunityChanged message (JSON).';

-- Rows written before this migration held only the OpportunitySnapshot: wrap them as a message.
UPDATE opportunities SET snapshot = jsonb_build_object(
    'OpportunityId', id, 'OrganizationId', '', 'SourceVersion', source_version, 'OccurredAt', source_version,
    'Source', 'migration', 'ChangeType', 'SNAPSHOT', 'ChangedFields', '[]'::jsonb, 'Opportunity', snapshot)
WHERE NOT is_deleted AND snapshot->'Id' IS NOT NULL;

CREATE INDEX opportunities_open ON opportunities (id) WHERE NOT is_deleted AND NOT is_closed;

-- Scorecards: one immutable row per version.
CREATE TABLE scorecards (
    id          text        NOT NULL,
    version     integer     NOT NULL,
    name        text        NOT NULL,
    definition  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text        NULL,
    PRIMARY KEY (id, version)
);

-- The active version of each scorecard in use; an opportunity is scored with every active scorecard.
CREATE TABLE scorecard_activations (
    scorecard_id  text        PRIMARY KEY,
    version       integer     NOT NULL,
    activated_at  timestamptz NOT NULL DEFAULT now(),
    activated_by  text        NULL,
    FOREIGN KEY (scorecard_id, version) REFERENCES scorecards (id, version)
);

-- Rescoring after an activation: progress is read through the API.
CREATE TABLE rescoring_jobs (
    id                 uuid        PRIMARY KEY,
    scorecard_id       text        NOT NULL,
    scorecard_version  integer     NOT NULL,
    status             text        NOT NULL,  -- queued, running, completed, failed
    total              integer     NOT NULL DEFAULT 0,
    processed          integer     NOT NULL DEFAULT 0,
    changed            integer     NOT NULL DEFAULT 0,
    error              text        NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    started_at         timestamptz NULL,
    finished_at        timestamptz NULL
);

CREATE INDEX rescoring_jobs_queued ON rescoring_jobs (created_at) WHERE status = 'queued';

-- The current score per opportunity and scorecard. Criterion statuses are kept compactly (one letter per criterion
-- in the scorecard version's order: M met, N not met, Y not yet expected); the full evidence is in score_history at
-- every change, and is recomputed deterministically for the current score (same snapshot, version and as-of day).
CREATE TABLE scores (
    opportunity_id     char(18)    NOT NULL,
    scorecard_id       text        NOT NULL,
    scorecard_version  integer     NOT NULL,
    owner_id           char(18)    NULL,
    source_version     timestamptz NOT NULL,
    as_of              date        NOT NULL,
    score              integer     NOT NULL,
    grade              text        NOT NULL,
    flags              text[]      NOT NULL,
    statuses           text        NOT NULL,
    scored_at          timestamptz NOT NULL,
    override_score     integer     NULL,
    override_grade     text        NULL,
    override_reason    text        NULL,
    override_by        text        NULL,
    override_at        timestamptz NULL,
    PRIMARY KEY (opportunity_id, scorecard_id)
);

CREATE INDEX scores_owner ON scores (owner_id, scorecard_id);

-- Every change of an opportunity's score (computed or overridden), with the reasons and the full breakdown.
CREATE TABLE score_history (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opportunity_id     char(18)    NOT NULL,
    scorecard_id       text        NOT NULL,
    scorecard_version  integer     NOT NULL,
    kind               text        NOT NULL,  -- scored, override, override-removed
    source_version     timestamptz NOT NULL,
    score              integer     NOT NULL,
    grade              text        NOT NULL,
    flags              text[]      NOT NULL,
    previous_score     integer     NULL,
    previous_grade     text        NULL,
    reasons            text[]      NOT NULL,
    detail             jsonb       NULL,      -- the ScoreSnapshot; null for overrides, which criteria never explain
    actor              text        NULL,
    recorded_at        timestamptz NOT NULL
);

CREATE INDEX score_history_opportunity ON score_history (opportunity_id, id);

-- Users and the manager hierarchy, from UserChanged.
CREATE TABLE users (
    id              char(18)    PRIMARY KEY,
    name            text        NULL,
    manager_id      char(18)    NULL,
    is_active       boolean     NOT NULL,
    source_version  timestamptz NOT NULL
);

CREATE INDEX users_manager ON users (manager_id);

-- Quota per owner and fiscal period (e.g. 2026-Q4).
CREATE TABLE quotas (
    owner_id    char(18)    NOT NULL,
    period      text        NOT NULL,
    amount      numeric     NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NULL,
    PRIMARY KEY (owner_id, period)
);

-- A rep's "Magnificent 50": the ideal target accounts they keep working.
CREATE TABLE target_accounts (
    owner_id    char(18)    NOT NULL,
    account_id  char(18)    NOT NULL,
    name        text        NULL,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (owner_id, account_id)
);

-- Health conditions announced (business key condition:subject:period), so each is announced once when raised and
-- once when it clears.
CREATE TABLE health_conditions (
    business_key  text        PRIMARY KEY,
    subject_kind  text        NOT NULL,
    subject_id    char(18)    NOT NULL,
    period        text        NOT NULL,
    condition     text        NOT NULL,
    is_raised     boolean     NOT NULL,
    value         numeric     NOT NULL,
    threshold     numeric     NOT NULL,
    changed_at    timestamptz NOT NULL
);
