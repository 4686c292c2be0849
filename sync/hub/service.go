package hub

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Service is the hub's rules over a Store: push apply, the pull feed,
// holds, cancellations, imports, waves, labels, stations and tokens. It
// keeps no state of its own; every decision is made inside the Store
// transaction whose data it rests on.
type Service struct {
	store   Store
	rules   *Rules
	inApply func(string, int64)
	now     func() time.Time
	// committed is told after a transaction that appended facts commits.
	committed committedHook
	bell      *feedBell     // wakes waiting pulls (pullwait.go)
	fills     *fillCache    // the tote fills the feed sent (totes.go)
	recheck   time.Duration // how often a waiting pull reads its feed again
	noAgg     bool
}

// ServiceOptions tune a Service.
type ServiceOptions struct {
	// Rules judge pushed events; nil: DefaultRules().
	Rules *Rules
	// InApply, when set, runs inside each push transaction after the
	// batch is written and before the mark moves. Fault tests use it to
	// kill the hub in the middle of an apply; nothing else should.
	InApply func(station string, mark int64)
	// Now stamps what a call brings no time for (a hold's release); nil: time.Now.
	Now func() time.Time
	// FeedRecheck is how often a waiting pull reads its feed again, for
	// changes another hub process committed; 0: DefaultFeedRecheck.
	FeedRecheck time.Duration
	// WithoutAggregates skips the supervisor's aggregates: the bare push
	// a benchmark measures them against. Nothing else should set it.
	WithoutAggregates bool
}

var _ API = (*Service)(nil)

// New makes the hub's service over a store.
func New(store Store, opts ServiceOptions) *Service {
	if opts.Rules == nil {
		opts.Rules = DefaultRules()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.FeedRecheck <= 0 {
		opts.FeedRecheck = DefaultFeedRecheck
	}
	bell := newFeedBell()
	return &Service{store: audited{bellStore{Store: store, bell: bell}}, rules: opts.Rules, inApply: opts.InApply, now: opts.Now,
		bell: bell, recheck: opts.FeedRecheck, noAgg: opts.WithoutAggregates, fills: &fillCache{}}
}

func notRegistered(station string) error {
	return protocol.Errorf(protocol.CodeNotFound, "station %s is not registered at this hub", station)
}

func orderUnknown(order string) error {
	return protocol.Errorf(protocol.CodeNotFound, "order %s is not known at the hub", floor.Printable(order))
}

// Push applies a batch (already validated: one station, contiguous). Events
// at or below the station's mark are duplicates: their recorded outcomes are
// returned and nothing is written, but an id that differs from the one
// recorded is refused (the station's journal is not the one the hub knows).
// A batch that starts past mark+1 is refused as a gap. The rest are judged,
// written with their outcomes and effects, and the mark moves, all in one
// transaction.
func (s *Service) Push(ctx context.Context, station string, at time.Time, events []protocol.Event) (protocol.PushResponse, error) {
	if len(events) == 0 {
		return protocol.PushResponse{}, protocol.Errorf(protocol.CodeBadRequest, "the push has no events")
	}
	var resp protocol.PushResponse
	var sent []sentFill // the tote fills fed, kept once committed
	err := s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		sent = nil
		resp = protocol.PushResponse{Station: station, ReceivedAt: at.UTC(), Outcomes: make([]protocol.Outcome, 0, len(events))}
		st, ok, err := tx.Station(station)
		if err != nil {
			return err
		}
		if !ok {
			return notRegistered(station)
		}
		mark := st.Mark
		first, last := events[0].Seq, events[len(events)-1].Seq
		i := 0
		if first <= mark {
			held, err := tx.Events(station, first-1, int(min(last, mark)-first+1))
			if err != nil {
				return err
			}
			dups := make(map[int64]protocol.StoredEvent, len(held))
			for _, e := range held {
				dups[e.Seq] = e
			}
			for ; i < len(events) && events[i].Seq <= mark; i++ {
				ev := events[i]
				rec, ok := dups[ev.Seq]
				if !ok {
					return fmt.Errorf("the hub's mark for %s is %d but it does not hold event %d", station, mark, ev.Seq)
				}
				if rec.ID != ev.ID {
					return &protocol.Error{Status: 409, Code: protocol.CodeSeqConflict, Expected: mark + 1,
						Message: fmt.Sprintf("sequence %d of station %s is already held at the hub with another event id: this station's journal is not the one the hub knows (was its store replaced or restored?). Nothing was applied; call support before the station syncs again", ev.Seq, station)}
				}
				if !sameEvent(rec, ev) {
					return &protocol.Error{Status: 409, Code: protocol.CodeSeqConflict, Expected: mark + 1,
						Message: fmt.Sprintf("event %s (sequence %d of station %s) was sent again with other content than the hub holds: this station's journal is not the one the hub knows. Nothing was applied; call support before the station syncs again", floor.Printable(ev.ID), ev.Seq, station)}
				}
				resp.Outcomes = append(resp.Outcomes, protocol.Outcome{Seq: ev.Seq, Status: rec.Status, Reason: rec.Reason, Duplicate: true})
			}
		}
		if i == len(events) {
			resp.Mark = mark
			return nil
		}
		if events[i].Seq != mark+1 {
			return &protocol.Error{Status: 409, Code: protocol.CodeGap, Expected: mark + 1,
				Message: fmt.Sprintf("gap: the hub holds station %s's events up to %d and expects sequence %d next, not %d", station, mark, mark+1, events[i].Seq)}
		}
		orders := map[string]OrderState{}
		tallies := tallies{}
		agg := newAggBatch()
		agg.off = s.noAgg
		facts := trackPushFacts(tx, at)
		lives := &lives{}
		totes := toteBook{cache: s.fills}
		var badges badgeBook
		if err := checkQuota(tx, station, events[i:]); err != nil {
			return err
		}
		var parcels parcelBook
		admit, err := newAdmission(tx, station, tallies, events[i:])
		if err != nil {
			return err
		}
		for ; i < len(events); i++ {
			ev := events[i]
			ref := protocol.RefOf(ev.Payload)
			var ost OrderState
			if ref.Order != "" {
				var ok bool
				if ost, ok = orders[ref.Order]; !ok {
					rec, ok, err := tx.Order(ref.Order)
					if err != nil {
						return err
					}
					ost = orderStateOf(rec, ok)
					agg.keep(rec, ok)
					facts.WatchRecord(rec, ok)
					orders[ref.Order] = ost
				}
			}
			v, err := admit.check(ev, ref)
			if err != nil {
				return err
			}
			if v.Status == "" {
				v = s.rules.Judge(ev, ref, ost)
			}
			if v, err = checkSSCCs(tx, v); err != nil {
				return err
			}
			if v, err = s.applyResolution(tx, lives, ev, v, at); err != nil {
				return err
			}
			v, life, err := s.judgeLife(tx, lives, station, at, ev, ref, ost, v)
			if err != nil {
				return err
			}
			if err := tx.InsertEvent(protocol.StoredEvent{Event: ev, ReceivedAt: at, Status: v.Status, Reason: v.Reason}); err != nil {
				return err
			}
			if ref.Order != "" { // the order's story (story.go)
				if err := tx.IndexOrderEvent(ref.Order, station, ev.Seq); err != nil {
					return err
				}
			}
			if v.Status == protocol.Accepted {
				if err := facts.WatchParcels(v.Effects); err != nil {
					return err
				}
				for _, e := range v.Effects {
					if err := applyEffect(tx, tallies, e); err != nil {
						return err
					}
				}
				if err := totes.toteEvent(tx, station, at, ev); err != nil {
					return err
				}
				if err := badges.event(tx, station, at, ev); err != nil {
					return err
				}
			}
			if err := facts.WatchStep(life); err != nil { // before it moves cartons
				return err
			}
			if err := life.commit(tx, lives); err != nil {
				return err
			}
			if v.Status == protocol.Accepted {
				if err := parcels.parcelEvent(tx, ev, ref); err != nil {
					return err
				}
			}
			if v.Conflict != "" {
				if err := tx.InsertConflict(protocol.Conflict{Station: station, Seq: ev.Seq, EventID: ev.ID, Order: ref.Order,
					Kind: v.Conflict, Reason: v.Reason, At: at}); err != nil {
					return err
				}
			}
			if err := raiseException(tx, station, ev, ref, v, at); err != nil {
				return err
			}
			if err := agg.event(tx, ev, ref, v); err != nil {
				return err
			}
			resp.Outcomes = append(resp.Outcomes, protocol.Outcome{Seq: ev.Seq, Status: v.Status, Reason: v.Reason})
		}
		if err := facts.Settle(); err != nil { // before the tallies are written
			return err
		}
		if err := tallies.write(tx); err != nil {
			return err
		}
		if err := lives.write(tx); err != nil {
			return err
		}
		if err := facts.Emit(); err != nil { // after the tallies and the order life are written
			return err
		}
		if err := lives.emitFacts(tx, at); err != nil {
			return err
		}
		feed, err := totes.feed(tx)
		if err != nil {
			return err
		}
		sent = totes.sent
		dock, err := parcels.feed(tx)
		if err != nil {
			return err
		}
		back, err := lives.returnsFeed(tx)
		if err != nil {
			return err
		}
		if err := appendFeed(tx, append(append(feed, dock...), back...)); err != nil {
			return err
		}
		// After the tallies (it reads them), and last: a PostgreSQL store
		// takes the aggregates' version under the lock the feed takes,
		// held to the commit, so as little as possible comes after it.
		if err := agg.write(tx, tallies); err != nil {
			return err
		}
		if s.inApply != nil {
			s.inApply(station, last)
		}
		if err := tx.SetStationMark(station, last, at); err != nil {
			return err
		}
		resp.Mark = last
		return nil
	}))
	if err != nil {
		return protocol.PushResponse{}, err
	}
	s.fills.keep(sent)
	return resp, nil
}

func orderStateOf(o OrderRecord, ok bool) OrderState {
	if !ok {
		return OrderState{}
	}
	st := OrderState{Known: true, Cancelled: o.Status == string(floor.OrderCancelled)}
	for _, h := range o.Holds {
		st.Holds = append(st.Holds, h.Reason)
	}
	return st
}

// checkSSCCs turns an accepted verdict that records a carton under an SSCC
// another carton has (another order, or another shipment of the same one)
// into the duplicate-SSCC conflict (DuplicateSSCC). Cartons applied
// earlier in the same batch count: their effects are already in tx.
func checkSSCCs(tx StoreTx, v Verdict) (Verdict, error) {
	if v.Status != protocol.Accepted {
		return v, nil
	}
	for _, e := range v.Effects {
		if e.Parcel == nil || e.Parcel.SSCC == "" {
			continue
		}
		held, err := tx.ParcelsWithSSCC(e.Parcel.SSCC)
		if err != nil {
			return v, err
		}
		for _, h := range held {
			if h.Order != e.Order || h.Shipment != e.Parcel.Shipment {
				return DuplicateSSCC(e.Parcel.SSCC, SSCCHolder(h)), nil
			}
		}
	}
	return v, nil
}

// tallies are the line tallies a batch changes, read once and written
// once at its end: nothing else in a push reads them.
type tallies map[tallyKey]*LineTally

type tallyKey struct {
	order string
	line  int
}

func (ts tallies) add(tx StoreTx, e Effect) error {
	k := tallyKey{e.Order, e.Line}
	t, ok := ts[k]
	if !ok {
		read, err := tx.Tally(e.Order, e.Line)
		if err != nil {
			return err
		}
		read.Line = e.Line
		t = &read
		ts[k] = t
	}
	// Each event's count is floored at zero as it applies, as if written.
	t.Picked, t.Short, t.Returned = max(t.Picked+e.Picked, 0), max(t.Short+e.Short, 0), max(t.Returned+e.Returned, 0)
	return nil
}

func (ts tallies) write(tx StoreTx) error {
	keys := make([]tallyKey, 0, len(ts))
	for k := range ts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].order < keys[j].order || keys[i].order == keys[j].order && keys[i].line < keys[j].line
	})
	for _, k := range keys {
		if err := tx.PutTally(k.order, *ts[k]); err != nil {
			return err
		}
	}
	return nil
}

// applyEffect writes one effect to the fulfilment projection. Counts never
// go below zero; a carton replaces any earlier record of the same carton
// but keeps the tracking number and carrier it had when the new record
// has none; a shipment's cartons move together, and a voided one stays
// voided; a late wave.started never moves a finished wave back.
func applyEffect(tx StoreTx, ts tallies, e Effect) error {
	if e.Order != "" && e.Line > 0 && (e.Picked != 0 || e.Short != 0 || e.Returned != 0) {
		if err := ts.add(tx, e); err != nil {
			return err
		}
	}
	if p := e.Parcel; p != nil && e.Order != "" {
		if err := putParcel(tx, e.Order, p); err != nil {
			return err
		}
	}
	if sh := e.Shipment; sh != nil && e.Order != "" {
		parcels, err := tx.Parcels(e.Order)
		if err != nil {
			return err
		}
		for _, p := range parcels {
			if p.Shipment != sh.Shipment || p.Status == ParcelVoided {
				continue
			}
			p.Status = orElse(sh.Status, p.Status)
			if p.Tracking == "" {
				p.Tracking = sh.Tracking
			}
			if err := tx.PutParcel(e.Order, p); err != nil {
				return err
			}
		}
	}
	if e.Wave != "" && e.WaveStatus != "" {
		w, ok, err := tx.Wave(e.Wave)
		if err != nil {
			return err
		}
		if ok && !(w.Status == "done" && e.WaveStatus == "in_progress") {
			return tx.SetWaveStatus(e.Wave, e.WaveStatus)
		}
	}
	return nil
}

func putParcel(tx StoreTx, order string, p *ParcelEffect) error {
	key := p.SSCC
	if key == "" {
		key = p.Tracking
	}
	if key == "" {
		return nil
	}
	rec := ParcelRecord{Key: key, Shipment: p.Shipment, SSCC: p.SSCC, Tracking: p.Tracking, Carrier: p.Carrier, Status: p.Status}
	if rec.Tracking == "" || rec.Carrier == "" {
		old, err := tx.Parcels(order)
		if err != nil {
			return err
		}
		for _, o := range old {
			if o.Key == key {
				rec.Tracking = orElse(rec.Tracking, o.Tracking)
				rec.Carrier = orElse(rec.Carrier, o.Carrier)
			}
		}
	}
	// A line listed twice counts twice.
	byLine := map[int]int{}
	for _, l := range p.Lines {
		if _, seen := byLine[l.Line]; !seen {
			rec.Lines = append(rec.Lines, LineQty{Line: l.Line})
		}
		byLine[l.Line] += l.Qty
	}
	for i := range rec.Lines {
		rec.Lines[i].Qty = byLine[rec.Lines[i].Line]
	}
	return tx.PutParcel(order, rec)
}

// orElse is a, else b.
func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
