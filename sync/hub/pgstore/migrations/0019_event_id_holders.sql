-- event_ids keeps each id's holder: the first by station and seq of the
-- events pushed with it, as HeldEventIDs answers (pgstore/eventids.go).
-- The events' index by id, which every event inserted added an entry to
-- (about a tenth of PostgreSQL's work per pushed event), is then read by
-- nothing and goes. A claim whose events were never written holds
-- nothing: its station stays ''. SQLite's migration of this number
-- changes nothing.
-- Its key is compared byte by byte (COLLATE "C", as every other key): on
-- a database made with a language's collation each comparison in its
-- index otherwise goes through that collation's rules.
ALTER TABLE event_ids ALTER COLUMN event_id TYPE TEXT COLLATE "C",
	ADD COLUMN station TEXT COLLATE "C" NOT NULL DEFAULT '',
	ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE event_ids c SET station = h.station, seq = h.seq
	FROM (SELECT DISTINCT ON (event_id) event_id, station, seq FROM events ORDER BY event_id, station, seq) h
	WHERE h.event_id = c.event_id COLLATE "C";
DROP INDEX events_event_id;
