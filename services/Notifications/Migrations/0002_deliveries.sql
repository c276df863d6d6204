-- Routing and delivery: signals (business-key dedup), deliveries (the log and the work queue), preferences,
-- subscriptions, budgets, escalations, the opportunity directory, webhook endpoints, chat destinations and the
-- Data Protection key ring.

-- Opportunity names and amounts from OpportunityChanged, so a notice names the deal.
CREATE TABLE opportunities (
    opportunity_id  char(18)    PRIMARY KEY,
    name            text        NULL,
    amount          numeric     NULL,
    owner_id        char(18)    NULL,
    stage_name      text        NULL,
    is_closed       boolean     NOT NULL DEFAULT false,
    source_version  timestamptz NOT NULL
);

-- One row per business key (signal:subject:period): the same signal is routed once, whichever instance sees it first.
CREATE TABLE signals (
    business_key    text        PRIMARY KEY,
    signal          text        NOT NULL,
    subject_id      text        NOT NULL,
    opportunity_id  char(18)    NULL,
    cause           text        NULL,
    occurred_at     timestamptz NOT NULL,
    routed_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX signals_routed ON signals (routed_at);

-- Each delivery: one notice to one recipient (a person, a chat destination or a webhook endpoint) on one channel.
-- status: queued (to send at next_attempt_at), sent, failed, held (waits for held_until: a digest or quiet hours'
-- end), digested (rolled into digest_id).
CREATE TABLE deliveries (
    id               uuid        PRIMARY KEY,
    business_key     text        NOT NULL,
    signal           text        NOT NULL,
    channel          text        NOT NULL,
    recipient_id     char(18)    NULL,
    target_id        uuid        NULL,
    opportunity_id   char(18)    NULL,
    status           text        NOT NULL,
    hold_reason      text        NULL,
    held_until       timestamptz NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text        NULL,
    next_attempt_at  timestamptz NULL,
    lease_until      timestamptz NULL,
    claimed_by       text        NULL,
    digest_id        uuid        NULL,
    rank             numeric     NOT NULL DEFAULT 0,
    notice           jsonb       NOT NULL,
    resolution       jsonb       NOT NULL,
    created_at       timestamptz NOT NULL,
    sent_at          timestamptz NULL,
    CONSTRAINT deliveries_status CHECK (status IN ('queued', 'sent', 'failed', 'held', 'digested'))
);

-- The same business key reaches a recipient on a channel once.
CREATE UNIQUE INDEX deliveries_once ON deliveries (business_key, channel, coalesce(recipient_id, ''), coalesce(target_id, '00000000-0000-0000-0000-000000000000'));
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'queued';
CREATE INDEX deliveries_held ON deliveries (held_until) WHERE status = 'held';
CREATE INDEX deliveries_recipient ON deliveries (recipient_id, created_at DESC, id DESC);
CREATE INDEX deliveries_opportunity ON deliveries (opportunity_id, created_at DESC, id DESC) WHERE opportunity_id IS NOT NULL;
CREATE INDEX deliveries_listing ON deliveries (created_at DESC, id DESC);
CREATE INDEX deliveries_sent ON deliveries (sent_at) WHERE sent_at IS NOT NULL;

-- Preferences per recipient; no row means the defaults (every signal by email, no quiet hours, no digest, budget 20).
CREATE TABLE recipient_preferences (
    user_id        char(18)    PRIMARY KEY,
    channels       jsonb       NOT NULL,
    quiet_start    time        NULL,
    quiet_end      time        NULL,
    time_zone      text        NULL,
    digest         text        NOT NULL,
    digest_at      time        NULL,
    daily_budget   integer     NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT recipient_preferences_digest CHECK (digest IN ('none', 'hourly', 'daily')),
    CONSTRAINT recipient_preferences_budget CHECK (daily_budget >= 0)
);

-- Extra subscribers: a signal for a manager's team (manager_id) or the whole org (manager_id null).
CREATE TABLE subscriptions (
    id             uuid        PRIMARY KEY,
    subscriber_id  char(18)    NOT NULL,
    signal         text        NOT NULL,
    manager_id     char(18)    NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX subscriptions_once ON subscriptions (subscriber_id, signal, coalesce(manager_id, ''));
CREATE INDEX subscriptions_signal ON subscriptions (signal);

-- Interruptions spent per recipient and local day: a conditional increment keeps every recipient within budget
-- under any concurrency.
CREATE TABLE budget_usage (
    recipient_id  char(18) NOT NULL,
    local_day     date     NOT NULL,
    used          integer  NOT NULL,
    PRIMARY KEY (recipient_id, local_day)
);

-- Risks still raised, escalated up the management chain when they stay raised.
CREATE TABLE open_risks (
    opportunity_id  char(18)    NOT NULL,
    flag            text        NOT NULL,
    owner_id        char(18)    NULL,
    raised_at       timestamptz NOT NULL,
    level           integer     NOT NULL DEFAULT 0,
    escalate_at     timestamptz NOT NULL,
    lease_until     timestamptz NULL,
    claimed_by      text        NULL,
    PRIMARY KEY (opportunity_id, flag)
);

CREATE INDEX open_risks_due ON open_risks (escalate_at);

-- Signed-webhook endpoints for internal tools. Secrets are Data Protection ciphertext; during a rotation the
-- previous secret keeps signing until previous_expires_at.
CREATE TABLE webhook_endpoints (
    id                   uuid        PRIMARY KEY,
    url                  text        NOT NULL,
    description          text        NULL,
    signals              text[]      NOT NULL,
    secret               bytea       NOT NULL,
    previous_secret      bytea       NULL,
    previous_expires_at  timestamptz NULL,
    is_enabled           boolean     NOT NULL DEFAULT true,
    disabled_reason      text        NULL,
    failing_since        timestamptz NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

-- Slack and Teams incoming-webhook URLs for a team (manager_id) or the org (null). The URL is the credential, so it
-- is ciphertext; url_display keeps scheme and host for the API.
CREATE TABLE chat_destinations (
    id           uuid        PRIMARY KEY,
    type         text        NOT NULL,
    url          bytea       NOT NULL,
    url_display  text        NOT NULL,
    name         text        NOT NULL,
    manager_id   char(18)    NULL,
    signals      text[]      NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT chat_destinations_type CHECK (type IN ('slack', 'teams'))
);

CREATE TABLE data_protection_keys (
    friendly_name  text        PRIMARY KEY,
    xml            text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
