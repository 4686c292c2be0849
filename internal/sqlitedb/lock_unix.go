//go:build unix

package sqlitedb

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockMarker holds an exclusive lock on f for as long as it stays open: the
// kernel drops it when the process dies, however it dies.
func lockMarker(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }

// markerAbandoned reports whether no live process holds the marker at p.
func markerAbandoned(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false // gone: its owner closed cleanly meanwhile
	}
	defer f.Close() // closing our own descriptor leaves other holders' flocks alone
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		return false
	}
	unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return true
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
