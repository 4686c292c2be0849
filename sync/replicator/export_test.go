package replicator

import "time"

// Backoff is exposed to the tests of this package only.
type Backoff struct{ b backoff }

func NewBackoffForTest(min, max time.Duration) *Backoff {
	return &Backoff{backoff{min: min, max: max}}
}

func (b *Backoff) SetStepForTest(n int) { b.b.n = n }
func (b *Backoff) Next() time.Duration  { return b.b.next() }

// SetUserAgentForTest makes the replicator name another tote build (the
// hub's build rule); the returned func puts it back.
func SetUserAgentForTest(ua string) func() {
	old := userAgent
	userAgent = ua
	return func() { userAgent = old }
}
