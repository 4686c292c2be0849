-- The newest journal sequence the saved session includes. A pack bench
-- does not rewrite its state for each verified unit (a second page per
-- scan): the pack.unit_verified events after this sequence are replayed
-- over the saved state on a restart. Every earlier session includes the
-- whole journal.
ALTER TABLE session ADD COLUMN through_seq INTEGER NOT NULL DEFAULT 0;
UPDATE session SET through_seq = (SELECT COALESCE(MAX(seq), 0) FROM journal);
