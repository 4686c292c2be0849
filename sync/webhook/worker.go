// Package webhook delivers the hub's facts to the endpoints an OMS
// configured (docs/oms.md): each fact a signed JSON POST, retried with
// exponential backoff and jitter for at least a day, an order's facts in
// their order, dead-lettered after the last retry. Every step is in the
// hub's store, so a hub killed at any moment loses nothing: a delivery
// sent but not yet recorded goes again, with the same delivery id.
package webhook

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Options tune a Worker. The clock and the backoff are injectable so a
// test can run a day of retries without waiting.
type Options struct {
	Now func() time.Time
	// Backoff is the wait after an endpoint's attempt-th failure in a row
	// (from 1); nil: Backoff.
	Backoff func(attempt int) time.Duration
	// RetryFor is how long a delivery is retried before it is dead; 0: 25 h.
	RetryFor time.Duration
	// Timeout bounds one attempt; 0: 10 s.
	Timeout time.Duration
	// Parallel is how many deliveries go at once to one endpoint (each a
	// different order); 0: 8.
	Parallel int
	// Poll is the longest the worker sleeps with nothing due, to see facts
	// written by another process (tote hub import); 0: 1 s.
	Poll   time.Duration
	Client *http.Client
	Log    *slog.Logger
	// Keep is how long a delivered delivery's row is kept (counted from
	// its delivering attempt); older ones are pruned about hourly. Dead
	// ones stay until replayed. 0: DefaultKeep.
	Keep time.Duration
}

// DefaultKeep keeps delivered rows a week: long enough to look one up.
const DefaultKeep = 7 * 24 * time.Hour

// Backoff doubles from 5 s to at most an hour, with jitter: a wait is
// between half and the whole of its step, so endpoints that failed
// together do not all come back at once.
func Backoff(attempt int) time.Duration {
	step := 5 * time.Second
	for i := 1; i < attempt && step < time.Hour; i++ {
		step *= 2
	}
	step = min(step, time.Hour)
	return step/2 + time.Duration(mrand.Int64N(int64(step/2)+1))
}

// Worker delivers facts.
type Worker struct {
	store hub.Store
	opts  Options
	wake  chan struct{}

	mu       sync.Mutex
	inflight map[string]bool          // delivery ids being attempted
	settled  map[string]bool          // attempted since the last read of what is due
	lanes    map[string]chan struct{} // per endpoint, its deliveries in flight

	book outcomes // attempts' outcomes waiting to be recorded together
}

// New makes a worker over the hub's store.
func New(store hub.Store, opts Options) *Worker {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Backoff == nil {
		opts.Backoff = Backoff
	}
	if opts.RetryFor == 0 {
		opts.RetryFor = 25 * time.Hour
	}
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Parallel == 0 {
		opts.Parallel = 8
	}
	if opts.Keep == 0 {
		opts.Keep = DefaultKeep
	}
	if opts.Poll == 0 {
		opts.Poll = time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, opts: opts, wake: make(chan struct{}, 1),
		inflight: map[string]bool{}, settled: map[string]bool{}, lanes: map[string]chan struct{}{}}
}

// Notify wakes the worker: facts were committed. It never blocks.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends. Each endpoint has its own lane of at most
// Parallel deliveries in flight, and each delivery's outcome is recorded
// when it comes back: a slow endpoint holds only its own lane, never the
// deliveries to the others.
func (w *Worker) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	var pruned, last time.Time
	for {
		if now := w.opts.Now(); now.Sub(pruned) >= time.Hour {
			if err := w.Prune(ctx); err != nil && ctx.Err() == nil {
				w.opts.Log.Error("webhook deliveries not pruned", "err", err)
			}
			pruned = now
		}
		// Under a stream of commits, let facts and outcomes gather a
		// moment: one round of writes per few facts, not per fact.
		if d := Gather - time.Since(last); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
		}
		last = time.Now()
		next, due, err := w.dispatch(ctx, &wg, nil)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			w.opts.Log.Error("webhook deliveries", "err", err)
		}
		// What is due now is in flight or its lane is full: a delivery
		// coming back wakes us. Otherwise sleep until the next is due.
		wait := w.opts.Poll
		if due {
			if d := next.Sub(w.opts.Now()); d > 0 {
				wait = min(wait, d)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// Gather is the least time between two rounds of a running worker (the
// added wait before a fact leaves, at most): rounds woken by every commit
// and every answer made one store write per fact, which, not the
// endpoints, was the limit.
const Gather = 5 * time.Millisecond

// Prune deletes the delivered deliveries older than Keep.
func (w *Worker) Prune(ctx context.Context) error {
	before := w.opts.Now().Add(-w.opts.Keep)
	return w.store.Tx(ctx, func(tx hub.StoreTx) error { return tx.PruneDeliveries(before) })
}

// Step turns new facts into deliveries, then makes one attempt at every
// delivery due (an order's first undelivered fact per endpoint), each in
// its turn in its endpoint's lane, waits for them, and returns how many
// were delivered.
func (w *Worker) Step(ctx context.Context) (int, error) {
	var wg sync.WaitGroup
	var delivered atomic.Int64
	_, _, err := w.dispatch(ctx, &wg, &delivered)
	back := make(chan struct{})
	go func() { wg.Wait(); close(back) }()
	for done := false; !done; {
		select {
		case <-back:
			done = true
		case <-w.wake: // an outcome to record
		}
		if ferr := w.flush(ctx); err == nil {
			err = ferr
		}
	}
	if err == nil {
		err = ctx.Err()
	}
	return int(delivered.Load()), err
}

// dispatch starts an attempt at each delivery due that is not in flight,
// in its endpoint's lane, and returns the earliest next time of a
// pending delivery as it was before these attempts.
func (w *Worker) dispatch(ctx context.Context, wg *sync.WaitGroup, delivered *atomic.Int64) (next time.Time, pending bool, err error) {
	if err := w.flush(ctx); err != nil {
		return next, false, err
	}
	w.mu.Lock()
	w.settled = map[string]bool{} // those settled from here on may still read as due
	w.mu.Unlock()
	now := w.opts.Now()
	var due []hub.Delivery
	var hooks map[string]hub.Webhook
	err = w.store.Read(ctx, func(tx hub.StoreTx) error {
		var err error
		if next, pending, err = tx.NextDue(); err != nil || !pending || next.After(now) {
			return err
		}
		if due, err = tx.DueDeliveries(now, 500); err != nil || len(due) == 0 {
			return err
		}
		ws, err := tx.Webhooks()
		hooks = map[string]hub.Webhook{}
		for _, h := range ws {
			hooks[h.ID] = h
		}
		return err
	})
	if err != nil {
		return next, false, err
	}
	for _, d := range due {
		w.mu.Lock()
		lane := w.lanes[d.Webhook]
		if lane == nil {
			lane = make(chan struct{}, w.opts.Parallel)
			w.lanes[d.Webhook] = lane
		}
		if w.inflight[d.ID] || w.settled[d.ID] {
			w.mu.Unlock()
			continue
		}
		w.inflight[d.ID] = true
		w.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each waits for room in its endpoint's lane, so a lane works
			// through all it was given without waiting for the next round.
			ok := false
			select {
			case lane <- struct{}{}:
				ok = w.attempt(ctx, hooks[d.Webhook], d, func() { <-lane })
			case <-ctx.Done():
			}
			if ok && delivered != nil {
				delivered.Add(1)
			}
			w.mu.Lock()
			delete(w.inflight, d.ID)
			w.settled[d.ID] = true
			w.mu.Unlock()
			w.Notify()
		}()
	}
	return next, pending, nil
}

// attempt sends one delivery, calls sent (the lane has room again while
// the outcome waits for its round), and records the outcome; it reports
// whether it was delivered.
func (w *Worker) attempt(ctx context.Context, h hub.Webhook, d hub.Delivery, sent func()) bool {
	sendErr := w.send(ctx, h, d)
	sent()
	if ctx.Err() != nil {
		return false // a shutdown is not the endpoint's failure
	}
	at := w.opts.Now()
	if d.Attempts == 0 {
		// The day of retries runs from the first attempt: a fact that
		// waited behind a dead one still gets its whole day.
		d.CreatedAt = at
	}
	d.Attempts++
	d.UpdatedAt = at
	switch {
	case sendErr == nil:
		d.Status, d.LastError = hub.DeliveryDelivered, ""
	case !at.Before(d.CreatedAt.Add(w.opts.RetryFor)):
		d.Status, d.LastError = hub.DeliveryDead, sendErr.Error()
		w.opts.Log.Warn("webhook delivery dead-lettered", "webhook", d.Webhook, "delivery", d.ID, "fact", d.Fact.ID, "attempts", d.Attempts, "err", sendErr)
	default:
		d.NextAt, d.LastError = at.Add(w.opts.Backoff(d.Attempts)), sendErr.Error()
	}
	if err := w.record(ctx, d); err != nil {
		// Not recorded: it goes again, with the same delivery id.
		if ctx.Err() == nil {
			w.opts.Log.Error("webhook delivery not recorded", "delivery", d.ID, "err", err)
		}
		return false
	}
	return sendErr == nil
}

// fanOut gives every endpoint a delivery of each new fact it takes.
func (w *Worker) fanOut(ctx context.Context) error {
	behind := false
	err := w.store.Read(ctx, func(tx hub.StoreTx) error {
		safe, err := tx.FactsSafe()
		if err != nil {
			return err
		}
		ws, err := tx.Webhooks()
		for _, h := range ws {
			behind = behind || h.Scanned < safe
		}
		return err
	})
	if err != nil || !behind {
		return err
	}
	return w.store.Tx(ctx, w.fanOutTx)
}

// fanOutTx is fanOut's work in a transaction of the caller's.
func (w *Worker) fanOutTx(tx hub.StoreTx) error {
	now := w.opts.Now()
	safe, err := tx.FactsSafe()
	if err != nil {
		return err
	}
	ws, err := tx.Webhooks()
	if err != nil {
		return err
	}
	for _, h := range ws {
		if h.Scanned >= safe {
			continue
		}
		facts, err := tx.Facts(h.Scanned, safe, 2000)
		if err != nil {
			return err
		}
		for _, f := range facts {
			if !h.Wants(f.Kind) {
				continue
			}
			d := hub.Delivery{ID: newDeliveryID(), Webhook: h.ID, Fact: f, Status: hub.DeliveryPending, NextAt: now, CreatedAt: now, UpdatedAt: now}
			if err := tx.InsertDelivery(d); err != nil {
				return err
			}
		}
		if len(facts) > 0 {
			h.Scanned = facts[len(facts)-1].ID
			if err := tx.PutWebhook(h); err != nil {
				return err
			}
		}
	}
	return nil
}

func newDeliveryID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "dl_" + hex.EncodeToString(b[:])
}

// Body is the JSON a delivery carries: the fact, as the feed has it.
func Body(f protocol.Fact) ([]byte, error) { return json.Marshal(f) }

// send makes one attempt. Any 2xx is delivered; anything else (an error,
// a timeout, another status) is a failure to retry.
func (w *Worker) send(ctx context.Context, h hub.Webhook, d hub.Delivery) error {
	if h.ID == "" {
		return fmt.Errorf("webhook %s is gone", d.Webhook)
	}
	body, err := Body(d.Fact)
	if err != nil {
		return err
	}
	now := w.opts.Now()
	ts := now.Unix()
	secrets := []string{h.Secret}
	if h.PrevSecret != "" && now.Before(h.PrevUntil) {
		secrets = append(secrets, h.PrevSecret)
	}
	ctx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "tote-hub-webhooks/1")
	req.Header.Set(HeaderDelivery, d.ID)
	req.Header.Set(HeaderFact, fmt.Sprint(d.Fact.ID))
	req.Header.Set(HeaderKind, d.Fact.Kind)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(ts))
	req.Header.Set(HeaderSignature, SignatureHeader(ts, body, secrets...))
	resp, err := w.opts.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("the endpoint answered %s", resp.Status)
	}
	return nil
}
