package workflow

import (
	"fmt"
	"time"
)

// LastPull says when the station last heard from the hub, in floor words,
// for a tote or parcel it has no word of yet (one handled on another
// station arrives with a pull): "last pull 8 s ago", "last pull 3 min
// ago", "no pull from the hub yet" (pulled false).
func LastPull(pulled bool, since time.Duration) string {
	if !pulled {
		return "no pull from the hub yet"
	}
	d := max(since, 0)
	switch {
	case d < 2*time.Minute:
		return fmt.Sprintf("last pull %d s ago", int(d/time.Second))
	case d < 2*time.Hour:
		return fmt.Sprintf("last pull %d min ago", int(d/time.Minute))
	}
	return fmt.Sprintf("last pull %d h ago", int(d/time.Hour))
}
