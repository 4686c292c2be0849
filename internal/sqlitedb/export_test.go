package sqlitedb

// OnCheckpoint sets the checkpointer's hooks; call it before the first
// commit.
func (db *DB) OnCheckpoint(starting func(), checked func(frames, copied int, err error)) {
	db.ck.starting, db.ck.checked = starting, checked
}

// WALFrames is the WAL's length in pages, as the checkpointer reads it.
func (db *DB) WALFrames() int { return int(db.ck.frames()) }
