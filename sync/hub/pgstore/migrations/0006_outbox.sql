-- The outbox of facts and webhook deliveries (hubstore/migrations, outbox).
-- facts.id comes from facts_seq, taken only under the facts advisory lock
-- held to commit (pgstore's AppendFact): facts commit in id order.
CREATE SEQUENCE facts_seq;
CREATE TABLE facts (
	id        BIGINT PRIMARY KEY,
	order_id  TEXT COLLATE "C" NOT NULL,
	order_seq BIGINT NOT NULL,
	kind      TEXT NOT NULL,
	at        TEXT NOT NULL,
	body      TEXT NOT NULL,
	UNIQUE (order_id, order_seq)
);

CREATE TABLE webhooks (
	id          TEXT COLLATE "C" PRIMARY KEY,
	url         TEXT NOT NULL,
	secret      TEXT NOT NULL,
	prev_secret TEXT NOT NULL DEFAULT '',
	prev_until  TEXT NOT NULL DEFAULT '',
	kinds       TEXT NOT NULL DEFAULT '',
	scanned     BIGINT NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL
);

CREATE TABLE deliveries (
	webhook    TEXT COLLATE "C" NOT NULL REFERENCES webhooks(id),
	fact_id    BIGINT NOT NULL REFERENCES facts(id),
	id         TEXT COLLATE "C" NOT NULL UNIQUE,
	order_id   TEXT COLLATE "C" NOT NULL,
	order_seq  BIGINT NOT NULL,
	status     TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    BIGINT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (webhook, fact_id)
);
CREATE INDEX deliveries_due ON deliveries(status, next_at) WHERE status = 'pending';
CREATE INDEX deliveries_order ON deliveries(webhook, order_id, order_seq) WHERE status <> 'delivered';
