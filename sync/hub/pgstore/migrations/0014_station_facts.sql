-- The site's health (issue 17 item 6): what each station last said of
-- itself with its devices report: events waiting for the hub, the device
-- time of the oldest ('' when none), the operator signed in ('' when
-- nobody), and when the hub took it.
CREATE TABLE station_facts (
	station        TEXT PRIMARY KEY,
	waiting        BIGINT NOT NULL DEFAULT 0,
	oldest_waiting TEXT NOT NULL DEFAULT '',
	operator       TEXT NOT NULL DEFAULT '',
	at             TEXT NOT NULL
);
