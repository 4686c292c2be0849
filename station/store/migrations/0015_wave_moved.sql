-- A wave a supervisor moved from this cart to another: the notice names
-- the wave, so the cart can tell its picker who moved it and why.
ALTER TABLE office_notices ADD COLUMN wave TEXT NOT NULL DEFAULT '';
