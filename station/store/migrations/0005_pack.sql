-- Packing. Shipments and their cartons are what pack benches made; every
-- row changes in the transaction of the journal event that records it
-- (pack.label_requested, pack.shipment_completed, pack.voided). The bench's
-- verification in progress is the pack workflow's state, kept whole in the
-- session row, so a restart resumes at the same unit.

-- Where an order goes, and the carrier and service when the OMS chose them
-- (else the station's [pack] defaults). ship_to is floor.Address as JSON,
-- '' when the OMS sent none.
ALTER TABLE orders ADD COLUMN ship_to TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN service TEXT NOT NULL DEFAULT '';

-- Which workflow the session's step and pending data belong to: a station
-- switched from picking to packing starts at the login, never misreads.
ALTER TABLE session ADD COLUMN bench TEXT NOT NULL DEFAULT 'pick';

-- A shipment is ORDER-n; voided shipments keep their row (and number), so
-- the next one of the order takes the next number.
CREATE TABLE shipments (
	id           TEXT PRIMARY KEY,
	order_id     TEXT NOT NULL,
	status       TEXT NOT NULL DEFAULT 'labelled'
		CHECK (status IN ('labelled', 'completed', 'voided', 'shipped')),
	partial      INTEGER NOT NULL DEFAULT 0,
	cartons      INTEGER NOT NULL DEFAULT 0,
	units        INTEGER NOT NULL DEFAULT 0,
	weight_g     REAL NOT NULL DEFAULT 0,
	tracking     TEXT NOT NULL DEFAULT '',
	operator     TEXT NOT NULL DEFAULT '',
	completed_at TEXT NOT NULL DEFAULT '',
	voided_at    TEXT NOT NULL DEFAULT '',
	void_reason  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shipments_order ON shipments(order_id);

-- One row per labelled carton. The SSCC is unique: a number handed out
-- twice would be two parcels with one identity.
CREATE TABLE cartons (
	shipment_id TEXT NOT NULL REFERENCES shipments(id),
	carton_no   INTEGER NOT NULL,
	sscc        TEXT NOT NULL UNIQUE,
	tracking    TEXT NOT NULL,
	box         TEXT NOT NULL DEFAULT '',
	weight_g    REAL NOT NULL,
	units       INTEGER NOT NULL,
	hazmat      INTEGER NOT NULL DEFAULT 0,
	print_job   INTEGER REFERENCES print_jobs(id),
	PRIMARY KEY (shipment_id, carton_no)
);

-- What each carton holds, per order line: the back order of a partial
-- shipment is the line's quantity less what non-voided shipments hold.
CREATE TABLE carton_lines (
	shipment_id TEXT NOT NULL,
	carton_no   INTEGER NOT NULL,
	line_no     INTEGER NOT NULL,
	sku         TEXT NOT NULL,
	qty         INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (shipment_id, carton_no, line_no)
);

-- The standing version goes up with every change to an order's status, its
-- ship-together group or its holds, whoever makes it (sync, a projection,
-- another process): a pack bench re-reads an order's standing for the hold
-- gate only when it moved, instead of on every scan.
CREATE TABLE standing_version (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	v  INTEGER NOT NULL
);
INSERT INTO standing_version (id, v) VALUES (1, 0);
CREATE TRIGGER standing_orders_new AFTER INSERT ON orders
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER standing_orders AFTER UPDATE OF status, ship_together ON orders
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER standing_holds_in AFTER INSERT ON order_holds
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER standing_holds_out AFTER DELETE ON order_holds
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER standing_holds_change AFTER UPDATE ON order_holds
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;
