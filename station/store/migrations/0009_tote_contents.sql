-- Totes picked on other stations, as the hub sends them to pack benches
-- (protocol kind "tote"). This station's own picks stay in picks: units
-- the hub reports for this station are never stored here, so a station
-- that both picks and packs counts each unit once.
--
-- order_id is the order the tote holds, '' once free (freed names the
-- order it held). fill goes up each time the tote takes an order.
CREATE TABLE hub_totes (
	code     TEXT PRIMARY KEY,
	order_id TEXT NOT NULL DEFAULT '',
	fill     INTEGER NOT NULL DEFAULT 0,
	freed    TEXT NOT NULL DEFAULT '',
	freed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hub_totes_order ON hub_totes(order_id) WHERE order_id <> '';

-- Units other stations picked: kept after the tote is freed (they were
-- packed), so what an order had picked never goes down.
CREATE TABLE hub_tote_units (
	station  TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	tote     TEXT NOT NULL,
	fill     INTEGER NOT NULL,
	order_id TEXT NOT NULL,
	task_id  INTEGER NOT NULL,
	line_no  INTEGER NOT NULL,
	sku      TEXT NOT NULL,
	qty      INTEGER NOT NULL CHECK (qty > 0),
	lot      TEXT NOT NULL DEFAULT '',
	serial   TEXT NOT NULL DEFAULT '',
	expiry   TEXT NOT NULL DEFAULT '',
	location TEXT NOT NULL DEFAULT '',
	operator TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (station, seq)
) WITHOUT ROWID;
CREATE INDEX hub_tote_units_order ON hub_tote_units(order_id, line_no);
CREATE INDEX hub_tote_units_tote ON hub_tote_units(tote, fill);

-- Other stations' short picks of an order.
CREATE TABLE hub_order_shorts (
	order_id TEXT NOT NULL,
	station  TEXT NOT NULL,
	task_id  INTEGER NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, task_id)
) WITHOUT ROWID;

-- What other benches labelled of an order, per shipment and line: a bench
-- packing the rest of an order another bench shipped in part does not pack
-- those units again.
CREATE TABLE hub_order_packed (
	order_id TEXT NOT NULL,
	station  TEXT NOT NULL,
	shipment TEXT NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, shipment, line_no)
) WITHOUT ROWID;
