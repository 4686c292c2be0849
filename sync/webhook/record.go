package webhook

import (
	"context"
	"sync"

	"github.com/totewms/tote/sync/hub"
)

// outcomes holds the attempts that came back, to be recorded together in
// the round's one write (with the new facts' deliveries): one commit per
// delivery made the store, not the endpoint, the limit. An attempt waits
// until its outcome is committed, so a kill before that sends it again
// with the same delivery id, as before.
type outcomes struct {
	mu    sync.Mutex
	queue []booked
}

type booked struct {
	d    hub.Delivery
	done chan error
}

// book queues an outcome; the channel answers once it is recorded.
func (o *outcomes) book(d hub.Delivery) chan error {
	done := make(chan error, 1)
	o.mu.Lock()
	o.queue = append(o.queue, booked{d, done})
	o.mu.Unlock()
	return done
}

func (o *outcomes) take() []booked {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.queue
	o.queue = nil
	return q
}

// record waits for d's outcome to be recorded by a round.
func (w *Worker) record(ctx context.Context, d hub.Delivery) error {
	done := w.book.book(d)
	w.Notify()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flush records the outcomes waiting and turns new facts into
// deliveries, in one transaction when there is anything to write.
func (w *Worker) flush(ctx context.Context) error {
	batch := w.book.take()
	if len(batch) == 0 {
		return w.fanOut(ctx)
	}
	err := w.store.Tx(ctx, func(tx hub.StoreTx) error {
		for _, b := range batch {
			if err := tx.UpdateDelivery(b.d); err != nil {
				return err
			}
		}
		return w.fanOutTx(tx)
	})
	for _, b := range batch {
		b.done <- err
	}
	return err
}
