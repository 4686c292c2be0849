// Package packbench is the pack bench: the pack workflow (station/pack) on
// a station, with the order snapshots and their standing for the hold
// gate, the scale, the SSCCs, tracking numbers and labels its commits
// queue, and its session record. It registers itself as station.BenchPack.
package packbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/gs1"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
)

func init() {
	station.Register(station.BenchPack, func(k *station.Kit) (station.Bench, error) {
		if k.Opts.Pack.Printer == "" {
			k.Log.Warn("pack bench without a label printer: pack complete will refuse", "printer", k.Opts.Pack.Rules.Printer)
		}
		return &Bench{kit: k, store: k.Store, opts: k.Opts.Pack, rules: Rules(k.Opts.Pack.Rules)}, nil
	})
	station.RegisterRole(station.BenchPack, floor.RolePacker)
}

// Rules are the pack workflow's rules from the configuration's [pack]
// section.
func Rules(c config.Pack) pack.Rules {
	r := pack.Rules{ConfirmQuantityAbove: c.ConfirmQuantityAbove, WeightTolerancePercent: c.WeightTolerancePercent,
		WeightToleranceGrams: c.WeightToleranceGrams, HoldingLocation: c.HoldingLocation, HazmatAlone: c.HazmatAlone}
	for _, b := range c.Boxes {
		r.Boxes = append(r.Boxes, pack.Box{Name: b.Name, Code: b.Code, LengthMM: b.LengthMM, WidthMM: b.WidthMM, HeightMM: b.HeightMM,
			TareG: b.TareG, FillFactor: b.FillFactor})
	}
	return r
}

// Bench is a pack bench. Only the station's Serve goroutine uses it, but
// for WeighRound and SetScale, which are safe from any goroutine.
type Bench struct {
	kit   *station.Kit
	store *store.Store
	opts  station.PackOptions
	rules pack.Rules
	pack  pack.State

	weigh   atomic.Uint64 // round<<1 | weighing: see WeighRound
	scaleOK atomic.Bool
	// standingRead is the last read of the order's standing.
	standingRead standingRead
	// printed are the labels the last commit queued, as filled in.
	printed []floor.PackLabelPayload
}

// Snapshot is the bench's state as an outcome of a.
func (s *Bench) Snapshot(a station.Action) station.Outcome {
	return station.Outcome{Action: a, Bench: station.BenchPack, State: s.pack}
}

// WaitsForBadge: nobody is signed in (a supervisor's badge opens their
// bench here, station.Login).
func (s *Bench) WaitsForBadge() bool { return s.pack.Step == pack.StepLogin || s.pack.Step == "" }

// Load restores the bench (see loadPack) and publishes whether it weighs.
func (s *Bench) Load(ctx context.Context) error {
	st, err := s.loadPack(ctx)
	s.pack = st
	s.noteWeighing("", st.Step)
	return err
}

// Handle runs one input: a bench has no walk to refresh (it scans its
// orders, and reads their standing at each scan).
func (s *Bench) Handle(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	if a.Refresh || a.Office {
		return s.Snapshot(a)
	}
	return s.handlePack(ctx, a, now)
}

// WeighRound says whether the pack bench waits for a weight now, and which
// weighing it is: the round goes up each time a carton comes to be weighed,
// so a scale reader sends the current stable reading once per round even if
// it did not change. Safe from any goroutine.
func (s *Bench) WeighRound() (round uint64, weighing bool) {
	r := s.weigh.Load()
	return r >> 1, r&1 == 1
}

// SetScale tells the pack bench whether its scale is connected: with a
// working scale typed weights are refused; without one the packer types
// the weight. Safe from any goroutine.
func (s *Bench) SetScale(ok bool) { s.scaleOK.Store(ok) }

// loadPack restores the pack bench from the session row, where the
// workflow's whole state is kept, and the units verified since it was
// saved (see pack.Journaled), so a restart resumes at the same unit.
func (s *Bench) loadPack(ctx context.Context) (pack.State, error) {
	st := pack.State{Step: pack.StepLogin}
	sess, err := s.store.LoadSession(ctx)
	if err != nil {
		return st, err
	}
	switch {
	case sess.Bench == string(station.BenchPack) && sess.Step != "" && len(sess.Pending) > 0:
		if err := json.Unmarshal(sess.Pending, &st); err != nil {
			return st, fmt.Errorf("the saved pack bench state: %w", err)
		}
		units, err := s.store.JournalAfter(ctx, sess.Through, floor.EvPackUnitVerified)
		if err != nil {
			return st, err
		}
		for _, ev := range units {
			if st, err = pack.Replay(st, ev); err != nil {
				return st, fmt.Errorf("resuming the pack bench: %w", err)
			}
		}
		if len(units) > 0 {
			s.kit.Log.Info("pack bench resumed with the units verified since its state was saved", "saved_through", sess.Through, "units", len(units))
		}
		if st.LoggedIn() {
			op, err := s.store.Operator(ctx, st.Operator.Badge)
			if err != nil {
				return st, err
			}
			if op == nil { // the operator was removed: log in again, the order stays
				st.Operator, st.Step, st.Pending = floor.Operator{}, pack.StepLogin, pack.Pending{}
			} else {
				st.Operator = *op
			}
		}
	case sess.Operator != "":
		s.kit.Log.Warn("the saved session is a picking session; this bench packs: log in again", "operator", sess.Operator, "step", sess.Step)
	}
	return s.withBench(ctx, st)
}

// withBench sets the state's parts that come from the station rather than
// the session: the rules, the scale, and whether the shipment was shipped.
func (s *Bench) withBench(ctx context.Context, st pack.State) (pack.State, error) {
	st.Rules = s.rules
	st.HasScale = s.scaleOK.Load()
	st.Shipped = false
	if st.Shipment != "" {
		status, err := s.store.ShipmentStatus(ctx, st.Shipment)
		if err != nil {
			return st, err
		}
		st.Shipped = status == "shipped"
	}
	return st, nil
}

// handlePack runs one input through the pack workflow and commits it, with
// the labels it asks for, in one transaction.
//
// The hold gate decides on the order's standing as last read; the commit
// checks, inside its transaction, that the store's standing version has not
// moved since. If it has (a hold or cancellation arrived meanwhile), the
// transaction is dropped and the input runs again on the fresh standing, so
// no label is ever queued past a hold the store already held.
func (s *Bench) handlePack(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	st, err := s.withBench(ctx, s.pack)
	if err != nil {
		return s.kit.Failed(s.Snapshot(a), err)
	}
	secret := st.Step == pack.StepPIN || st.Step == pack.StepSupervisorPIN
	var (
		in        pack.Input
		seed      standingRead
		res       pack.Result
		committed []floor.Event
		kick      bool
	)
	for attempt := 0; ; attempt++ {
		in, seed, err = s.resolvePack(ctx, st, a, now)
		if err != nil {
			break
		}
		res = pack.Apply(st, in)
		check := int64(-1)
		if st.Order.ID != "" {
			check = s.standingRead.version
		}
		committed, kick, err = s.commitPack(ctx, now, st, res, check)
		if !errors.Is(err, store.ErrStandingMoved) || attempt == 3 {
			break
		}
		s.standingRead = standingRead{} // read it again
	}
	if secret {
		a.Scan.Data = "****" // a typed PIN goes no further than the workflow
	}
	var no *refusal
	if errors.As(err, &no) {
		// The station could not do what the workflow asked (no printer, no
		// address, a label not printed yet): refused, journaled, nothing
		// else changes.
		res = pack.Result{State: st, Events: []floor.Event{floor.NewEvent(floor.EvScanRejected, st.Operator.Badge, floor.RejectPayload{
			Step: string(st.Step), Input: floor.Printable(a.Scan.Data), Kind: string(in.Scan.Kind), Reason: no.why})},
			Feedback: floor.Feedback{Level: floor.Error, Message: no.why}}
		committed, err = s.store.Commit(ctx, now, res.Events, sessionOfPack(st))
	}
	if err != nil {
		return s.kit.Failed(s.Snapshot(a), err)
	}
	was := s.pack.Step
	if res.State.Order.ID != "" && res.State.Order.ID != s.pack.Order.ID && res.State.Order.ID == seed.order {
		s.standingRead = seed // a new order on the bench: its snapshot's standing
	}
	s.pack = res.State
	s.noteWeighing(was, res.State.Step)
	if kick && s.opts.Kick != nil {
		s.opts.Kick()
	}
	s.kit.Recorded(a, committed, res.Feedback)
	for _, ev := range committed {
		switch ev.Type {
		case floor.EvPackHeld, floor.EvPackLabelRequested, floor.EvPackVoided, floor.EvPackOverride:
			s.kit.Log.Info(string(ev.Type), "seq", ev.Seq, "payload", string(ev.Payload))
		}
	}
	o := s.Snapshot(a)
	o.Feedback, o.Events = res.Feedback, committed
	if no == nil {
		o.Labels = s.printed
	}
	switch {
	case slices.ContainsFunc(committed, func(ev floor.Event) bool { return ev.Type == floor.EvPackStarted }):
		o.Named = []string{floor.Printable(a.Scan.Data), res.State.Order.ID}
	case (st.Step == pack.StepOrder || st.Step == pack.StepDone) &&
		slices.ContainsFunc(committed, func(ev floor.Event) bool { return ev.Type == floor.EvScanRejected }):
		o.Named = []string{floor.Printable(a.Scan.Data)}
	}
	return o
}

// noteWeighing publishes whether a carton waits for its weight, and starts
// a new round each time one comes to the scale (see WeighRound).
func (s *Bench) noteWeighing(was, now pack.Step) {
	weighing := now == pack.StepWeigh || now == pack.StepMismatch
	r := s.weigh.Load() >> 1
	if now == pack.StepWeigh && was != pack.StepWeigh {
		r++
	}
	v := r << 1
	if weighing {
		v |= 1
	}
	s.weigh.Store(v)
}

// resolvePack interprets a scan and looks up what it names, and passes the
// order's latest standing for the hold gate.
//
// seed is the standing an order snapshot carried, when the scan named an
// order: read at that version, it serves the hold gate once the order is on
// the bench.
func (s *Bench) resolvePack(ctx context.Context, st pack.State, a station.Action, now time.Time) (in pack.Input, seed standingRead, err error) {
	in = pack.Input{Command: a.Command, Weight: a.Weight, Today: now, RoleAllowed: s.kit.RoleAllowed(floor.RolePacker)}
	if st.Order.ID != "" {
		standing, err := s.standing(ctx, st.Order.ID)
		if err != nil {
			return in, seed, err
		}
		in.Standing = &standing
	}
	if a.Command != "" || a.Weight != nil {
		return in, seed, nil
	}
	var m barcode.Meaning
	if a.Scan.Problem == "" && strings.TrimSpace(a.Scan.Data) == "" {
		// Enter on an empty line: the workflow takes it as "yes" where a
		// prompt confirms something (the suggested box, a held order).
		m = barcode.Meaning{Kind: barcode.KindUnknown}
	} else {
		m = s.kit.Meaning(a.Scan)
	}
	in.Scan = m
	switch {
	case st.Step == pack.StepPIN || st.Step == pack.StepSupervisorPIN:
		in.Operator, err = s.store.Operator(ctx, st.Pending.Badge)
	case m.Err != nil:
	case m.Kind == barcode.KindBadge:
		in.Operator, err = s.store.Operator(ctx, m.Code)
	case m.Kind == barcode.KindTote || m.Kind == barcode.KindOrder:
		if st.Step != pack.StepOrder && st.Step != pack.StepDone {
			break
		}
		id := m.Code
		if m.Kind == barcode.KindTote {
			var ti store.ToteInfo
			if ti, err = s.store.ToteInfo(ctx, m.Code); err != nil {
				break
			}
			if !ti.Known {
				in.UnknownTote, err = s.unknownTote(ctx, now)
				break
			}
			if id = ti.Order; id == "" {
				if ti.Freed != "" {
					in.FreedTote = &pack.FreedTote{Order: floor.Printable(ti.Freed), By: ti.FreedBy}
				}
				break
			}
		}
		// The snapshot carries the order's standing: read at this version,
		// it serves the hold gate until the version moves (see standing).
		var v int64
		if v, err = s.store.StandingVersion(ctx); err != nil {
			break
		}
		if in.Order, err = s.store.PackOrder(ctx, id); err == nil && in.Order != nil {
			seed = standingRead{order: id, version: v,
				standing: floor.OrderStanding{Status: in.Order.Status, Holds: in.Order.Holds, GroupOpen: in.Order.GroupOpen}}
		}
	case m.GTIN != "":
		if !slices.ContainsFunc(st.Order.Lines, func(l floor.PackLine) bool { return l.HasGTIN(m.GTIN) }) {
			in.Item, err = s.store.ItemByGTIN(ctx, m.GTIN)
		}
	case m.Kind == barcode.KindUnknown && (st.Step == pack.StepVerify || st.Step == pack.StepCount):
		// Only for the "wrong item" message: the order's own SKUs and the
		// box codes the workflow knows itself.
		code := strings.TrimSpace(m.Input)
		if _, box := st.Box(code); !box && !slices.ContainsFunc(st.Order.Lines, func(l floor.PackLine) bool { return floor.SameSKU(l.SKU, code) }) {
			in.Item, err = s.store.ItemBySKU(ctx, code)
		}
	}
	return in, seed, err
}

// standing is the order's standing for the hold gate: the last read of it,
// which the commit then checks is still current (see handlePack), or a new
// read. The version is read first: a change committed between the two
// reads moves it again, so the commit's check catches it.
func (s *Bench) standing(ctx context.Context, order string) (floor.OrderStanding, error) {
	if c := s.standingRead; c.order == order {
		return c.standing, nil
	}
	v, err := s.store.StandingVersion(ctx)
	if err != nil {
		return floor.OrderStanding{}, err
	}
	st, err := s.store.OrderStanding(ctx, order)
	if err != nil {
		return st, err
	}
	s.standingRead = standingRead{order: order, version: v, standing: st}
	return st, nil
}

type standingRead struct {
	order    string
	version  int64
	standing floor.OrderStanding
}

// refusal is a station-side reason not to do what the workflow asked: it
// is recorded as a rejection and shown, and nothing else changes.
type refusal struct{ why string }

func (r *refusal) Error() string { return r.why }

// commitPack commits the workflow's events and the bench's state (unless
// the one event records the change: a verified unit, which a restart
// replays, see pack.Journaled). Labels the workflow asks for get their
// SSCC and tracking number from the station's counters, are rendered and
// queued in the same transaction, so a label exists exactly when the fact
// that asked for it does. kick says labels were queued.
func (s *Bench) commitPack(ctx context.Context, now time.Time, before pack.State, res pack.Result, check int64) (committed []floor.Event, kick bool, err error) {
	s.printed = nil
	if pack.Journaled(before, res) {
		committed, err = s.store.CommitAtStanding(ctx, now, &store.Session{Journaled: true}, check, func(*store.Tx) ([]floor.Event, error) {
			return res.Events, nil
		})
		return committed, false, err
	}
	sess := sessionOfPack(res.State)
	labelled := slices.ContainsFunc(res.Events, func(ev floor.Event) bool {
		return ev.Type == floor.EvPackLabelRequested || ev.Type == floor.EvPackReprintRequested
	})
	if !labelled {
		committed, err = s.store.CommitAtStanding(ctx, now, sess, check, func(*store.Tx) ([]floor.Event, error) {
			return res.Events, nil
		})
		return committed, false, err
	}
	o := res.State.Order
	var to store.ShipTo
	var carrier []store.CarrierLabel
	if slices.ContainsFunc(res.Events, func(ev floor.Event) bool { return ev.Type == floor.EvPackLabelRequested }) {
		if s.opts.Printer == "" {
			return nil, false, &refusal{"NO LABEL: this bench has no label printer configured. Nothing was shipped; call a supervisor"}
		}
		if to, err = s.store.OrderShipTo(ctx, o.ID); err != nil {
			return nil, false, err
		}
		if carrier, err = s.store.CarrierLabels(ctx, o.ID); err != nil {
			return nil, false, err
		}
		// The carrier's label carries the address; tote's prints only beside it.
		ownLabel := len(carrier) == 0 || s.opts.Rules.CarrierLabels == config.CarrierLabelsBeside
		if to.Address.IsZero() && ownLabel {
			return nil, false, &refusal{fmt.Sprintf("NO LABEL: order %s has no ship-to address from the office. Nothing was shipped; set it aside (CMD:CANCEL) and call a supervisor", floor.Printable(o.ID))}
		}
	}
	committed, err = s.store.CommitAtStanding(ctx, now, sess, check, func(tx *store.Tx) ([]floor.Event, error) {
		return s.labelEvents(tx, now, res.Events, to, carrier)
	})
	return committed, err == nil, err
}

// labelEvents fills in and queues the labels res asks for, inside tx.
// An order that came with carrier labels prints carton n's carrier label
// (in the order they arrived), and its tracking number is the carton's;
// tote's GS1 label prints beside it only when [pack] carrier_labels says
// so. Otherwise the bench makes the tracking number up (the hub reports it
// as the station's).
func (s *Bench) labelEvents(tx *store.Tx, now time.Time, events []floor.Event, to store.ShipTo, carrierLabels []store.CarrierLabel) ([]floor.Event, error) {
	rules := s.opts.Rules
	carrier, service := rules.Carrier, rules.Service
	if to.Carrier != "" {
		carrier, service = to.Carrier, to.Service
		if service == "" {
			service = rules.Service
		}
	}
	out := make([]floor.Event, 0, len(events)+1)
	var printed []floor.PackLabelPayload
	master := ""
	number := 0
	for _, ev := range events {
		switch ev.Type {
		case floor.EvPackLabelRequested:
			var p floor.PackLabelPayload
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return nil, err
			}
			// The hub's station number keeps this bench's SSCCs and
			// tracking numbers apart from every other bench's; without
			// it a label could repeat another's, so none is printed.
			if number == 0 {
				var err error
				if number, err = tx.StationNumber(); err != nil {
					return nil, err
				}
				if number == 0 {
					return nil, &refusal{"NO LABEL: this bench has no station number from the hub yet, and without one its SSCCs could repeat another bench's. Nothing was shipped; check the bench reaches the hub (tote doctor) and try again once it has synced"}
				}
			}
			serial, err := tx.Next(store.CounterSSCC)
			if err != nil {
				return nil, err
			}
			if p.SSCC, err = labels.StationSSCC(rules.GS1CompanyPrefix, rules.SSCCExtension, number, serial); err != nil {
				return nil, &refusal{"NO LABEL: " + err.Error() + ". Call a supervisor: the SSCC range of this bench is used up or misconfigured"}
			}
			cl, err := cartonCarrierLabel(carrierLabels, p)
			if err != nil {
				return nil, err
			}
			cartonCarrier, cartonService := carrier, service
			if cl != nil {
				p.Tracking, p.Carrier = cl.Tracking, cl.Carrier
				cartonCarrier, cartonService = orElse(cl.Carrier, carrier), orElse(cl.Service, service)
			} else {
				n, err := tx.Next(store.CounterTracking)
				if err != nil {
					return nil, err
				}
				p.Tracking = TrackingNumber(rules.TrackingPrefix, number, n)
			}
			if master == "" {
				master = p.Tracking
			}
			if cl != nil {
				if p.Job, err = tx.Enqueue(now, store.NewPrintJob{Printer: s.opts.Printer, Kind: floor.LabelShipping, Ref: p.Shipment, ZPL: []byte(cl.Data)}); err != nil {
					return nil, err
				}
				if rules.CarrierLabels != config.CarrierLabelsBeside {
					ev.Payload = floor.NewEvent(ev.Type, ev.Operator, p).Payload
					printed = append(printed, p)
					break
				}
			}
			lbl, err := labels.Shipping(labels.ShippingData{
				ShipFrom: rules.ShipFrom, ShipTo: to.Address,
				Carrier: cartonCarrier, Service: cartonService, TrackingNumber: p.Tracking, OrderNumber: p.Order,
				Carton: p.Carton, Cartons: p.Cartons, Weight: labels.Weight{Value: math.Round(p.WeightG) / 1000, Unit: "kg"}, SSCC: p.SSCC,
			})
			if err != nil {
				return nil, &refusal{fmt.Sprintf("NO LABEL for order %s: %v. Nothing was shipped; call a supervisor", floor.Printable(p.Order), floor.Printable(err.Error()))}
			}
			zpl, err := labels.ZPL(lbl, s.opts.DPI)
			if err != nil {
				return nil, &refusal{"NO LABEL: " + err.Error()}
			}
			job, err := tx.Enqueue(now, store.NewPrintJob{Printer: s.opts.Printer, Kind: floor.LabelShipping, Ref: p.Shipment, ZPL: zpl})
			if err != nil {
				return nil, err
			}
			if p.Job == 0 { // beside a carrier label, the carton's job stays the carrier's
				p.Job = job
			}
			ev.Payload = floor.NewEvent(ev.Type, ev.Operator, p).Payload
			printed = append(printed, p)
		case floor.EvPackShipmentCompleted:
			var p floor.PackShipmentPayload
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return nil, err
			}
			p.Tracking = master
			ev.Payload = floor.NewEvent(ev.Type, ev.Operator, p).Payload
		case floor.EvPackReprintRequested:
			var p floor.PackReprintPayload
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return nil, err
			}
			copied, err := s.reprintCarton(tx, now, p)
			if err != nil {
				return nil, err
			}
			out = append(out, ev)
			ev = floor.NewEvent(floor.EvLabelReprinted, ev.Operator, copied)
		}
		out = append(out, ev)
	}
	s.printed = printed
	return out, nil
}

// reprintCarton queues a copy of a carton's label (store.Tx.Reprint: a
// label not printed yet is refused, it prints by itself). Only the store's
// refusals are the floor's to read; its failures (the disk, I/O) are
// NOT SAVED, never a rejected scan.
func (s *Bench) reprintCarton(tx *store.Tx, now time.Time, p floor.PackReprintPayload) (floor.LabelReprintedPayload, error) {
	job, err := tx.CartonJob(p.Shipment, p.Carton)
	if errors.Is(err, store.ErrRefused) {
		return floor.LabelReprintedPayload{}, &refusal{err.Error()}
	}
	if err != nil {
		return floor.LabelReprintedPayload{}, err
	}
	orig, id, err := tx.Reprint(now, job, "")
	if errors.Is(err, store.ErrRefused) {
		return floor.LabelReprintedPayload{}, &refusal{fmt.Sprintf("Carton %d: %v", p.Carton, err)}
	}
	if err != nil {
		return floor.LabelReprintedPayload{}, err
	}
	return floor.LabelReprintedPayload{Job: id, Original: orig.ID, Printer: orig.Printer, Kind: orig.Kind, Ref: orig.Ref, Reason: p.Reason}, nil
}

// cartonCarrierLabel is the carrier label of carton p.Carton (nil when
// the order came with none), checked again before it reaches a printer.
func cartonCarrierLabel(ls []store.CarrierLabel, p floor.PackLabelPayload) (*store.CarrierLabel, error) {
	if len(ls) == 0 {
		return nil, nil
	}
	if p.Carton < 1 || p.Carton > len(ls) {
		return nil, &refusal{fmt.Sprintf("NO LABEL: order %s came with %d carrier labels, and this is carton %d. Nothing was shipped; ask the office for a carrier label per carton, or pack fewer cartons",
			floor.Printable(p.Order), len(ls), p.Carton)}
	}
	cl := ls[p.Carton-1]
	if err := labels.ValidateCarrierZPL([]byte(cl.Data), false); err != nil {
		return nil, &refusal{fmt.Sprintf("NO LABEL: the carrier label of carton %d (tracking %s) would upset the printer: %s. Nothing was shipped; call a supervisor",
			p.Carton, floor.Printable(cl.Tracking), floor.Printable(err.Error()))}
	}
	return &cl, nil
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TrackingNumber is station's tracking number numbered n: the bench's
// prefix, the station's number in three digits (so two stations with the
// same prefix never give the same number), n in nine digits and a GS1
// mod-10 check digit, so a mistyped number is caught.
func TrackingNumber(prefix string, station int, n uint64) string {
	digits := fmt.Sprintf("%03d%09d", station, n)
	return prefix + digits + strconv.Itoa(gs1.CheckDigit(digits))
}

func sessionOfPack(st pack.State) *store.Session {
	p, _ := json.Marshal(st) // plain data: cannot fail
	return &store.Session{Bench: string(station.BenchPack), Operator: st.Operator.Badge, Step: string(st.Step), Pending: p}
}

// unknownTote says when this bench last heard from the hub, for a tote it
// has no word of (a tote picked on another station arrives with a pull).
func (s *Bench) unknownTote(ctx context.Context, now time.Time) (*pack.UnknownTote, error) {
	st, err := s.store.SyncState(ctx)
	if err != nil {
		return nil, err
	}
	if st.LastPull.IsZero() {
		return &pack.UnknownTote{}, nil
	}
	return &pack.UnknownTote{Pulled: true, Since: now.Sub(st.LastPull)}, nil
}
