-- The outbox of facts an OMS hears about (docs/oms.md): written in the
-- transaction of the change that causes it. id is the global cursor, in
-- commit order (one writer); order_seq counts each order's facts from 1.
CREATE TABLE facts (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	order_id  TEXT NOT NULL,
	order_seq INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	at        TEXT NOT NULL,
	body      TEXT NOT NULL,
	UNIQUE (order_id, order_seq)
);

-- Webhook endpoints. scanned is the last fact id already turned into
-- deliveries for the endpoint; the previous secret still signs until
-- prev_until (rotation's overlap window).
CREATE TABLE webhooks (
	id          TEXT PRIMARY KEY,
	url         TEXT NOT NULL,
	secret      TEXT NOT NULL,
	prev_secret TEXT NOT NULL DEFAULT '',
	prev_until  TEXT NOT NULL DEFAULT '',
	kinds       TEXT NOT NULL DEFAULT '',
	scanned     INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL
);

-- One fact to one endpoint, with its retry state. The delivery id stays
-- the same across retries, so a receiver can drop duplicates.
CREATE TABLE deliveries (
	webhook    TEXT NOT NULL REFERENCES webhooks(id),
	fact_id    INTEGER NOT NULL REFERENCES facts(id),
	id         TEXT NOT NULL UNIQUE,
	order_id   TEXT NOT NULL,
	order_seq  INTEGER NOT NULL,
	status     TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    INTEGER NOT NULL, -- unix milliseconds, to compare
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (webhook, fact_id)
);
CREATE INDEX deliveries_due ON deliveries(status, next_at) WHERE status = 'pending';
CREATE INDEX deliveries_order ON deliveries(webhook, order_id, order_seq) WHERE status <> 'delivered';
