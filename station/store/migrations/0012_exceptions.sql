-- What the office resolved of the exceptions this station's operators
-- met (a notice per hub exception, applied once), and the cycle-count
-- tasks a supervisor's recount sent to this cart.
CREATE TABLE office_notices (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL DEFAULT '',
	exception  INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	action     TEXT NOT NULL,
	reason     TEXT NOT NULL,
	supervisor TEXT NOT NULL,
	order_id   TEXT NOT NULL DEFAULT '',
	job        INTEGER NOT NULL DEFAULT 0,
	event_id   TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL,
	at         TEXT NOT NULL,
	pulled_at  TEXT NOT NULL,
	UNIQUE (source, exception)
);

CREATE TABLE count_tasks (
	id         INTEGER PRIMARY KEY,      -- the hub's id
	exception  INTEGER NOT NULL DEFAULT 0,
	location   TEXT NOT NULL,
	sku        TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'counted')),
	counted    INTEGER NOT NULL DEFAULT 0,
	counted_by TEXT NOT NULL DEFAULT '',
	at         TEXT NOT NULL
);
