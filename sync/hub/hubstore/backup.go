package hubstore

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the live database to path with
// VACUUM INTO, while the hub serves (it waits for the writer, then reads
// one snapshot). path must not exist; the copy is created owner-only,
// like the database. To restore, stop the hub and put the copy in place
// of hub.db (removing hub.db-wal and hub.db-shm): docs/install.md.
func (s *SQLite) Backup(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: back up to a new file", path)
		}
		return err
	}
	f.Close()
	if _, err := s.db.W.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
