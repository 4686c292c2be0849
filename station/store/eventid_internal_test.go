package store

import (
	"regexp"
	"testing"
)

// TestEventIDsAreVersion4UUIDs: every event id is a random (version 4,
// RFC 4122 variant) UUID in its usual text form, and ids do not repeat.
func TestEventIDsAreVersion4UUIDs(t *testing.T) {
	form := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := newEventID()
		if !form.MatchString(id) {
			t.Fatalf("event id %q is not a version 4 UUID", id)
		}
		if seen[id] {
			t.Fatalf("event id %q came twice", id)
		}
		seen[id] = true
	}
}
