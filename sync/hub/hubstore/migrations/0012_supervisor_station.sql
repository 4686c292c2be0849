-- The supervisor's station (issue 17). order_events indexes each event by
-- the order it names, written in the push's transaction, so an order's
-- story is read without scanning the events table; the events held before
-- this migration are indexed here. station_devices is each station's
-- devices as it last reported them (POST /sync/v1/devices).
CREATE TABLE order_events (
	order_id TEXT NOT NULL,
	station  TEXT NOT NULL,
	seq      INTEGER NOT NULL,
	PRIMARY KEY (order_id, station, seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO order_events(order_id, station, seq)
	SELECT json_extract(payload, '$.order'), station, seq FROM events
	WHERE json_valid(payload) AND json_type(payload, '$.order') = 'text' AND json_extract(payload, '$.order') <> '';

CREATE TABLE station_devices (
	station   TEXT NOT NULL,
	kind      TEXT NOT NULL,
	device    TEXT NOT NULL,
	status    TEXT NOT NULL,
	reason    TEXT NOT NULL DEFAULT '',
	since     TEXT NOT NULL DEFAULT '',
	paper_out INTEGER NOT NULL DEFAULT 0,
	at        TEXT NOT NULL,
	PRIMARY KEY (station, kind, device)
) WITHOUT ROWID;
