// Package returnsbench is the returns bench: the returns workflow
// (station/returns) on a station, with the shipped orders the hub sends
// (store.Returnable), the site's items and locations, and its session
// record. It registers itself as Name, for the returns clerk's role.
package returnsbench

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/workflow"
)

// Name is the returns bench's name ([station] bench = "returns").
const Name station.BenchName = "returns"

func init() {
	station.Register(Name, func(k *station.Kit) (station.Bench, error) {
		return &Bench{kit: k, store: k.Store}, nil
	})
	// Returns is a role packers often have too: a station is a returns
	// bench by its roles only when they name no other bench's.
	station.RegisterMinorRole(Name, floor.RoleReturns)
}

// Bench is a returns bench. Only the station's Serve goroutine uses it.
type Bench struct {
	kit   *station.Kit
	store *store.Store
	state returns.State
}

// Snapshot is the bench's state as an outcome of a: its State is the
// returns.State, which the bench's page reads.
func (b *Bench) Snapshot(a station.Action) station.Outcome {
	return station.Outcome{Action: a, Bench: Name, State: b.state}
}

// WaitsForBadge: nobody is signed in (a supervisor's badge opens their
// bench here, station.Login).
func (b *Bench) WaitsForBadge() bool { return b.state.Step == returns.StepLogin || b.state.Step == "" }

// State is the bench's current state.
func (b *Bench) State() returns.State { return b.state }

// Load restores the bench from its session row: a return left open
// resumes with every unit recorded (they are in the session, written in
// the commit of each unit's event).
func (b *Bench) Load(ctx context.Context) error {
	st := returns.State{Step: returns.StepLogin}
	sess, err := b.store.LoadSession(ctx)
	if err != nil {
		return err
	}
	switch {
	case sess.Bench == string(Name) && len(sess.Pending) > 0:
		if err := json.Unmarshal(sess.Pending, &st); err != nil {
			return fmt.Errorf("the saved returns bench state: %w", err)
		}
		if st.Step == returns.StepPIN || st.Step == "" {
			st.Step, st.Badge = returns.StepLogin, ""
		}
		if st.Operator.Badge != "" {
			op, err := b.store.Operator(ctx, st.Operator.Badge)
			if err != nil {
				return err
			}
			// Removed, or may no longer take returns here: log in again;
			// the return stays open.
			if op == nil || !op.Has(floor.RoleReturns) || !b.kit.RoleAllowed(floor.RoleReturns) {
				st = returns.State{Step: returns.StepLogin, Return: st.Return, Hand: st.Hand, Last: st.Last}
			} else {
				st.Operator = *op
			}
		}
	case sess.Operator != "":
		b.kit.Log.Warn("the saved session is another bench's; this bench takes returns: log in again", "bench", sess.Bench, "operator", sess.Operator)
	}
	b.state = st
	return nil
}

// Handle runs one input through the returns workflow and commits it.
func (b *Bench) Handle(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	if a.Refresh || a.Office {
		return b.Snapshot(a)
	}
	st := b.state
	secret := st.Step == returns.StepPIN
	in, err := b.resolve(ctx, st, a, now)
	if err != nil {
		return b.kit.Failed(b.Snapshot(a), err)
	}
	res := returns.Apply(st, in)
	committed, err := b.store.Commit(ctx, now, res.Events, session(res.State))
	if secret {
		a.Scan.Data = workflow.Masked // a typed PIN goes no further than the workflow
	}
	if err != nil {
		return b.kit.Failed(b.Snapshot(a), err)
	}
	b.state = res.State
	b.kit.Recorded(a, committed, res.Feedback)
	o := b.Snapshot(a)
	o.Feedback, o.Events = res.Feedback, committed
	return o
}

// resolve interprets a scan and looks up what it names at the step: the
// badge's operator, the shipped order an order number or SSCC names, the
// item of a GTIN or SKU, the location.
func (b *Bench) resolve(ctx context.Context, st returns.State, a station.Action, now time.Time) (in returns.Input, err error) {
	in = returns.Input{Command: a.Command, Allowed: b.kit.RoleAllowed}
	if a.Command == "" {
		in.Scan = b.kit.Meaning(a.Scan)
	}
	m := in.Scan
	switch {
	case a.Command != "" || m.Kind == barcode.KindCommand:
		return in, nil
	case st.Step == returns.StepPIN:
		in.Operator, err = b.store.Operator(ctx, st.Badge)
		return in, err
	case m.Err == nil && m.Kind == barcode.KindBadge:
		in.Operator, err = b.store.Operator(ctx, m.Code)
		return in, err
	case !st.LoggedIn():
		return in, nil
	}
	switch st.Step {
	case returns.StepOrder:
		return b.order(ctx, in, now)
	case returns.StepItem:
		in.Item, err = b.item(ctx, m)
	case returns.StepLocation:
		if m.Err == nil && m.Kind == barcode.KindLocation {
			var l *floor.Location
			l, err = b.store.Location(ctx, m.Code)
			in.Location = l != nil
		}
	}
	return in, err
}

// order resolves the order step's scan: an order number, or a parcel's
// SSCC (its (00) barcode, or the 18 digits typed).
func (b *Bench) order(ctx context.Context, in returns.Input, now time.Time) (returns.Input, error) {
	m := in.Scan
	if m.Kind == barcode.KindRMA && m.Err == nil {
		return in, nil
	}
	named := m.SSCC
	if named == "" {
		if m.Err == nil && m.Kind != barcode.KindUnknown && m.Kind != barcode.KindOrder && m.Kind != barcode.KindGTIN && m.Kind != barcode.KindGS1 {
			return in, nil // a location, a tote, …: the workflow says what it wants
		}
		named = strings.ReplaceAll(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.Input), "(00)")), " ", "")
	}
	if named == "" || floor.CheckCode("order", named, 64) != nil {
		return in, nil
	}
	in.Named = named
	r, sscc, err := b.store.Returnable(ctx, named)
	if err != nil {
		return in, err
	}
	if sscc {
		in.SSCC = named
	}
	if r == nil {
		st, err := b.store.SyncState(ctx)
		if err != nil {
			return in, err
		}
		in.LastPull = workflow.LastPull(!st.LastPull.IsZero(), now.Sub(st.LastPull))
		return in, nil
	}
	o := &returns.Shipped{Order: r.Order, SSCCs: r.SSCCs}
	if r.Cancelled {
		o.Status = string(floor.OrderCancelled)
	}
	for _, l := range r.Lines {
		name := ""
		if it, err := b.store.ItemBySKU(ctx, l.SKU); err != nil {
			return in, err
		} else if it != nil {
			name = it.Description
		}
		o.Lines = append(o.Lines, returns.Line{Line: l.Line, SKU: l.SKU, Name: name, Shipped: l.Shipped, Returned: l.Returned})
	}
	in.Order = o
	in.NewReturn, err = b.store.PeekReturn(ctx)
	return in, err
}

// item is the site's item a scan names: by GTIN (a GS1 or EAN/UPC scan),
// else by SKU typed or scanned as plain text; nil when none.
func (b *Bench) item(ctx context.Context, m barcode.Meaning) (*floor.Item, error) {
	if m.Err != nil {
		return nil, nil
	}
	if m.GTIN != "" {
		return b.store.ItemByGTIN(ctx, m.GTIN)
	}
	if m.Kind != barcode.KindUnknown {
		return nil, nil
	}
	t := strings.TrimSpace(m.Input)
	if t == "" || floor.CheckCode("SKU", t, 64) != nil {
		return nil, nil
	}
	return b.store.ItemBySKU(ctx, t)
}

// session is the bench's session record: the whole state, the return
// open and the unit in hand.
func session(st returns.State) *store.Session {
	p, _ := json.Marshal(st) // plain data: cannot fail
	return &store.Session{Bench: string(Name), Operator: st.Operator.Badge, Step: string(st.Step), Pending: p}
}
