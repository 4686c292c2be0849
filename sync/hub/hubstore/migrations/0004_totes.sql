-- Totes travel between stations: a cart fills one, any pack bench packs it.
-- The hub keeps each tote's record from the pushed picks, in the push's
-- transaction (hub/totes.go), and sends it to every pack bench.

-- The bench a station said it runs on its last pull (pick, pack): changes
-- addressed to 'bench:<bench>' reach it.
ALTER TABLE stations ADD COLUMN bench TEXT NOT NULL DEFAULT '';

-- order_id is the order the tote holds, '' when free (then freed names the
-- order it held and freed_by why). fill goes up each time it takes an order.
CREATE TABLE totes (
	code     TEXT PRIMARY KEY,
	order_id TEXT NOT NULL DEFAULT '',
	fill     INTEGER NOT NULL DEFAULT 0,
	freed    TEXT NOT NULL DEFAULT '',
	freed_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX totes_order ON totes(order_id) WHERE order_id <> '';

-- One row per pushed pick: (station, seq) is the event that picked them.
CREATE TABLE tote_units (
	station  TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	tote     TEXT NOT NULL,
	fill     INTEGER NOT NULL,
	order_id TEXT NOT NULL,
	task     INTEGER NOT NULL,
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
CREATE INDEX tote_units_tote ON tote_units(tote, fill);
CREATE INDEX tote_units_task ON tote_units(station, task, seq);

-- Short picks per order, station and task.
CREATE TABLE order_shorts (
	order_id TEXT NOT NULL,
	station  TEXT NOT NULL,
	task     INTEGER NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, task)
) WITHOUT ROWID;

-- Units of an order's lines labelled in cartons, per bench and shipment
-- (a voided shipment's rows are deleted): sent with the order's totes.
CREATE TABLE order_packed (
	order_id TEXT NOT NULL,
	station  TEXT NOT NULL,
	shipment TEXT NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, shipment, line_no)
) WITHOUT ROWID;
