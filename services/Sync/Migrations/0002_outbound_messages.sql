-- Raw outbound-message notifications, one row per Notification, deduplicated on the notification id (04l…):
-- stored in the same transaction that applies them, before the SOAP Ack is returned.
CREATE TABLE outbound_notifications (
    notification_id  text        PRIMARY KEY,
    organization_id  text        NOT NULL,
    action_id        text        NOT NULL,
    object_type      text        NOT NULL,
    record_id        text        NOT NULL,
    -- Every field of the sObject as sent (text, null for xsi:nil), ids already 18 characters.
    fields           jsonb       NOT NULL,
    source_version   timestamptz NULL,
    received_at      timestamptz NOT NULL
);

CREATE INDEX outbound_notifications_record ON outbound_notifications (record_id, source_version);
CREATE INDEX outbound_notifications_received ON outbound_notifications (received_at);

-- Mirrors fed by outbound messages (and later by reconciliation). `fields` keeps every field received, merged, so
-- custom fields are never lost; the typed columns are projections of it. `source_version` (SystemModstamp, else
-- LastModifiedDate) guards every write: an older snapshot arriving late never overwrites a newer one.
CREATE TABLE accounts (
    id                  text        PRIMARY KEY,
    name                text        NULL,
    owner_id            text        NULL,
    parent_id           text        NULL,
    industry            text        NULL,
    type                text        NULL,
    is_deleted          boolean     NOT NULL DEFAULT false,
    fields              jsonb       NOT NULL DEFAULT '{}',
    last_modified_date  timestamptz NULL,
    system_modstamp     timestamptz NULL,
    source_version      timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX accounts_owner ON accounts (owner_id);

CREATE TABLE users (
    id                  text        PRIMARY KEY,
    name                text        NULL,
    email               text        NULL,
    manager_id          text        NULL,
    time_zone           text        NULL,
    is_active           boolean     NULL,
    fields              jsonb       NOT NULL DEFAULT '{}',
    last_modified_date  timestamptz NULL,
    system_modstamp     timestamptz NULL,
    source_version      timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_manager ON users (manager_id);

CREATE TABLE opportunity_contact_roles (
    id                  text        PRIMARY KEY,
    opportunity_id      text        NULL,
    contact_id          text        NULL,
    role                text        NULL,
    is_primary          boolean     NOT NULL DEFAULT false,
    is_deleted          boolean     NOT NULL DEFAULT false,
    fields              jsonb       NOT NULL DEFAULT '{}',
    last_modified_date  timestamptz NULL,
    system_modstamp     timestamptz NULL,
    source_version      timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX opportunity_contact_roles_opportunity ON opportunity_contact_roles (opportunity_id);
