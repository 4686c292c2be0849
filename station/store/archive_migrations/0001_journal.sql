-- The journal archive: events moved out of the station's journal once the
-- hub acknowledged them and they grew old (store.Prune). Same columns,
-- same sequence numbers; rows are only ever added.
CREATE TABLE journal (
	seq         INTEGER PRIMARY KEY,
	event_id    TEXT NOT NULL,
	station     TEXT NOT NULL,
	operator    TEXT NOT NULL DEFAULT '',
	device_time TEXT NOT NULL,
	type        TEXT NOT NULL,
	payload     TEXT NOT NULL
);
