-- The durable state of connectors to outside systems (sync/shopify): its
-- facts cursor, which fulfillment order is which hub order, the holds it
-- placed and the fulfillments it created, so a restart resumes without
-- doing anything twice.
CREATE TABLE connector_state (
	connector  TEXT NOT NULL,
	key        TEXT NOT NULL,
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (connector, key)
);
