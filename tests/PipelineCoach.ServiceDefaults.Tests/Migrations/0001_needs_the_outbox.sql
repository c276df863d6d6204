-- A service script that builds on ServiceDefaults' tables: it fails unless ServiceDefaults' scripts ran first.
CREATE VIEW test_outbox_ages AS SELECT id, created_at FROM outbox_messages;
CREATE TABLE test_retained (id bigint PRIMARY KEY, seen_at timestamptz NULL);
CREATE INDEX test_retained_seen ON test_retained (seen_at);
