-- Nothing changes on SQLite. PostgreSQL's migration of this number keeps
-- each event id's holder in event_ids and drops the events' index by id,
-- which every event inserted paid for and only a push resending a held id
-- read (pgstore/migrations/0019_event_id_holders.sql); SQLite finds the
-- holders in that index, as before.
SELECT 1;
