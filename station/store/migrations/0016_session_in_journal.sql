-- A commit that appends events and changes the operator's session keeps
-- the new session in its last journal row, not in the session row: the
-- journal page is written anyway, the session row's page then is not (one
-- page fewer per such commit to write and sync). The session a restart
-- resumes is the newest journal row's after session.through_seq, else the
-- session row (store.LoadSession). A commit without events still writes
-- the row, and pruning folds the newest journal session into it first.
ALTER TABLE journal ADD COLUMN session TEXT;
