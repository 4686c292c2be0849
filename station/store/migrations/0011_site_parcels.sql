-- Parcels packed on other stations, as the hub sends them to dispatch
-- benches (protocol kind "parcel"): a loader scans a parcel another PC
-- packed. status is ready, voided or shipped (it left with pickup_id on
-- whichever dispatch bench loaded it); holds (JSON, floor.Hold list) and
-- cancelled are its order's standing as the hub last said. Each record
-- replaces the one before: the hub always sends the whole parcel.
CREATE TABLE hub_parcels (
	sscc      TEXT PRIMARY KEY,
	order_id  TEXT NOT NULL,
	shipment  TEXT NOT NULL,
	carrier   TEXT NOT NULL DEFAULT '',
	service   TEXT NOT NULL DEFAULT '',
	tracking  TEXT NOT NULL DEFAULT '',
	status    TEXT NOT NULL CHECK (status IN ('ready', 'voided', 'shipped')),
	pickup_id TEXT NOT NULL DEFAULT '',
	holds     TEXT NOT NULL DEFAULT '',
	cancelled INTEGER NOT NULL DEFAULT 0,
	received  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX hub_parcels_ready ON hub_parcels(carrier) WHERE status = 'ready';
-- A parcel's record is its order's standing at the dock: a load checks
-- the standing version it judged at (as for orders and holds).
CREATE TRIGGER standing_hub_parcels_new AFTER INSERT ON hub_parcels
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER standing_hub_parcels AFTER UPDATE ON hub_parcels
	BEGIN UPDATE standing_version SET v = v + 1 WHERE id = 1; END;

-- Goods of a cancelled order a cart must put back into stock: the
-- returns of its order.withdrawn event, one row per tote, SKU, location,
-- lot and serial. stock.returned (the picker scanned the tote, then the
-- location) records them back on the shelf: returned_seq is that event.
CREATE TABLE stock_returns (
	id            INTEGER PRIMARY KEY,
	order_id      TEXT NOT NULL,
	tote          TEXT NOT NULL,
	sku           TEXT NOT NULL,
	qty           INTEGER NOT NULL CHECK (qty > 0),
	location      TEXT NOT NULL,
	lot           TEXT NOT NULL DEFAULT '',
	serial        TEXT NOT NULL DEFAULT '',
	withdrawn_seq INTEGER NOT NULL,
	returned_seq  INTEGER
);
CREATE INDEX stock_returns_waiting ON stock_returns(tote) WHERE returned_seq IS NULL;
