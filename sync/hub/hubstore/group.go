package hubstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/totewms/tote/sync/hub"
)

// Group commit. The writer is one connection and each commit waits for
// its fsync (synchronous=FULL); under many stations most of a push's
// time at the writer was its commit: the WAL frames of the pages every
// push writes (the database header, the aggregates' version, the feed's
// sequence, the indexes' inner pages) and the sync. Pushes that queue
// while the writer is busy are run by one of them, each inside its own
// savepoint, and committed together: a push whose work fails is rolled
// back to its savepoint alone, and every push of the group is answered
// only once the commit holding it is durable, so a station is told OK
// exactly as before. A push that finds the writer free runs alone, in a
// transaction of its own, as before.

// groupMax is the most write transactions one commit holds. With 50
// stations pushing at once, 32 took the hub from 34 commits to 23 per
// 500 pushes and 45.4k to 47.4k events/s (median of 12 runs each,
// BenchmarkIngest50Stations, alternated); a push then waits for at most
// 31 others' work (about 4 ms each at 200 events) before its commit.
const groupMax = 32

// errGroupAborted answers the pushes of a group whose transaction SQLite
// gave up (a failure that rolls the whole transaction back): nothing of
// the group was committed.
var errGroupAborted = errors.New("the write transaction was rolled back with another in the same commit")

// writeGroup is the queue of write transactions waiting for the writer.
type writeGroup struct {
	mu      sync.Mutex
	queue   []*groupCall
	leading bool // a call is running the writer's next group
}

// groupCall is one Tx call: its work, and where its answer goes.
type groupCall struct {
	ctx  context.Context
	fn   func(hub.StoreTx) error
	done chan error    // the call's result, once its commit is durable
	turn chan struct{} // this call now runs the next group
}

// run queues fn and returns its result: the call that finds nobody
// leading runs a group (its own call first), and hands the lead to the
// first call still queued when it is done.
func (g *writeGroup) run(ctx context.Context, s *SQLite, fn func(hub.StoreTx) error) error {
	c := &groupCall{ctx: ctx, fn: fn, done: make(chan error, 1), turn: make(chan struct{}, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		select {
		case err := <-c.done:
			return err
		case <-c.turn:
		}
	}
	g.lead(s)
	return <-c.done
}

// lead runs the calls queued now, up to groupMax, in one transaction,
// then passes the lead on.
func (g *writeGroup) lead(s *SQLite) {
	g.mu.Lock()
	n := min(len(g.queue), groupMax)
	calls := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()
	defer func() { // on, even when a call's work panicked
		g.mu.Lock()
		if len(g.queue) > 0 {
			g.queue[0].turn <- struct{}{}
		} else {
			g.leading = false
		}
		g.mu.Unlock()
	}()
	s.commitGroup(calls)
}

// commitGroup runs calls in one transaction and answers each.
func (s *SQLite) commitGroup(calls []*groupCall) {
	s.commits.Add(1)
	if len(calls) == 1 { // alone: a transaction of its own
		c := calls[0]
		t := &storeTx{ctx: c.ctx, s: s, write: true}
		err := s.db.Write(c.ctx, func(tx *sql.Tx) error {
			t.tx = tx
			if err := c.fn(t); err != nil {
				return err
			}
			return t.sendHeld() // before the commit
		})
		s.keep(c.ctx, t.met)
		c.done <- err
		return
	}
	answered := false
	defer func() { // a call's work panicked: none of the group committed
		if !answered {
			for _, c := range calls {
				select {
				case c.done <- errGroupAborted:
				default:
				}
			}
		}
	}()
	// The group's transaction is no one call's: a station that hangs
	// up must not take the others' work with it. A call whose context
	// ended while it waited is answered without running.
	ctx := context.WithoutCancel(calls[0].ctx)
	results := make([]error, len(calls))
	bound := map[string]*sql.Stmt{}
	var met []string
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		for i, c := range calls {
			if err := c.ctx.Err(); err != nil {
				results[i] = err
				continue
			}
			if _, err := tx.ExecContext(ctx, "SAVEPOINT push"); err != nil {
				return err
			}
			t := &storeTx{ctx: ctx, s: s, tx: tx, write: true, bound: bound}
			err := c.fn(t)
			if err == nil {
				err = t.sendHeld()
			}
			met = append(met, t.met...)
			if err != nil {
				results[i] = err
				// Only this call's work goes; should SQLite have rolled
				// the whole transaction back, the group ends here.
				if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO push"); rerr != nil {
					return fmt.Errorf("%w: %w", errGroupAborted, err)
				}
			}
			if _, err := tx.ExecContext(ctx, "RELEASE push"); err != nil {
				return fmt.Errorf("%w: %w", errGroupAborted, err)
			}
		}
		return nil
	})
	s.keep(ctx, met)
	answered = true
	for i, c := range calls {
		if err != nil && results[i] == nil || errors.Is(err, errGroupAborted) {
			results[i] = err
		}
		c.done <- results[i]
	}
}
