-- The supervisor's station (issue 17): the same tables as the SQLite
-- store's 0011. order_events indexes each event by the order it names
-- (written in the push's transaction); the events held before are indexed
-- here. station_devices is each station's devices as last reported.
CREATE TABLE order_events (
	order_id TEXT COLLATE "C" NOT NULL,
	station  TEXT COLLATE "C" NOT NULL,
	seq      BIGINT NOT NULL,
	PRIMARY KEY (order_id, station, seq)
);
INSERT INTO order_events(order_id, station, seq)
	SELECT payload::jsonb ->> 'order', station, seq FROM events
	WHERE payload LIKE '%"order"%' AND jsonb_typeof(payload::jsonb -> 'order') = 'string' AND payload::jsonb ->> 'order' <> ''
	ON CONFLICT DO NOTHING;

CREATE TABLE station_devices (
	station   TEXT COLLATE "C" NOT NULL,
	kind      TEXT COLLATE "C" NOT NULL,
	device    TEXT COLLATE "C" NOT NULL,
	status    TEXT NOT NULL,
	reason    TEXT NOT NULL DEFAULT '',
	since     TEXT NOT NULL DEFAULT '',
	paper_out BOOLEAN NOT NULL DEFAULT false,
	at        TEXT NOT NULL,
	PRIMARY KEY (station, kind, device)
);
