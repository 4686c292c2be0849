package floor

import "fmt"

// DefaultPINMaxFailures is how many wrong PINs in a row lock a badge when
// neither the station's config nor the hub says otherwise.
const DefaultPINMaxFailures = 5

// PIN lockout events. A wrong PIN is journaled (operator.pin_failed) with
// the badge's count of failures so far, so the count survives a restart
// and reaches the hub; the failure that reaches the limit is journaled as
// operator.badge_locked instead. A successful sign-in (operator.logged_in)
// starts the count again; only a supervisor at the hub lifts a lock.
const (
	EvPINFailed   EventType = "operator.pin_failed"
	EvBadgeLocked EventType = "operator.badge_locked"
)

// PINFailPayload is the payload of EvPINFailed and EvBadgeLocked.
type PINFailPayload struct {
	Badge    string `json:"badge"`
	Name     string `json:"name"`
	Failures int    `json:"failures"` // wrong PINs in a row, this one included
	Limit    int    `json:"limit"`    // the station's limit when it counted
}

// PINStanding is what the station knows of a badge's wrong PINs: its
// own count and any lock, its own or one the hub sent. Limit is the
// station's (0: DefaultPINMaxFailures).
type PINStanding struct {
	Failures int
	Limit    int
	Locked   bool
}

// MaxFailures is the limit in force.
func (p PINStanding) MaxFailures() int {
	if p.Limit < 1 {
		return DefaultPINMaxFailures
	}
	return p.Limit
}

// LockedWhy is what a locked badge's holder reads.
func (p PINStanding) LockedWhy(name string) string {
	return fmt.Sprintf("%s's badge is locked after wrong PINs: a supervisor must unlock it at the hub", name)
}

// PINFailure is the event a wrong PIN for op journals, and what its
// holder reads (again: what to do next): the failure that reaches the
// limit locks the badge.
func PINFailure(op Operator, again string) (Event, string) {
	n, limit := op.PIN.Failures+1, op.PIN.MaxFailures()
	p := PINFailPayload{Badge: op.Badge, Name: op.Name, Failures: n, Limit: limit}
	if n >= limit {
		return NewEvent(EvBadgeLocked, "", p),
			fmt.Sprintf("Wrong PIN for %s, %d times: the badge is now locked; a supervisor must unlock it at the hub", op.Name, n)
	}
	left := limit - n
	return NewEvent(EvPINFailed, "", p),
		fmt.Sprintf("Wrong PIN for %s (%d %s left before the badge locks): %s", op.Name, left, plural(left, "try", "tries"), again)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
