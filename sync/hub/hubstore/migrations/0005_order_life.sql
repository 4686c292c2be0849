-- The order's life at the hub (docs/order-life.md): its state and each
-- line's units by where they are, the goods waiting on a holding shelf,
-- the restock tasks a cancellation left and the parcels loaded onto a
-- pickup, as one JSON document (hub.LifeRecord) per order. It is written
-- in the transaction of the push or admin action that moves it; state is
-- kept beside it to list orders by state.
CREATE TABLE order_life (
	order_id TEXT PRIMARY KEY,
	state    TEXT NOT NULL,
	shelf    TEXT NOT NULL DEFAULT '', -- a holding shelf its goods wait on, '' for none
	body     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX order_life_state ON order_life(state);
CREATE INDEX order_life_shelf ON order_life(shelf) WHERE shelf <> '';

-- Other pick faces that hold an item besides its home location, in the
-- order a short pick's remainder is offered from them (hub setting
-- short_remainder = reallocate).
CREATE TABLE item_locations (
	sku      TEXT NOT NULL,
	rank     INTEGER NOT NULL,
	location TEXT NOT NULL,
	PRIMARY KEY (sku, rank)
) WITHOUT ROWID;
