-- Recipients (Salesforce users and their managers) as CRM sync announces them with UserChanged.
CREATE TABLE recipients (
    user_id         char(18)    PRIMARY KEY,
    name            text        NULL,
    email           text        NULL,
    manager_id      char(18)    NULL,
    time_zone       text        NULL,
    is_active       boolean     NOT NULL,
    source_version  timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX recipients_manager ON recipients (manager_id);
