-- The order's life at the hub (hubstore/migrations/0005_order_life.sql,
-- docs/order-life.md): one JSON document (hub.LifeRecord) per order, and
-- an item's other pick faces.
CREATE TABLE order_life (
	order_id TEXT COLLATE "C" PRIMARY KEY,
	state    TEXT NOT NULL,
	shelf    TEXT NOT NULL DEFAULT '', -- a holding shelf its goods wait on, '' for none
	body     TEXT NOT NULL
);
CREATE INDEX order_life_state ON order_life(state);
CREATE INDEX order_life_shelf ON order_life(shelf) WHERE shelf <> '';

CREATE TABLE item_locations (
	sku      TEXT COLLATE "C" NOT NULL,
	rank     INTEGER NOT NULL,
	location TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (sku, rank)
);
