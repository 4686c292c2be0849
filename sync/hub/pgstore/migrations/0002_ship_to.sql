-- Where an order goes, and the carrier and service when the OMS chose them
-- (hubstore/migrations/0002_ship_to.sql).
ALTER TABLE orders ADD COLUMN ship_to TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN service TEXT NOT NULL DEFAULT '';
