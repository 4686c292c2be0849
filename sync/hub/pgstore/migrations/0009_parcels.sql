-- Parcels travel to the dispatch benches (sync/hub/parcels.go): a carton
-- is ready for the dock once its shipment completed at the pack bench
-- (labels printed). Only ready parcels go to the dispatch benches' feed;
-- a later void, hold, cancellation, load or pickup sends them again.
-- Cartons recorded before this migration stay not ready: their parcels
-- are loaded by the bench that packed them, as before.
ALTER TABLE parcels ADD COLUMN ready BOOLEAN NOT NULL DEFAULT false;
