-- Days an open opportunity is known to have had activity, for tunnel vision (share of a rep's recent activity on one
-- deal). Scoring mirrors only LastActivityDate, so the health monitor records each value it sees; per-activity counts
-- (Tasks, Events) are not mirrored. Rows older than the tunnel-vision window are pruned by the monitor.
CREATE TABLE activity_days (
    opportunity_id  char(18) NOT NULL,
    day             date     NOT NULL,
    PRIMARY KEY (opportunity_id, day)
);
