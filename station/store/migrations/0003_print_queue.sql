-- The durable print queue. A label is a row here before a single byte goes
-- to the printer, and its status moves in its own committed transaction at
-- each step, so after a crash tote knows which labels printed, which did
-- not, and which are in doubt (never resent without the operator).
--
--   queued          waiting for its turn
--   held            the printer is not ready (reason says why and what to do)
--   failed          the last send failed with nothing sent (reason: the
--                   error); tried again at retry_at
--   sending         marked just before the bytes go out
--   sent            the printer took every byte
--   needs_operator  some or all bytes may have gone out (partly sent, or
--                   tote stopped while sending): the operator checks the
--                   printer and reprints or confirms
CREATE TABLE print_jobs (
	id         INTEGER PRIMARY KEY,
	printer    TEXT NOT NULL,                -- the [[printers]] name
	kind       TEXT NOT NULL,                -- shipping, document, test, ...
	ref        TEXT NOT NULL DEFAULT '',     -- shipment, order or tote it is for
	zpl        BLOB NOT NULL,
	status     TEXT NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'held', 'failed', 'sending', 'sent', 'needs_operator')),
	reason     TEXT NOT NULL DEFAULT '',     -- why it waits or failed, in plain words
	attempts   INTEGER NOT NULL DEFAULT 0,   -- sends tried
	retry_at   TEXT NOT NULL DEFAULT '',     -- failed: not before this time (RFC 3339)
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	sent_at    TEXT NOT NULL DEFAULT '',
	reprint_of INTEGER REFERENCES print_jobs(id),
	event_id   TEXT NOT NULL DEFAULT ''      -- the journal event that asked for it
);

-- The spooler's question, "the oldest waiting job of this printer", reads
-- only waiting rows however long the history grows.
CREATE INDEX print_jobs_waiting ON print_jobs(printer, id)
	WHERE status IN ('queued', 'held', 'failed');
CREATE INDEX print_jobs_reprint_of ON print_jobs(reprint_of) WHERE reprint_of IS NOT NULL;
CREATE INDEX print_jobs_sending ON print_jobs(printer) WHERE status = 'sending';
CREATE INDEX print_jobs_in_doubt ON print_jobs(printer, id) WHERE status = 'needs_operator';
