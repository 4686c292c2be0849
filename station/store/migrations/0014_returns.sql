-- Orders that shipped, as the hub sends them to returns benches
-- (protocol kind "returnable"): a returns bench checks offline that a
-- unit came from the order and that no more come back than shipped.
-- lines is JSON (order line, SKU, shipped, returned as the hub counted);
-- counted the ids of the return.received events the hub's returned
-- figures include. Each record replaces the one before.
CREATE TABLE returnable_orders (
	order_id  TEXT PRIMARY KEY,
	lines     TEXT NOT NULL,
	counted   TEXT NOT NULL DEFAULT '[]',
	cancelled INTEGER NOT NULL DEFAULT 0,
	received  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
-- The SSCCs of the parcels each order shipped in: the parcel that comes
-- back names its order.
CREATE TABLE returnable_parcels (
	sscc     TEXT PRIMARY KEY,
	order_id TEXT NOT NULL
) WITHOUT ROWID;
-- Units this station took back (its return.received events), until the
-- hub counts them: a unit is counted once, here or in the hub's figures.
CREATE TABLE returned_units (
	event_id TEXT PRIMARY KEY,
	order_id TEXT NOT NULL,
	line     INTEGER NOT NULL,
	qty      INTEGER NOT NULL CHECK (qty > 0),
	seq      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX returned_units_order ON returned_units(order_id);
