package actors

import (
	"context"
	"log/slog"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// When the demo office acts, from its start: late enough that the picker
// has begun, early enough to be seen in a short try.
const (
	HoldAfter    = 45 * time.Second
	CancelAfter  = 90 * time.Second
	ReleaseAfter = 3 * time.Minute
)

// Hub is what the demo office changes on the demo's hub.
type Hub interface {
	PlaceHold(ctx context.Context, order string, h protocol.Hold, at time.Time) error
	CancelOrder(ctx context.Context, order, note string, at time.Time) error
	ReleaseHold(ctx context.Context, order, reason string) error
}

// Office plays the office until its script is done or ctx ends: it holds
// the third of orders after HoldAfter, cancels the sixth after
// CancelAfter and releases the hold after ReleaseAfter, each only if the
// order can still take it (a step the hub refuses is logged and skipped).
func Office(ctx context.Context, hub Hub, orders []floor.Order, log *slog.Logger) {
	officeAt(ctx, hub, orders, log, [3]time.Duration{HoldAfter, CancelAfter, ReleaseAfter})
}

// officeAt is Office with its three steps' times.
func officeAt(ctx context.Context, hub Hub, orders []floor.Order, log *slog.Logger, after [3]time.Duration) {
	if len(orders) < 6 {
		return
	}
	held, cancelled := orders[2].ID, orders[5].ID
	steps := []struct {
		after time.Duration
		what  string
		do    func() error
	}{
		{after[0], "hold " + held, func() error {
			return hub.PlaceHold(ctx, held, protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: "demo: the office is checking the address"}, time.Now())
		}},
		{after[1], "cancel " + cancelled, func() error { return hub.CancelOrder(ctx, cancelled, "demo: the customer cancelled", time.Now()) }},
		{after[2], "release " + held, func() error { return hub.ReleaseHold(ctx, held, "INCORRECT_ADDRESS") }},
	}
	start := time.Now()
	for _, st := range steps {
		t := time.NewTimer(time.Until(start.Add(st.after)))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if err := st.do(); err != nil {
			log.Info("demo office step skipped", "step", st.what, "why", err) // e.g. the order was already cancelled
			continue
		}
		log.Info("demo office", "step", st.what)
	}
}
