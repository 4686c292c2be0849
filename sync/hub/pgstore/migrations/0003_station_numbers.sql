-- Each station's number (1–999), given at registration and never reused
-- (hubstore/migrations/0003_station_numbers.sql).
ALTER TABLE stations ADD COLUMN number INTEGER;
UPDATE stations SET number = (SELECT COUNT(*) FROM stations s
	WHERE s.registered_at < stations.registered_at
	   OR (s.registered_at = stations.registered_at AND s.id <= stations.id));
CREATE UNIQUE INDEX stations_number ON stations(number);

-- A pushed carton whose SSCC another carton already has is a conflict: the
-- lookup needs the SSCC indexed.
CREATE INDEX parcels_sscc ON parcels(sscc) WHERE sscc <> '';
