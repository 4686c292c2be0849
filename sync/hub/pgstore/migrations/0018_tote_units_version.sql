-- A tote's units_version moves whenever units join or leave it, so that a
-- hub may keep the units of a fill it sent and send them again while the
-- version is the one it saw, instead of reading every unit of the fill on
-- each push (hub/totes.go, hubstore/migrations/0018_tote_units_version.sql).
ALTER TABLE totes ADD COLUMN units_version BIGINT NOT NULL DEFAULT 0;
