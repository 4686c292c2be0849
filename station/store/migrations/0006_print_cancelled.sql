-- A label that has not printed yet can be cancelled: a voided shipment's
-- labels still waiting in the queue must never come out of the printer
-- later, to be stuck on a parcel that is not shipping.
--
--   cancelled  never sent, never will be; reason says why
--
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt
-- by its documented procedure (the migration runs with foreign keys off and
-- proves with foreign_key_check that every reference still holds).
CREATE TABLE print_jobs_new (
	id         INTEGER PRIMARY KEY,
	printer    TEXT NOT NULL,
	kind       TEXT NOT NULL,
	ref        TEXT NOT NULL DEFAULT '',
	zpl        BLOB NOT NULL,
	status     TEXT NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'held', 'failed', 'sending', 'sent', 'needs_operator', 'cancelled')),
	reason     TEXT NOT NULL DEFAULT '',
	attempts   INTEGER NOT NULL DEFAULT 0,
	retry_at   TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	sent_at    TEXT NOT NULL DEFAULT '',
	reprint_of INTEGER REFERENCES print_jobs(id),
	event_id   TEXT NOT NULL DEFAULT ''
);
INSERT INTO print_jobs_new (id, printer, kind, ref, zpl, status, reason, attempts, retry_at, created_at, updated_at, sent_at, reprint_of, event_id)
	SELECT id, printer, kind, ref, zpl, status, reason, attempts, retry_at, created_at, updated_at, sent_at, reprint_of, event_id FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE INDEX print_jobs_waiting ON print_jobs(printer, id)
	WHERE status IN ('queued', 'held', 'failed');
CREATE INDEX print_jobs_reprint_of ON print_jobs(reprint_of) WHERE reprint_of IS NOT NULL;
CREATE INDEX print_jobs_sending ON print_jobs(printer) WHERE status = 'sending';
CREATE INDEX print_jobs_in_doubt ON print_jobs(printer, id) WHERE status = 'needs_operator';
