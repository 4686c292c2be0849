-- The hub's store on PostgreSQL: the PostgreSQL dialect of
-- hubstore/migrations/0001_hub.sql, table for table. Text is COLLATE "C"
-- so that lists come in the byte order SQLite gives, whatever the
-- database's locale. Times are kept as RFC 3339 text, as on SQLite.

CREATE TABLE hub_meta (
	key   TEXT COLLATE "C" PRIMARY KEY,
	value TEXT NOT NULL
);

-- mark is the last sequence applied for the station: it moves only in the
-- transaction that applies the events up to it. Every push updates its
-- station's row (and line_progress's rows): room left in each page keeps
-- those updates in the page (HOT), off the primary key's index, whose
-- pages SERIALIZABLE transactions lock for conflict detection.
CREATE TABLE stations (
	id            TEXT COLLATE "C" PRIMARY KEY,
	name          TEXT NOT NULL DEFAULT '',
	mark          BIGINT NOT NULL DEFAULT 0,
	epoch         BIGINT NOT NULL DEFAULT 1,   -- bumped to order a reset
	registered_at TEXT NOT NULL,
	last_push_at  TEXT NOT NULL DEFAULT '',
	last_pull_at  TEXT NOT NULL DEFAULT ''
) WITH (fillfactor = 50);

-- Tokens are kept as SHA-256 only.
CREATE TABLE tokens (
	hash       TEXT COLLATE "C" PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('station', 'admin', 'reader')),
	station    TEXT COLLATE "C" NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

-- Every event of every station, once: the primary key is the guarantee.
CREATE TABLE events (
	station     TEXT COLLATE "C" NOT NULL,
	seq         BIGINT NOT NULL,
	event_id    TEXT NOT NULL,
	operator    TEXT NOT NULL DEFAULT '',
	device_time TEXT NOT NULL,
	received_at TEXT NOT NULL,
	type        TEXT NOT NULL,
	payload     TEXT NOT NULL,
	outcome     TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
	reason      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (station, seq)
);

CREATE TABLE operators (
	badge    TEXT COLLATE "C" PRIMARY KEY,
	name     TEXT NOT NULL,
	roles    TEXT NOT NULL,
	pin_hash TEXT NOT NULL DEFAULT ''
);

CREATE TABLE locations (
	code     TEXT COLLATE "C" PRIMARY KEY,
	zone     TEXT NOT NULL DEFAULT '',
	aisle    INTEGER NOT NULL DEFAULT 0,
	bay      INTEGER NOT NULL DEFAULT 0,
	level    INTEGER NOT NULL DEFAULT 0,
	position TEXT NOT NULL DEFAULT '',
	walk_seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE items (
	sku               TEXT COLLATE "C" PRIMARY KEY,
	description       TEXT NOT NULL,
	unit_weight_g     DOUBLE PRECISION NOT NULL DEFAULT 0,
	length_mm         DOUBLE PRECISION NOT NULL DEFAULT 0,
	width_mm          DOUBLE PRECISION NOT NULL DEFAULT 0,
	height_mm         DOUBLE PRECISION NOT NULL DEFAULT 0,
	lot_controlled    BOOLEAN NOT NULL DEFAULT false,
	serial_controlled BOOLEAN NOT NULL DEFAULT false,
	hazmat            BOOLEAN NOT NULL DEFAULT false,
	location          TEXT COLLATE "C" NOT NULL DEFAULT ''   -- home pick face
);
-- SKUs match ignoring ASCII letter case only, as SQLite's NOCASE and the
-- stations do (not lower(), which folds every script by the locale).
CREATE INDEX items_sku_folded ON items (translate(sku, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'));

CREATE TABLE item_gtins (
	gtin TEXT COLLATE "C" PRIMARY KEY,
	sku  TEXT COLLATE "C" NOT NULL REFERENCES items(sku)
);
CREATE INDEX item_gtins_sku ON item_gtins(sku);

CREATE TABLE orders (
	id            TEXT COLLATE "C" PRIMARY KEY,
	priority      INTEGER NOT NULL DEFAULT 0,
	ship_by       TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT 'open',   -- open or cancelled; progress is in line_progress
	customer      TEXT NOT NULL DEFAULT '',
	ship_together TEXT NOT NULL DEFAULT '',
	cancel_reason TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);

CREATE TABLE order_lines (
	order_id TEXT COLLATE "C" NOT NULL REFERENCES orders(id),
	line_no  INTEGER NOT NULL,
	sku      TEXT COLLATE "C" NOT NULL REFERENCES items(sku),
	qty      INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_holds (
	order_id  TEXT COLLATE "C" NOT NULL REFERENCES orders(id),
	reason    TEXT COLLATE "C" NOT NULL,
	note      TEXT NOT NULL DEFAULT '',
	placed_at TEXT NOT NULL,
	PRIMARY KEY (order_id, reason)
);

CREATE TABLE waves (
	id         TEXT COLLATE "C" PRIMARY KEY,
	status     TEXT NOT NULL DEFAULT 'released',
	station    TEXT COLLATE "C" NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

CREATE TABLE pick_tasks (
	id       BIGSERIAL PRIMARY KEY,
	wave_id  TEXT COLLATE "C" NOT NULL REFERENCES waves(id),
	order_id TEXT COLLATE "C" NOT NULL,
	line_no  INTEGER NOT NULL,
	location TEXT COLLATE "C" NOT NULL REFERENCES locations(code),
	sku      TEXT COLLATE "C" NOT NULL REFERENCES items(sku),
	qty      INTEGER NOT NULL CHECK (qty > 0),
	sort_key INTEGER NOT NULL,
	FOREIGN KEY (order_id, line_no) REFERENCES order_lines(order_id, line_no)
);
CREATE INDEX pick_tasks_wave ON pick_tasks(wave_id);
CREATE INDEX pick_tasks_order ON pick_tasks(order_id);

-- The fulfilment projection: units per order line as the floor reported
-- them, moved by accepted events' effects.
CREATE TABLE line_progress (
	order_id TEXT COLLATE "C" NOT NULL,
	line_no  INTEGER NOT NULL,
	picked   INTEGER NOT NULL DEFAULT 0,
	short    INTEGER NOT NULL DEFAULT 0,
	returned INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (order_id, line_no)
) WITH (fillfactor = 50);

-- Cartons, keyed by SSCC (else tracking number).
CREATE TABLE parcels (
	order_id TEXT COLLATE "C" NOT NULL,
	parcel   TEXT COLLATE "C" NOT NULL,
	shipment TEXT COLLATE "C" NOT NULL DEFAULT '',
	sscc     TEXT COLLATE "C" NOT NULL DEFAULT '',
	tracking TEXT NOT NULL DEFAULT '',
	carrier  TEXT NOT NULL DEFAULT '',
	status   TEXT NOT NULL,
	PRIMARY KEY (order_id, parcel)
);

CREATE TABLE parcel_lines (
	order_id TEXT COLLATE "C" NOT NULL,
	parcel   TEXT COLLATE "C" NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (order_id, parcel, line_no)
);

CREATE TABLE carrier_labels (
	order_id   TEXT COLLATE "C" NOT NULL REFERENCES orders(id),
	tracking   TEXT COLLATE "C" NOT NULL,
	carrier    TEXT NOT NULL DEFAULT '',
	service    TEXT NOT NULL DEFAULT '',
	sscc       TEXT NOT NULL DEFAULT '',
	format     TEXT NOT NULL,
	data       TEXT NOT NULL,
	created_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (order_id, tracking)
);

CREATE TABLE conflicts (
	id       BIGSERIAL PRIMARY KEY,
	station  TEXT COLLATE "C" NOT NULL DEFAULT '',
	seq      BIGINT NOT NULL DEFAULT 0,
	event_id TEXT NOT NULL DEFAULT '',
	order_id TEXT COLLATE "C" NOT NULL DEFAULT '',
	kind     TEXT NOT NULL,
	reason   TEXT NOT NULL,
	at       TEXT NOT NULL
);
CREATE INDEX conflicts_order ON conflicts(order_id);

-- The change feed, append only. station '' is for every station. A
-- central action's changes share a grp, and a pull page never splits a
-- grp. seq comes from changes_seq, taken only under the feed's advisory
-- lock (pgstore's AppendFeed): see the package doc for why that makes
-- commit order sequence order. tag is random: a cursor carries it.
CREATE SEQUENCE changes_seq;
CREATE TABLE changes (
	seq     BIGINT PRIMARY KEY,
	grp     BIGINT NOT NULL,
	station TEXT COLLATE "C" NOT NULL,
	kind    TEXT NOT NULL,
	body    TEXT NOT NULL,
	tag     BIGINT NOT NULL
);
CREATE INDEX changes_station ON changes(station, seq);
