-- GET /api/v1/occurrences without an assignee, cadence or opportunity filter pages through the ledger in
-- (scheduled_at, id) order: without this index it would sort the whole ledger for every page.
CREATE INDEX occurrences_by_time ON occurrences (scheduled_at, id);
