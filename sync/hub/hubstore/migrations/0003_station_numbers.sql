-- Each station's number (1–999), given at registration and never reused. It
-- leads the serial reference of every SSCC and tracking number the station
-- issues, so two stations of one hub never issue the same one
-- (docs/labels.md). Stations registered before this migration are numbered
-- in the order they registered.
ALTER TABLE stations ADD COLUMN number INTEGER;
UPDATE stations SET number = (SELECT COUNT(*) FROM stations s
	WHERE s.registered_at < stations.registered_at
	   OR (s.registered_at = stations.registered_at AND s.id <= stations.id));
CREATE UNIQUE INDEX stations_number ON stations(number);

-- A pushed carton whose SSCC another carton already has is a conflict: the
-- lookup needs the SSCC indexed.
CREATE INDEX parcels_sscc ON parcels(sscc) WHERE sscc <> '';
