-- Totes travel between stations (hubstore/migrations/0004_totes.sql): the
-- bench each station states on its pull, each tote's record from the
-- pushed picks, the orders' short picks and labelled units.
ALTER TABLE stations ADD COLUMN bench TEXT COLLATE "C" NOT NULL DEFAULT '';

CREATE TABLE totes (
	code     TEXT COLLATE "C" PRIMARY KEY,
	order_id TEXT COLLATE "C" NOT NULL DEFAULT '',
	fill     BIGINT NOT NULL DEFAULT 0,
	freed    TEXT COLLATE "C" NOT NULL DEFAULT '',
	freed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX totes_order ON totes(order_id) WHERE order_id <> '';

CREATE TABLE tote_units (
	station  TEXT COLLATE "C" NOT NULL,
	seq      BIGINT NOT NULL,
	tote     TEXT COLLATE "C" NOT NULL,
	fill     BIGINT NOT NULL,
	order_id TEXT COLLATE "C" NOT NULL,
	task     BIGINT NOT NULL,
	line_no  INTEGER NOT NULL,
	sku      TEXT COLLATE "C" NOT NULL,
	qty      INTEGER NOT NULL CHECK (qty > 0),
	lot      TEXT NOT NULL DEFAULT '',
	serial   TEXT NOT NULL DEFAULT '',
	expiry   TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL DEFAULT '',
	operator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (station, seq)
);
CREATE INDEX tote_units_tote ON tote_units(tote, fill);
CREATE INDEX tote_units_task ON tote_units(station, task, seq);

CREATE TABLE order_shorts (
	order_id TEXT COLLATE "C" NOT NULL,
	station  TEXT COLLATE "C" NOT NULL,
	task     BIGINT NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, task)
);

CREATE TABLE order_packed (
	order_id TEXT COLLATE "C" NOT NULL,
	station  TEXT COLLATE "C" NOT NULL,
	shipment TEXT COLLATE "C" NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, shipment, line_no)
);
