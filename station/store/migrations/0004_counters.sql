-- Named counters, e.g. the SSCC serial reference. A value is taken in the
-- same transaction as the fact that uses it, so a crash can never hand the
-- same number out twice.
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL CHECK (value >= 0)
);
