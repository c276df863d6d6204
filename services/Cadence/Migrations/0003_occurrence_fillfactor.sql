-- Leave room in each page so the claim's lease update (claimed_by, lease_until: no index covers them) can be a HOT
-- update instead of adding an entry to every index of the row. Measured in docs/benchmarks.md (Cadence): the claim
-- statement for 500 rows went from 24-29 ms to 10-14 ms.
ALTER TABLE occurrences SET (fillfactor = 70);
