-- Security, helper G (numbered 0012 in the round's plan): PIN lockout and
-- each station's storage at the hub.

-- A badge's wrong PINs across the site since its last sign-in, and its
-- lock: set when a station reports the badge locked or the count reaches
-- the hub's pin_max_failures, lifted by a supervisor (the audit log says
-- who). The feed sends each change to every station.
CREATE TABLE badge_locks (
	badge       TEXT PRIMARY KEY,
	name        TEXT NOT NULL DEFAULT '',
	failures    INTEGER NOT NULL DEFAULT 0,
	locked      INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
	station     TEXT NOT NULL DEFAULT '',
	locked_at   TEXT NOT NULL DEFAULT '',
	unlocked_by TEXT NOT NULL DEFAULT '',
	unlocked_at TEXT NOT NULL DEFAULT ''
);

-- What each station's pushed events take at the hub (their payloads'
-- bytes), held against the hub's station_quota_mb.
ALTER TABLE stations ADD COLUMN stored_bytes BIGINT NOT NULL DEFAULT 0;
-- What each station's events already take.
UPDATE stations SET stored_bytes = (SELECT COALESCE(SUM(length(CAST(event_id AS BLOB)) + length(CAST(type AS BLOB))
	+ length(CAST(operator AS BLOB)) + length(CAST(payload AS BLOB))), 0) FROM events WHERE events.station = stations.id);
