-- Cadence definitions: the resolved definition (template defaults applied) as the API returns it.
CREATE TABLE cadences (
    id                  uuid        PRIMARY KEY,
    kind                text        NOT NULL,
    name                text        NOT NULL,
    definition          jsonb       NOT NULL,
    is_recurring        boolean     NOT NULL,
    target_type         text        NULL,
    target_id           text        NULL,
    -- Slots up to this instant exist in the ledger; the materializer extends it to now + horizon.
    materialized_until  timestamptz NULL,
    created_at          timestamptz NOT NULL,
    created_by          text        NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          text        NULL,
    deleted_at          timestamptz NULL
);

CREATE INDEX cadences_to_materialize ON cadences (materialized_until NULLS FIRST) WHERE deleted_at IS NULL AND is_recurring;
CREATE INDEX cadences_by_target ON cadences (target_id) WHERE deleted_at IS NULL;
CREATE INDEX cadences_event_driven ON cadences (kind) WHERE deleted_at IS NULL AND NOT is_recurring;

-- The occurrence ledger: one row per (cadence, slot), so a slot cannot exist, or fire, twice.
-- Recurring slots are keyed by their UTC instant; event-driven ones by opportunity and trigger.
CREATE TABLE occurrences (
    id               uuid        PRIMARY KEY,
    cadence_id       uuid        NOT NULL REFERENCES cadences (id),
    slot_key         text        NOT NULL,
    kind             text        NOT NULL,
    opportunity_id   text        NULL,
    assignee_id      text        NULL,
    participant_ids  text[]      NOT NULL DEFAULT '{}',
    scheduled_at     timestamptz NOT NULL,
    local_start      timestamp   NOT NULL,
    time_zone        text        NOT NULL,
    dst              text        NULL,
    due_by           timestamptz NOT NULL,
    status           text        NOT NULL,
    status_reason    text        NULL,
    agenda           jsonb       NULL,
    notes            text        NULL,
    acted_by         text        NULL,
    acted_at         timestamptz NULL,
    fired_at         timestamptz NULL,
    -- A claim is a lease: the agenda is built with no transaction open; only the lease holder may fire the slot.
    claimed_by       text        NULL,
    lease_until      timestamptz NULL,
    created_at       timestamptz NOT NULL,
    CONSTRAINT occurrences_one_per_slot UNIQUE (cadence_id, slot_key),
    CONSTRAINT occurrences_status CHECK (status IN ('scheduled', 'due', 'held', 'skipped', 'missed', 'retired'))
);

CREATE INDEX occurrences_claimable ON occurrences (scheduled_at) WHERE status = 'scheduled';
CREATE INDEX occurrences_open ON occurrences (due_by) WHERE status = 'due';
CREATE INDEX occurrences_by_cadence ON occurrences (cadence_id, scheduled_at);
CREATE INDEX occurrences_by_assignee ON occurrences (assignee_id, scheduled_at);
CREATE INDEX occurrences_by_opportunity ON occurrences (opportunity_id) WHERE opportunity_id IS NOT NULL;
-- One pending occurrence per opportunity and cadence.
CREATE UNIQUE INDEX occurrences_one_pending_per_opportunity ON occurrences (cadence_id, opportunity_id)
    WHERE opportunity_id IS NOT NULL AND status IN ('scheduled', 'due');

-- The org's holiday calendar (local dates), excluded from business days.
CREATE TABLE holidays (
    day   date PRIMARY KEY,
    name  text NULL
);

-- Users and the manager hierarchy, from UserChanged: teams and "assignee" time zones resolve from here.
CREATE TABLE users (
    user_id         text        PRIMARY KEY,
    name            text        NULL,
    email           text        NULL,
    manager_id      text        NULL,
    time_zone       text        NULL,
    is_active       boolean     NOT NULL,
    source_version  timestamptz NOT NULL
);

CREATE INDEX users_by_manager ON users (manager_id);

-- Opportunities as OpportunityChanged last described them: event triggers and agendas read them.
CREATE TABLE opportunities (
    opportunity_id    text          PRIMARY KEY,
    name              text          NULL,
    account_id        text          NULL,
    owner_id          text          NULL,
    stage             text          NULL,
    amount            numeric       NULL,
    close_date        date          NULL,
    next_step         text          NULL,
    next_step_date    date          NULL,
    discount_percent  numeric       NULL,
    is_closed         boolean       NOT NULL DEFAULT false,
    is_won            boolean       NOT NULL DEFAULT false,
    is_deleted        boolean       NOT NULL DEFAULT false,
    created_date      timestamptz   NULL,
    stage_entered_at  timestamptz   NULL,
    source_version    timestamptz   NOT NULL
);

CREATE INDEX opportunities_open_by_owner ON opportunities (owner_id) WHERE NOT is_closed AND NOT is_deleted;
