-- Snapshots are written and read whole, never searched inside. json keeps the text as sent: no jsonb parse on every
-- write and no re-rendering on every read (rescoring reads every open opportunity's snapshot). lz4 compresses the
-- ~2 KB rows and the score breakdowns many times faster than the default pglz, which was a tenth of the CPU of a
-- rescoring run.
ALTER TABLE opportunities
    ALTER COLUMN snapshot TYPE json USING snapshot::json,
    ALTER COLUMN last_open_snapshot TYPE json USING last_open_snapshot::json;

ALTER TABLE opportunities
    ALTER COLUMN snapshot SET COMPRESSION lz4,
    ALTER COLUMN last_open_snapshot SET COMPRESSION lz4;

-- The breakdown in history is likewise only ever read whole.
ALTER TABLE score_history ALTER COLUMN detail TYPE json USING detail::json;
ALTER TABLE score_history ALTER COLUMN detail SET COMPRESSION lz4;
