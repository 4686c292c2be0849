//go:build !unix

package sqlitedb

import "os"

// Without flock a marker cannot say whether its owner lives: every marker
// found counts as left by a crash, which costs a check, never a miss.
func lockMarker(*os.File) error { return nil }

func markerAbandoned(string) bool { return true }

func syncDir(string) error { return nil }
