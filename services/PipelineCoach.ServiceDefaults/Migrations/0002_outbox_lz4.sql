-- Large message bodies are compressed with lz4, many times cheaper in CPU than the default pglz.
ALTER TABLE outbox_messages ALTER COLUMN body SET COMPRESSION lz4;
