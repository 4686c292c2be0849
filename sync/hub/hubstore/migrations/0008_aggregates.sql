-- The supervisor's live aggregates (sync/hub/aggregates.go), kept by each
-- push from the events it applies: counters per wave, operator and
-- station (bucket 0 the total, else a five-minute bucket of device time),
-- one row per order on a wave, each operator's latest event. version
-- grows with every push that changes them (the read API's ?after=).
-- Waves created before this migration have no rows until touched again.
CREATE TABLE agg_meta (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version INTEGER NOT NULL
);
INSERT INTO agg_meta(id, version) VALUES (1, 0);

CREATE TABLE agg_counts (
	scope   TEXT NOT NULL,
	key     TEXT NOT NULL,
	metric  TEXT NOT NULL,
	bucket  INTEGER NOT NULL,
	value   INTEGER NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (scope, key, metric, bucket)
) WITHOUT ROWID;
CREATE INDEX agg_counts_version ON agg_counts(scope, version);

CREATE TABLE agg_orders (
	order_id   TEXT PRIMARY KEY,
	wave       TEXT NOT NULL,
	state      TEXT NOT NULL,
	ship_by    INTEGER NOT NULL, -- unix seconds; 0 for none
	lines      INTEGER NOT NULL,
	lines_done INTEGER NOT NULL,
	units      INTEGER NOT NULL,
	picked     INTEGER NOT NULL,
	short      INTEGER NOT NULL,
	packed     INTEGER NOT NULL,
	shipped    INTEGER NOT NULL,
	version    INTEGER NOT NULL
);
CREATE INDEX agg_orders_wave ON agg_orders(wave, ship_by, state);

CREATE TABLE agg_operators (
	badge   TEXT PRIMARY KEY,
	station TEXT NOT NULL,
	event   TEXT NOT NULL,
	at      INTEGER NOT NULL, -- unix nanoseconds, device time
	version INTEGER NOT NULL
);

-- Exceptions (hub conflicts) resolved by a supervisor's event: the first
-- resolution stands.
CREATE TABLE exception_resolutions (
	conflict_id INTEGER PRIMARY KEY,
	station     TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	operator    TEXT NOT NULL,
	action      TEXT NOT NULL,
	reason      TEXT NOT NULL,
	at          TEXT NOT NULL
);
