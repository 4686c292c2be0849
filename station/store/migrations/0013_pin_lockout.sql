-- PIN lockout (helper G's station migration; numbered 0014 in the round's plan).
-- A badge's wrong PINs in a row at this station, and whether it is
-- locked: by this station (operator.badge_locked, journaled in the same
-- transaction as the failure) or by the hub's feed (a lock another
-- station reported, or one the hub set). A row goes when the badge signs
-- in (unlocked) or the hub's feed lifts its lock.
CREATE TABLE badge_locks (
	badge     TEXT PRIMARY KEY,
	failures  INTEGER NOT NULL DEFAULT 0,
	locked    INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
	locked_at TEXT NOT NULL DEFAULT '',
	-- the station that locked it ("" for this one before the hub said)
	locked_by TEXT NOT NULL DEFAULT ''
);
