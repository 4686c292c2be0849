-- Where an order goes, and the carrier and service when the OMS chose them
-- (else the packing station's [pack] defaults). ship_to is the address as
-- the sync protocol writes it (protocol.Address as JSON), '' when the OMS
-- sent none. The hub checked all three before storing them: stations show
-- and print them as they are.
ALTER TABLE orders ADD COLUMN ship_to TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN service TEXT NOT NULL DEFAULT '';
