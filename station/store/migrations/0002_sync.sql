-- Sync state. The journal is the outbox: nothing in it is deleted or
-- changed by sync. These tables record what the hub said about it, each
-- change in the same transaction as what it describes.

-- pushed: the highest journal sequence the hub acknowledged (its mark).
-- cursor: the hub's pull cursor, stored in the transaction that applied
-- the changes up to it, never before.
CREATE TABLE sync_state (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	pushed    INTEGER NOT NULL DEFAULT 0,
	last_push TEXT NOT NULL DEFAULT '',
	cursor    TEXT NOT NULL DEFAULT '',
	last_pull TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_state (id) VALUES (1);

-- Events the hub acknowledged but rejected, with its reason. Each also
-- opens an exception (kind 'sync-rejected') for a person to resolve.
CREATE TABLE sync_rejections (
	seq      INTEGER PRIMARY KEY,
	event_id TEXT NOT NULL,
	reason   TEXT NOT NULL,
	at       TEXT NOT NULL
);

-- Shipping labels a carrier supplied through the hub, printed at pack.
CREATE TABLE carrier_labels (
	order_id TEXT NOT NULL REFERENCES orders(id),
	tracking TEXT NOT NULL,
	carrier  TEXT NOT NULL DEFAULT '',
	service  TEXT NOT NULL DEFAULT '',
	sscc     TEXT NOT NULL DEFAULT '',
	format   TEXT NOT NULL DEFAULT 'zpl',
	data     TEXT NOT NULL,
	received TEXT NOT NULL,
	PRIMARY KEY (order_id, tracking)
);
