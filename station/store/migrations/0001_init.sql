-- The station's store. Every table that an operator action changes is
-- changed in the same transaction as the journal row that records it.

CREATE TABLE operators (
	badge    TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	roles    TEXT NOT NULL,              -- comma-separated floor.Role values
	pin_hash TEXT NOT NULL DEFAULT ''
);

CREATE TABLE locations (
	code     TEXT PRIMARY KEY,
	zone     TEXT NOT NULL,
	aisle    INTEGER NOT NULL,
	bay      INTEGER NOT NULL,
	level    INTEGER NOT NULL,
	position TEXT NOT NULL DEFAULT '',
	walk_seq INTEGER NOT NULL
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
	hazmat            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE item_gtins (
	gtin TEXT PRIMARY KEY,                 -- 14 digits
	sku  TEXT NOT NULL REFERENCES items(sku)
);
CREATE INDEX item_gtins_sku ON item_gtins(sku);

CREATE TABLE orders (
	id            TEXT PRIMARY KEY,
	priority      INTEGER NOT NULL DEFAULT 0,
	ship_by       TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT 'open',
	customer      TEXT NOT NULL DEFAULT '',
	ship_together TEXT NOT NULL DEFAULT ''
);

CREATE TABLE order_holds (
	order_id TEXT NOT NULL REFERENCES orders(id),
	reason   TEXT NOT NULL,
	note     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (order_id, reason)
);

-- Picked and short quantities are not kept here: they are the sums of the
-- line's pick tasks (see the order_line_progress view), so a scan updates
-- one row, not two.
CREATE TABLE order_lines (
	order_id   TEXT NOT NULL REFERENCES orders(id),
	line_no    INTEGER NOT NULL,
	sku        TEXT NOT NULL REFERENCES items(sku),
	qty        INTEGER NOT NULL CHECK (qty > 0),
	PRIMARY KEY (order_id, line_no)
);


CREATE TABLE waves (
	id      TEXT PRIMARY KEY,
	status  TEXT NOT NULL DEFAULT 'released',
	station TEXT NOT NULL DEFAULT ''
);

CREATE TABLE pick_tasks (
	id         INTEGER PRIMARY KEY,
	wave_id    TEXT NOT NULL REFERENCES waves(id),
	order_id   TEXT NOT NULL,
	line_no    INTEGER NOT NULL,
	location   TEXT NOT NULL REFERENCES locations(code),
	sku        TEXT NOT NULL REFERENCES items(sku),
	qty        INTEGER NOT NULL CHECK (qty > 0),
	-- What was picked, and into which tote, is the task's picks rows: a
	-- unit scan then writes the journal and one picks row, nothing else.
	status     TEXT NOT NULL DEFAULT 'open',
	sort_key   INTEGER NOT NULL,
	FOREIGN KEY (order_id, line_no) REFERENCES order_lines(order_id, line_no)
);
CREATE INDEX pick_tasks_wave ON pick_tasks(wave_id, sort_key);

-- One row per counted scan, so undo removes exactly the last one.
-- Clustered by task so a scan dirties one page, not a table and an index.
CREATE TABLE picks (
	task_id  INTEGER NOT NULL REFERENCES pick_tasks(id),
	seq      INTEGER NOT NULL,           -- the journal sequence that recorded it
	qty      INTEGER NOT NULL CHECK (qty > 0),
	tote     TEXT NOT NULL,
	lot      TEXT NOT NULL DEFAULT '',
	serial   TEXT NOT NULL DEFAULT '',
	expiry   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;

CREATE TABLE totes (
	code      TEXT PRIMARY KEY,
	wave_id   TEXT NOT NULL DEFAULT '',
	operator  TEXT NOT NULL DEFAULT '',
	last_used TEXT NOT NULL DEFAULT ''
);

CREATE TABLE exceptions (
	id         INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,          -- short, ...
	order_id   TEXT NOT NULL DEFAULT '',
	task_id    INTEGER,
	location   TEXT NOT NULL DEFAULT '',
	sku        TEXT NOT NULL DEFAULT '',
	qty        INTEGER NOT NULL DEFAULT 0,
	reason     TEXT NOT NULL DEFAULT '',
	operator   TEXT NOT NULL DEFAULT '',
	event_id   TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'open'
);

CREATE VIEW pick_task_progress AS
SELECT t.*,
	COALESCE((SELECT SUM(p.qty) FROM picks p WHERE p.task_id = t.id), 0) AS qty_picked,
	COALESCE((SELECT p.tote FROM picks p WHERE p.task_id = t.id ORDER BY p.seq DESC LIMIT 1), '') AS tote
FROM pick_tasks t;

CREATE VIEW order_line_progress AS
SELECT l.order_id, l.line_no, l.sku, l.qty,
	COALESCE(SUM(t.qty_picked), 0) AS qty_picked,
	COALESCE(SUM(CASE WHEN t.status = 'short' THEN t.qty - t.qty_picked ELSE 0 END), 0) AS qty_short
FROM order_lines l LEFT JOIN pick_task_progress t ON t.order_id = l.order_id AND t.line_no = l.line_no
GROUP BY l.order_id, l.line_no;

-- The operator's place in the workflow, so a restart resumes the exact step.
CREATE TABLE session (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	operator    TEXT NOT NULL DEFAULT '',
	wave_id     TEXT NOT NULL DEFAULT '',
	tote        TEXT NOT NULL DEFAULT '',
	task_id     INTEGER NOT NULL DEFAULT 0,
	step        TEXT NOT NULL DEFAULT '',
	pending     TEXT NOT NULL DEFAULT '{}'  -- JSON: the step's pending data
);
INSERT INTO session (id) VALUES (1);

-- The journal: every fact, gapless per station. Sync pushes it. Event ids
-- are random UUIDs, unique by construction; no index on them, because a
-- random key would dirty a random index page on every scan.
CREATE TABLE journal (
	seq         INTEGER PRIMARY KEY,
	event_id    TEXT NOT NULL,
	station     TEXT NOT NULL,
	operator    TEXT NOT NULL DEFAULT '',
	device_time TEXT NOT NULL,
	type        TEXT NOT NULL,
	payload     TEXT NOT NULL
);

CREATE TABLE station_meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
