-- The supervisor's queue of exceptions the hub raises from stations'
-- events (short picks, holds met at pack, the holding shelf, weights,
-- labels in doubt, print failures, refused events), beside the hub's
-- conflicts. ref names what one is about (a print job), so a label that
-- fails again raises no second open exception. A resolution is written
-- into the row; the first stands.
CREATE TABLE floor_exceptions (
	id               INTEGER PRIMARY KEY,
	station          TEXT NOT NULL,
	seq              INTEGER NOT NULL,
	event_id         TEXT NOT NULL,
	order_id         TEXT NOT NULL DEFAULT '',
	kind             TEXT NOT NULL,
	ref              TEXT NOT NULL DEFAULT '',
	reason           TEXT NOT NULL,
	detail           TEXT NOT NULL DEFAULT '{}',
	at               TEXT NOT NULL,
	resolved_at      TEXT NOT NULL DEFAULT '',
	resolved_station TEXT NOT NULL DEFAULT '',
	resolved_seq     INTEGER NOT NULL DEFAULT 0,
	resolved_by      TEXT NOT NULL DEFAULT '',
	action           TEXT NOT NULL DEFAULT '',
	action_reason    TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX floor_exceptions_open_ref ON floor_exceptions(station, kind, ref)
	WHERE resolved_at = '' AND ref <> '';
CREATE INDEX floor_exceptions_open ON floor_exceptions(id) WHERE resolved_at = '';

-- Cycle-count tasks a supervisor's recount sends to a cart.
CREATE TABLE count_tasks (
	id           INTEGER PRIMARY KEY,
	exception_id INTEGER NOT NULL,
	station      TEXT NOT NULL,
	location     TEXT NOT NULL,
	sku          TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL,
	status       TEXT NOT NULL,
	counted      INTEGER NOT NULL DEFAULT 0,
	counted_by   TEXT NOT NULL DEFAULT '',
	at           TEXT NOT NULL
);
