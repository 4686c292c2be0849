-- Connectors' durable state (hubstore/migrations, connectors).
CREATE TABLE connector_state (
	connector  TEXT COLLATE "C" NOT NULL,
	key        TEXT COLLATE "C" NOT NULL,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (connector, key)
);
