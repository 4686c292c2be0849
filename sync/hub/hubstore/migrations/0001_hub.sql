-- The hub's store: every station's events exactly once, the central data
-- stations work from, and the change feed that carries it to them.

CREATE TABLE hub_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- mark is the last sequence applied for the station: it moves only in the
-- transaction that applies the events up to it.
CREATE TABLE stations (
	id            TEXT PRIMARY KEY,
	name          TEXT NOT NULL DEFAULT '',
	mark          INTEGER NOT NULL DEFAULT 0,
	epoch         INTEGER NOT NULL DEFAULT 1,   -- bumped to order a reset
	registered_at TEXT NOT NULL,
	last_push_at  TEXT NOT NULL DEFAULT '',
	last_pull_at  TEXT NOT NULL DEFAULT ''
);

-- Tokens are kept as SHA-256 only.
CREATE TABLE tokens (
	hash       TEXT PRIMARY KEY,
	kind       TEXT NOT NULL CHECK (kind IN ('station', 'admin', 'reader')),
	station    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

-- Every event of every station, once: the primary key is the guarantee.
-- received_at is the hub's clock; device_time is the station's, kept as
-- information only.
CREATE TABLE events (
	station     TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	event_id    TEXT NOT NULL,
	operator    TEXT NOT NULL DEFAULT '',
	device_time TEXT NOT NULL,
	received_at TEXT NOT NULL,
	type        TEXT NOT NULL,
	payload     TEXT NOT NULL,
	outcome     TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
	reason      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (station, seq)
) WITHOUT ROWID;

CREATE TABLE operators (
	badge    TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	roles    TEXT NOT NULL,
	pin_hash TEXT NOT NULL DEFAULT ''
);

CREATE TABLE locations (
	code     TEXT PRIMARY KEY,
	zone     TEXT NOT NULL DEFAULT '',
	aisle    INTEGER NOT NULL DEFAULT 0,
	bay      INTEGER NOT NULL DEFAULT 0,
	level    INTEGER NOT NULL DEFAULT 0,
	position TEXT NOT NULL DEFAULT '',
	walk_seq INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE items (
	sku               TEXT PRIMARY KEY,
	description       TEXT NOT NULL,
	unit_weight_g     REAL NOT NULL DEFAULT 0,
	length_mm         REAL NOT NULL DEFAULT 0,
	width_mm          REAL NOT NULL DEFAULT 0,
	height_mm         REAL NOT NULL DEFAULT 0,
	lot_controlled    INTEGER NOT NULL DEFAULT 0,
	serial_controlled INTEGER NOT NULL DEFAULT 0,
	hazmat            INTEGER NOT NULL DEFAULT 0,
	location          TEXT NOT NULL DEFAULT ''   -- home pick face
);

CREATE TABLE item_gtins (
	gtin TEXT PRIMARY KEY,
	sku  TEXT NOT NULL REFERENCES items(sku)
);
CREATE INDEX item_gtins_sku ON item_gtins(sku);

CREATE TABLE orders (
	id            TEXT PRIMARY KEY,
	priority      INTEGER NOT NULL DEFAULT 0,
	ship_by       TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT 'open',   -- open or cancelled; progress is in line_progress
	customer      TEXT NOT NULL DEFAULT '',
	ship_together TEXT NOT NULL DEFAULT '',
	cancel_reason TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL
);

CREATE TABLE order_lines (
	order_id TEXT NOT NULL REFERENCES orders(id),
	line_no  INTEGER NOT NULL,
	sku      TEXT NOT NULL REFERENCES items(sku),
	qty      INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_holds (
	order_id  TEXT NOT NULL REFERENCES orders(id),
	reason    TEXT NOT NULL,
	note      TEXT NOT NULL DEFAULT '',
	placed_at TEXT NOT NULL,
	PRIMARY KEY (order_id, reason)
);

CREATE TABLE waves (
	id         TEXT PRIMARY KEY,
	status     TEXT NOT NULL DEFAULT 'released',
	station    TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

CREATE TABLE pick_tasks (
	id       INTEGER PRIMARY KEY,
	wave_id  TEXT NOT NULL REFERENCES waves(id),
	order_id TEXT NOT NULL,
	line_no  INTEGER NOT NULL,
	location TEXT NOT NULL REFERENCES locations(code),
	sku      TEXT NOT NULL REFERENCES items(sku),
	qty      INTEGER NOT NULL CHECK (qty > 0),
	sort_key INTEGER NOT NULL,
	FOREIGN KEY (order_id, line_no) REFERENCES order_lines(order_id, line_no)
);
CREATE INDEX pick_tasks_wave ON pick_tasks(wave_id);
CREATE INDEX pick_tasks_order ON pick_tasks(order_id);

-- The fulfilment projection: units per order line as the floor reported
-- them, moved by accepted events' effects. Packed and shipped units are
-- not kept here: they are the lines of the order's parcels.
CREATE TABLE line_progress (
	order_id TEXT NOT NULL,
	line_no  INTEGER NOT NULL,
	picked   INTEGER NOT NULL DEFAULT 0,
	short    INTEGER NOT NULL DEFAULT 0,
	returned INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

-- Cartons, keyed by SSCC (else tracking number): packed when labelled,
-- shipped when their shipment completes, voided when it is voided.
CREATE TABLE parcels (
	order_id TEXT NOT NULL,
	parcel   TEXT NOT NULL,
	shipment TEXT NOT NULL DEFAULT '',
	sscc     TEXT NOT NULL DEFAULT '',
	tracking TEXT NOT NULL DEFAULT '',
	carrier  TEXT NOT NULL DEFAULT '',
	status   TEXT NOT NULL,
	PRIMARY KEY (order_id, parcel)
);

CREATE TABLE parcel_lines (
	order_id TEXT NOT NULL,
	parcel   TEXT NOT NULL,
	line_no  INTEGER NOT NULL,
	qty      INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (order_id, parcel, line_no)
) WITHOUT ROWID;

CREATE TABLE carrier_labels (
	order_id   TEXT NOT NULL REFERENCES orders(id),
	tracking   TEXT NOT NULL,
	carrier    TEXT NOT NULL DEFAULT '',
	service    TEXT NOT NULL DEFAULT '',
	sscc       TEXT NOT NULL DEFAULT '',
	format     TEXT NOT NULL,
	data       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (order_id, tracking)
);

CREATE TABLE conflicts (
	id       INTEGER PRIMARY KEY,
	station  TEXT NOT NULL DEFAULT '',
	seq      INTEGER NOT NULL DEFAULT 0,
	event_id TEXT NOT NULL DEFAULT '',
	order_id TEXT NOT NULL DEFAULT '',
	kind     TEXT NOT NULL,
	reason   TEXT NOT NULL,
	at       TEXT NOT NULL
);
CREATE INDEX conflicts_order ON conflicts(order_id);

-- The change feed, append only. station '' is for every station. A
-- central action's changes share a grp, and a pull page never splits a
-- grp, so a station never sees a wave without its tasks. Append only also
-- means a record always comes before anything that refers to it.
-- tag is random: a cursor carries its last change's tag, so a cursor from
-- before a restore, whose position now holds another change, is caught.
CREATE TABLE changes (
	seq     INTEGER PRIMARY KEY AUTOINCREMENT,
	grp     INTEGER NOT NULL,
	station TEXT NOT NULL,
	kind    TEXT NOT NULL,
	body    TEXT NOT NULL,
	tag     INTEGER NOT NULL DEFAULT (random())
);
CREATE INDEX changes_station ON changes(station, seq);
