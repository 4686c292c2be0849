-- Dispatch. A pickup is one carrier's collection at the dock: the loader
-- scans each parcel (a labelled carton, by its SSCC) onto it, and closing
-- it is the moment its parcels shipped. Every row changes in the
-- transaction of the journal event that records it (dispatch.pickup_opened,
-- dispatch.parcel_loaded, dispatch.parcel_unloaded, dispatch.pickup_closed).

CREATE TABLE pickups (
	id         TEXT PRIMARY KEY,
	carrier    TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
	opened_by  TEXT NOT NULL DEFAULT '',
	opened_at  TEXT NOT NULL DEFAULT '',
	closed_by  TEXT NOT NULL DEFAULT '',
	closed_at  TEXT NOT NULL DEFAULT '',
	-- the manifest's print job, once closed
	print_job  INTEGER REFERENCES print_jobs(id)
);
-- One open pickup per carrier: a loader choosing the carrier resumes it.
CREATE UNIQUE INDEX pickups_open_carrier ON pickups(carrier) WHERE status = 'open';

-- What is loaded on a pickup, in load order (seq is the journal's). A
-- parcel is on one pickup at most: loading it twice is refused, and the
-- key makes a double load impossible even so.
CREATE TABLE pickup_parcels (
	sscc        TEXT PRIMARY KEY,
	pickup_id   TEXT NOT NULL REFERENCES pickups(id),
	seq         INTEGER NOT NULL,
	order_id    TEXT NOT NULL,
	shipment_id TEXT NOT NULL,
	operator    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pickup_parcels_pickup ON pickup_parcels(pickup_id, seq);
