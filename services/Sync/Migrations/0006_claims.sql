-- Work that calls Salesforce is claimed in a short transaction and the call is made outside any transaction: a claim
-- names its holder and expires (lease_until), so another instance does not take the work while it is held and takes
-- it once a crashed holder's lease has run out. The outcome is recorded in another short transaction.
ALTER TABLE score_writebacks
    ADD COLUMN claimed_by   uuid        NULL,
    ADD COLUMN lease_until  timestamptz NULL;

-- status: creating (claimed, the call may be under way) | created | failed. claimed_by is the claiming message's id,
-- so a redelivery of that same message takes its own claim over.
ALTER TABLE salesforce_tasks
    ADD COLUMN claimed_by   uuid        NULL,
    ADD COLUMN lease_until  timestamptz NULL,
    ADD COLUMN attempts     integer     NOT NULL DEFAULT 0;
