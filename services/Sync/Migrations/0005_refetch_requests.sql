-- Records to re-read from Salesforce because a gap event said their change was not delivered ('*' = the whole object,
-- after GAP_OVERFLOW). The reconciler drains this table at the start of each run.
CREATE TABLE refetch_requests (
    object_name   text        NOT NULL,
    record_id     text        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (object_name, record_id)
);
