package sqlitedb

// Start-up must not read the whole file: PRAGMA quick_check costs about
// 1.6 ms per MB, seconds for a long journal. So the full check runs only
// when there is reason to doubt the file:
//
//   - after an unclean shutdown. Each open holds a marker file next to the
//     database, <db>-open.<random>, with an exclusive flock on it, and Close
//     removes it. A marker that exists but that no live process holds was
//     left by a crash, a kill or a power cut (the kernel drops a dead
//     process's flock; the marker's name is fsynced into the directory
//     before anything can write). A marker another live process holds is
//     that process's, and no sign of trouble.
//   - when the file changed since tote last closed it cleanly: Close records
//     the file's size and modification time in <db>-state, and a different
//     one at open means someone else wrote it (a copy, a restore, a tool).
//   - when the last full check is older than Options.CheckEvery, or the
//     caller asks for one (Options.FullCheck: tote doctor --full-check).
//
// Every doubt errs towards checking: a lost marker removal, a missing or
// unreadable state file, a platform without flock all cost one check, never
// a missed one.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// Options tune Open.
type Options struct {
	// FullCheck runs the full check whatever the markers say.
	FullCheck bool
	// CheckEvery, when above zero, also runs it when the last full check
	// that passed is older than this.
	CheckEvery time.Duration
	// Now is the clock for CheckEvery; time.Now when nil.
	Now func() time.Time
}

// state is what <db>-state remembers between runs.
type state struct {
	Checked     time.Time `json:"last_full_check"`        // zero: never
	ClosedSize  int64     `json:"closed_size"`            // the file as the last clean Close left it
	ClosedMTime int64     `json:"closed_mtime_unix_nano"` // ditto
}

func statePath(p string) string { return p + "-state" }

func readState(p string) (state, bool) {
	var st state
	b, err := os.ReadFile(statePath(p))
	if err != nil || json.Unmarshal(b, &st) != nil {
		return state{}, false
	}
	return st, true
}

// writeState replaces the state file atomically; losing it only costs a
// check at the next start.
func writeState(p string, st state) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	tmp := statePath(p) + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, statePath(p))
}

// checkReason says why an existing file at p needs the full check, "" when
// it does not. abandoned lists the crash markers to remove once it passed.
func checkReason(p string, o Options) (reason string, abandoned []string) {
	markers, _ := filepath.Glob(p + "-open.*")
	for _, m := range markers {
		if markerAbandoned(m) {
			abandoned = append(abandoned, m)
		}
	}
	st, ok := readState(p)
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	switch {
	case len(abandoned) > 0:
		return "unclean shutdown", abandoned
	case o.FullCheck:
		return "asked for", nil
	case !ok:
		return "no record of a clean shutdown", nil
	case len(markers) == 0 && !st.unchanged(p):
		return "file changed since the last clean shutdown", nil
	case o.CheckEvery > 0 && now().Sub(st.Checked) >= o.CheckEvery:
		return "last full check over " + o.CheckEvery.String() + " ago", nil
	}
	return "", nil
}

func (st state) unchanged(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Size() == st.ClosedSize && fi.ModTime().UnixNano() == st.ClosedMTime
}

// marker is this open's claim on the file, held until a clean Close.
type marker struct {
	f    *os.File
	path string
}

// placeMarker creates and locks a marker under a temporary name, then
// renames it into place and syncs the directory: another opener never sees
// a marker that is not locked yet, and a crash after this returns always
// leaves the marker behind.
func placeMarker(p string) (*marker, error) {
	var b [8]byte
	rand.Read(b[:])
	name := p + "-open." + hex.EncodeToString(b[:])
	tmp := p + "-opening." + hex.EncodeToString(b[:])
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockMarker(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, name); err != nil {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if err := syncDir(filepath.Dir(p)); err != nil {
		f.Close()
		os.Remove(name)
		return nil, err
	}
	return &marker{f: f, path: name}, nil
}

// remove ends the claim: the file was closed cleanly.
func (m *marker) remove() error {
	err := os.Remove(m.path)
	m.f.Close()
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(m.path))
}

// release drops the claim without removing it (a failed open after
// writing may have begun): the next open checks.
func (m *marker) release() { m.f.Close() }
