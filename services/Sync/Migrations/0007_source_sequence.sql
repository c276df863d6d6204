-- The mirror's version is (source_version, source_sequence): a change event's sequenceNumber orders changes of one
-- Salesforce transaction at an equal commit time; a snapshot (the default) sorts after every change of its
-- transaction. Every writer applies a row only when it is strictly newer (Mirror/MirrorVersion.cs).
ALTER TABLE opportunities ADD COLUMN source_sequence integer NOT NULL DEFAULT 2147483647;
ALTER TABLE accounts ADD COLUMN source_sequence integer NOT NULL DEFAULT 2147483647;
ALTER TABLE users ADD COLUMN source_sequence integer NOT NULL DEFAULT 2147483647;
ALTER TABLE opportunity_contact_roles ADD COLUMN source_sequence integer NOT NULL DEFAULT 2147483647;
