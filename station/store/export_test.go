package store

// SetAfterCopy sets the hook between the archive's commit and the
// journal's delete, for the crash test.
func SetAfterCopy(f func()) { afterCopy = f }
