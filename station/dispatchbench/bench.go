// Package dispatchbench is the dispatch bench: the dispatch workflow
// (station/dispatch) on a station, with the parcels and pickups its store
// knows, the manifest its commit queues when a pickup closes, and its
// session record. It registers itself as station.BenchDispatch.
package dispatchbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/workflow"
)

func init() {
	station.Register(station.BenchDispatch, func(k *station.Kit) (station.Bench, error) {
		if k.Opts.Dispatch.Printer == "" {
			k.Log.Warn("dispatch bench without a printer: closing a pickup will refuse")
		}
		return &Bench{kit: k, store: k.Store, opts: k.Opts.Dispatch}, nil
	})
	station.RegisterRole(station.BenchDispatch, floor.RoleLoader)
}

// Bench is a dispatch bench. Only the station's Serve goroutine uses it.
type Bench struct {
	kit   *station.Kit
	store *store.Store
	opts  station.DispatchOptions
	state dispatch.State
}

// Snapshot is the bench's state as an outcome of a: its State is the
// dispatch.State, which the bench's page reads.
func (b *Bench) Snapshot(a station.Action) station.Outcome {
	return station.Outcome{Action: a, Bench: station.BenchDispatch, State: b.state}
}

// WaitsForBadge: nobody is signed in (a supervisor's badge opens their
// bench here, station.Login).
func (b *Bench) WaitsForBadge() bool { return b.state.Step == dispatch.StepLogin || b.state.Step == "" }

// State is the bench's current state (same caveats as station.State).
func (b *Bench) State() dispatch.State { return b.state }

// Load restores the bench from its session row, and the open pickup from
// the store's pickup tables, which are the truth of what is loaded: a
// restart mid-pickup resumes it with every parcel loaded before.
func (b *Bench) Load(ctx context.Context) error {
	st := dispatch.State{Step: dispatch.StepLogin}
	sess, err := b.store.LoadSession(ctx)
	if err != nil {
		return err
	}
	switch {
	case sess.Bench == string(station.BenchDispatch) && len(sess.Pending) > 0:
		if err := json.Unmarshal(sess.Pending, &st); err != nil {
			return fmt.Errorf("the saved dispatch bench state: %w", err)
		}
		if st.Step == dispatch.StepPIN || st.Step == "" {
			st.Step, st.Badge = dispatch.StepLogin, ""
		}
		if st.Operator.Badge != "" {
			op, err := b.store.Operator(ctx, st.Operator.Badge)
			if err != nil {
				return err
			}
			// The operator was removed, or may no longer load here (the
			// station's roles changed): log in again; the pickup stays open.
			if op == nil || !op.Has(dispatch.Role(op)) || !b.kit.RoleAllowed(dispatch.Role(op)) {
				st = dispatch.State{Step: dispatch.StepLogin, Closed: st.Closed}
			} else {
				st.Operator = *op
			}
		}
		if st.Pickup.ID != "" {
			p, err := b.store.Pickup(ctx, st.Pickup.ID)
			if err != nil {
				return err
			}
			if p == nil || !p.Open {
				st.Pickup = dispatch.Pickup{}
				if st.Step == dispatch.StepLoad {
					st.Step = dispatch.StepCarrier
				}
			} else {
				st.Pickup = pickupOf(p)
			}
		}
	case sess.Operator != "":
		b.kit.Log.Warn("the saved session is another bench's; this bench dispatches: log in again", "bench", sess.Bench, "operator", sess.Operator)
	}
	b.state = st
	return b.carriers(ctx)
}

// carriers reads the carriers the loader chooses from into the state.
func (b *Bench) carriers(ctx context.Context) error {
	cs, err := b.store.DispatchCarriers(ctx, b.opts.Carrier)
	if err != nil {
		return err
	}
	b.state.Carriers = cs
	return nil
}

func pickupOf(p *store.Pickup) dispatch.Pickup {
	out := dispatch.Pickup{ID: p.ID, Carrier: p.Carrier}
	for _, x := range p.Parcels {
		out.Parcels = append(out.Parcels, dispatch.Parcel{SSCC: x.SSCC, Order: x.Order, Shipment: x.Shipment})
	}
	return out
}

// Handle runs one input through the dispatch workflow and commits it.
//
// A parcel is judged on its order's standing (holds, a cancellation) as
// read with the store's standing version; the commit checks inside its
// transaction that the version has not moved since, else the input runs
// again on the fresh standing: no parcel is loaded past a hold the store
// already held, and no pickup closes with one on board.
func (b *Bench) Handle(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	if a.Refresh || a.Office {
		if err := b.carriers(ctx); err != nil {
			b.kit.Log.Warn("reading the carriers", "err", err)
		}
		return b.Snapshot(a)
	}
	st := b.state
	secret := st.Step == dispatch.StepPIN
	var (
		res       dispatch.Result
		committed []floor.Event
		err       error
	)
	for attempt := 0; ; attempt++ {
		var version int64
		if version, err = b.store.StandingVersion(ctx); err != nil {
			break
		}
		var in dispatch.Input
		if in, err = b.resolve(ctx, st, a, now); err != nil {
			break
		}
		res = dispatch.Apply(st, in)
		check := int64(-1)
		if in.Parcel != nil || in.Loaded != nil { // a load, or a close that judged what is on board
			check = version
		}
		committed, err = b.commit(ctx, now, res, check)
		if !errors.Is(err, store.ErrStandingMoved) || attempt == 3 {
			break
		}
	}
	if secret {
		a.Scan.Data = "****" // a typed PIN goes no further than the workflow
	}
	var no *refusal
	if errors.As(err, &no) {
		// The station could not do what the workflow asked (no printer):
		// refused, journaled, nothing else changes.
		res = dispatch.Result{State: st, Events: []floor.Event{floor.NewEvent(floor.EvScanRejected, st.Operator.Badge, floor.RejectPayload{
			Step: string(st.Step), Input: floor.Printable(a.Scan.Data), Kind: string(barcode.KindCommand), Reason: no.why})},
			Feedback: floor.Feedback{Level: floor.Error, Message: no.why}}
		committed, err = b.store.Commit(ctx, now, res.Events, session(st))
	}
	if err != nil {
		return b.kit.Failed(b.Snapshot(a), err)
	}
	b.state = res.State
	if err := b.carriers(ctx); err != nil { // recorded already: the list is only for choosing
		b.kit.Log.Warn("reading the carriers", "err", err)
	}
	b.kit.Recorded(a, committed, res.Feedback)
	for _, ev := range committed {
		if ev.Type == floor.EvDispatchPickupClosed {
			b.kit.Log.Info(string(ev.Type), "seq", ev.Seq, "payload", string(ev.Payload))
			if b.opts.Kick != nil { // the manifest waits in the print queue
				b.opts.Kick()
			}
		}
	}
	o := b.Snapshot(a)
	o.Feedback, o.Events = res.Feedback, committed
	return o
}

// resolve interprets a scan and looks up what it names: the badge's
// operator, the parcel an SSCC names, the chosen carrier's open pickup.
func (b *Bench) resolve(ctx context.Context, st dispatch.State, a station.Action, now time.Time) (in dispatch.Input, err error) {
	in = dispatch.Input{Command: a.Command, Allowed: b.kit.RoleAllowed}
	if a.Command == "" {
		in.Scan = b.kit.Meaning(a.Scan)
	}
	if st.Step == dispatch.StepLoad && workflow.CommandOf(in.Command, in.Scan) == floor.CmdClosePickup {
		in.Loaded, err = b.loaded(ctx, st.Pickup)
		return in, err
	}
	if a.Command != "" {
		return in, nil
	}
	m := in.Scan
	sscc, isParcel := dispatch.SSCC(m) // typed bare, an SSCC reads as a bad GS1 string: see SSCC
	switch {
	case st.Step == dispatch.StepPIN:
		in.Operator, err = b.store.Operator(ctx, st.Badge)
		return in, err
	case m.Err == nil && m.Kind == barcode.KindBadge:
		in.Operator, err = b.store.Operator(ctx, m.Code)
		return in, err
	case !st.LoggedIn() || (m.Err != nil && !isParcel) || m.Kind == barcode.KindCommand:
		return in, nil
	}
	carrier := ""
	if isParcel {
		p, err := b.store.Parcel(ctx, sscc, b.opts.Carrier)
		if err != nil {
			return in, err
		}
		if p == nil {
			in.LastPull, err = b.lastPull(ctx, now)
			return in, err
		}
		in.Parcel = factsOf(p)
		carrier = p.Carrier
	} else if st.Step == dispatch.StepCarrier {
		carrier, _ = dispatch.Carrier(m, st.Carriers)
	}
	if st.Step != dispatch.StepCarrier || carrier == "" {
		return in, nil
	}
	open, err := b.store.OpenPickup(ctx, carrier)
	if err != nil {
		return in, err
	}
	if open != nil {
		p := pickupOf(open)
		in.Open = &p
	}
	in.NewPickup, err = b.store.PeekPickup(ctx)
	return in, err
}

// factsOf is what the dispatch workflow knows of a parcel.
func factsOf(p *store.Parcel) *dispatch.Facts {
	return &dispatch.Facts{SSCC: p.SSCC, Order: p.Order, Shipment: p.Shipment, Carrier: p.Carrier,
		ShipmentStatus: p.ShipmentStatus, OrderStatus: p.Standing.Status, Holds: p.Standing.Holds,
		OnPickup: p.Pickup, OnPickupCarrier: p.PickupCarrier, Left: p.Left}
}

// loaded is what the store knows now of each parcel on the open pickup:
// news since a parcel was loaded (a hold, a cancellation, a void) stops
// the pickup from closing with it.
func (b *Bench) loaded(ctx context.Context, p dispatch.Pickup) (map[string]*dispatch.Facts, error) {
	facts := map[string]*dispatch.Facts{}
	for _, x := range p.Parcels {
		sp, err := b.store.Parcel(ctx, x.SSCC, b.opts.Carrier)
		if err != nil {
			return nil, err
		}
		if sp != nil {
			facts[x.SSCC] = factsOf(sp)
		}
	}
	return facts, nil
}

// lastPull says when this bench last heard from the hub, for an SSCC it
// knows nothing of (a parcel packed on another station arrives with a
// pull).
func (b *Bench) lastPull(ctx context.Context, now time.Time) (string, error) {
	st, err := b.store.SyncState(ctx)
	if err != nil {
		return "", err
	}
	return workflow.LastPull(!st.LastPull.IsZero(), now.Sub(st.LastPull)), nil
}

// refusal is a station-side reason not to do what the workflow asked: it
// is recorded as a rejection and shown, and nothing else changes.
type refusal struct{ why string }

func (r *refusal) Error() string { return r.why }

// commit records the workflow's events and the bench's session; a closed
// pickup's manifest is rendered and queued in the same transaction, so it
// prints exactly when the pickup closed.
func (b *Bench) commit(ctx context.Context, now time.Time, res dispatch.Result, check int64) ([]floor.Event, error) {
	return b.store.CommitAtStanding(ctx, now, session(res.State), check, func(tx *store.Tx) ([]floor.Event, error) {
		out := make([]floor.Event, 0, len(res.Events))
		for _, ev := range res.Events {
			if ev.Type == floor.EvDispatchPickupClosed {
				var err error
				if ev, err = b.manifest(tx, now, ev); err != nil {
					return nil, err
				}
			}
			out = append(out, ev)
		}
		return out, nil
	})
}

// manifest renders and queues the closed pickup's manifest, and puts its
// print job in the event.
func (b *Bench) manifest(tx *store.Tx, now time.Time, ev floor.Event) (floor.Event, error) {
	if b.opts.Printer == "" {
		return ev, &refusal{"NOT CLOSED: this bench has no printer for the manifest. The pickup stays open; call a supervisor"}
	}
	var p floor.DispatchClosedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return ev, err
	}
	ls, err := labels.Manifest(labels.ManifestData{Pickup: p.Pickup, Carrier: p.Carrier, Station: b.store.Station(),
		Closed: now.Format("2006-01-02 15:04"), SSCCs: p.SSCCs})
	if err != nil {
		return ev, &refusal{"NOT CLOSED: the manifest does not print: " + floor.Printable(err.Error()) + ". The pickup stays open; call a supervisor"}
	}
	zpl, err := labels.ZPLPages(ls, b.opts.DPI)
	if err != nil {
		return ev, &refusal{"NOT CLOSED: " + floor.Printable(err.Error())}
	}
	if p.Job, err = tx.Enqueue(now, store.NewPrintJob{Printer: b.opts.Printer, Kind: floor.LabelDocument, Ref: p.Pickup, ZPL: zpl}); err != nil {
		return ev, err
	}
	ev.Payload = floor.NewEvent(ev.Type, ev.Operator, p).Payload
	return ev, nil
}

// session is the bench's session record. The pickup's parcels are not in
// it: they are in the pickup tables, written with each parcel's event, and
// Load reads them from there, so a long pickup does not rewrite them all
// at every scan.
func session(st dispatch.State) *store.Session {
	st.Pickup.Parcels = nil
	p, _ := json.Marshal(st) // plain data: cannot fail
	return &store.Session{Bench: string(station.BenchDispatch), Operator: st.Operator.Badge, Step: string(st.Step), Pending: p}
}
