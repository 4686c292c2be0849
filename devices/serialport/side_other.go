//go:build !linux

package serialport

import "strings"

// sideHandle does nothing outside Linux: no lock, no hangup poll. Hangups
// are still found by timing and by failed writes.
type sideHandle struct{}

func openSide(path string) (*sideHandle, error) { return nil, nil }

func (h *sideHandle) exclusive()                     {}
func (h *sideHandle) reportsHangup() bool            { return false }
func (h *sideHandle) nodeChanged(path string) string { return "" }
func (h *sideHandle) discardInput() error            { return nil }
func (h *sideHandle) canMarkSpace() bool             { return false }
func (h *sideHandle) setMarkSpace(mark bool) error   { return nil }
func (h *sideHandle) close()                         {}

// On Windows a COM port that another program holds fails with "Access is denied".
func isBusy(err error) bool   { return strings.Contains(err.Error(), "Access is denied") }
func isNotTTY(err error) bool { return false }

// Access cannot check permissions here; the open will tell.
func Access(path string) string { return "" }
