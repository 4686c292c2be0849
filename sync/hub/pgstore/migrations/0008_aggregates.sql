-- The supervisor's live aggregates (sync/hub/aggregates.go), kept by each
-- push from the events it applies: counters per wave, operator and
-- station (bucket 0 the total, else a five-minute bucket of device time),
-- one row per order on a wave, each operator's latest event. version
-- grows with every push that changes them (the read API's ?after=).
-- Waves created before this migration have no rows until touched again.
CREATE TABLE agg_meta (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version BIGINT NOT NULL
);
INSERT INTO agg_meta(id, version) VALUES (1, 0);

CREATE TABLE agg_counts (
	scope   TEXT COLLATE "C" NOT NULL,
	key     TEXT COLLATE "C" NOT NULL,
	metric  TEXT COLLATE "C" NOT NULL,
	bucket  BIGINT NOT NULL,
	value   BIGINT NOT NULL,
	version BIGINT NOT NULL,
	PRIMARY KEY (scope, key, metric, bucket)
);
CREATE INDEX agg_counts_version ON agg_counts(scope, version);

CREATE TABLE agg_orders (
	order_id   TEXT COLLATE "C" PRIMARY KEY,
	wave       TEXT COLLATE "C" NOT NULL,
	state      TEXT COLLATE "C" NOT NULL,
	ship_by    BIGINT NOT NULL, -- unix seconds; 0 for none
	lines      BIGINT NOT NULL,
	lines_done BIGINT NOT NULL,
	units      BIGINT NOT NULL,
	picked     BIGINT NOT NULL,
	short      BIGINT NOT NULL,
	packed     BIGINT NOT NULL,
	shipped    BIGINT NOT NULL,
	version    BIGINT NOT NULL
);
CREATE INDEX agg_orders_wave ON agg_orders(wave, ship_by, state);

CREATE TABLE agg_operators (
	badge   TEXT COLLATE "C" PRIMARY KEY,
	station TEXT COLLATE "C" NOT NULL,
	event   TEXT COLLATE "C" NOT NULL,
	at      BIGINT NOT NULL, -- unix nanoseconds, device time
	version BIGINT NOT NULL
);

-- Exceptions (hub conflicts) resolved by a supervisor's event: the first
-- resolution stands.
CREATE TABLE exception_resolutions (
	conflict_id BIGINT PRIMARY KEY,
	station     TEXT COLLATE "C" NOT NULL,
	seq         BIGINT NOT NULL,
	operator    TEXT COLLATE "C" NOT NULL,
	action      TEXT COLLATE "C" NOT NULL,
	reason      TEXT NOT NULL,
	at          TEXT NOT NULL
);
