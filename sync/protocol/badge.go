package protocol

import "time"

// BadgeLock is a badge's PIN lock as the hub holds it: the feed sends it
// to every station when a station reports the badge locked (or the hub's
// count of wrong PINs across the site reaches its limit), and again,
// unlocked, when a supervisor lifts the lock. GET /api/v1/badge-locks
// lists them.
type BadgeLock struct {
	Badge    string    `json:"badge"`
	Name     string    `json:"name,omitempty"`
	Locked   bool      `json:"locked"`
	Failures int       `json:"failures"`          // wrong PINs counted at the hub since the last sign-in
	Station  string    `json:"station,omitempty"` // the station where the lock came from
	LockedAt time.Time `json:"locked_at,omitzero"`
	// UnlockedBy and UnlockedAt: who lifted the last lock, and when.
	UnlockedBy string    `json:"unlocked_by,omitempty"`
	UnlockedAt time.Time `json:"unlocked_at,omitzero"`
}

// Unlock is the body of POST /admin/v1/badges/{badge}/unlock.
type Unlock struct {
	Reason string `json:"reason"`
}
