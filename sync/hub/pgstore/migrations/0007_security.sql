-- Security (issue 19): tokens with ids, scopes, expiry and revocation; the
-- audit log of admin actions; event ids findable across stations.

ALTER TABLE tokens ADD COLUMN id TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';      -- comma-separated, admin tokens only
ALTER TABLE tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';  -- '' for never
ALTER TABLE tokens ADD COLUMN revoked_at TEXT NOT NULL DEFAULT '';  -- '' for live

-- A token's id is the start of its hash: it says nothing of the token.
UPDATE tokens SET id = 'tk-' || substr(hash, 1, 12);
-- Tokens from before scopes keep what they could do.
UPDATE tokens SET scopes = 'import,operate,read,admin-tokens' WHERE kind = 'admin';
UPDATE tokens SET kind = 'admin', scopes = 'read' WHERE kind = 'reader';
CREATE UNIQUE INDEX tokens_id ON tokens(id);

-- Every admin action, with who did it (a token id, or the console user).
CREATE TABLE audit (
	id      BIGSERIAL PRIMARY KEY,
	at      TEXT NOT NULL,
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL,
	target  TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused')),
	detail  TEXT NOT NULL DEFAULT ''
);

-- Event ids are unique across stations: the hub looks a pushed id up.
CREATE INDEX events_event_id ON events(event_id);
