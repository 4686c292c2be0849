package actors

import (
	"context"
	"slices"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/store"
)

// Wait waits, pull by pull of a station's replicator, until ready holds;
// what names what is awaited, for the error when it does not come.
type Wait func(what string, ready func() bool) error

// Opening gets the demo's stations ready before the screen opens, one
// after another in the order the goods go (cart, pack bench, dock), each
// on its own store: the cart waits for the demo's wave, the others for the
// operators the hub sends every station. When the demo starts at the pack
// bench, the demo's cart first picks the first 12 orders on the cart's own
// store (Pick), and the bench waits until those totes, every unit of
// them, have come to it through the hub: the flow of a real floor.
type Opening struct {
	Start  station.BenchName     // the bench the operator starts at
	Interp *barcode.Interpreter  // the stations' barcode rules
	Say    func(note string)     // tells the operator what takes a while
	cart   *store.Store          // the cart's store, once it opened
	totes  []string              // what the demo's cart picked before the bench opened
	picked map[string]orderUnits // and the units of each tote's order, as the cart has them
}

// orderUnits is an order and its units picked or short.
type orderUnits struct {
	order string
	units int
}

// Before is what the demo station running bench, on its store st, needs
// before its screen opens; it returns the pack bench's hints (the totes
// the demo's cart picked for it).
func (o *Opening) Before(ctx context.Context, bench station.BenchName, st *store.Store, wait Wait) ([]string, error) {
	if bench == station.BenchPick {
		return nil, o.beforeCart(ctx, st, wait)
	}
	if err := wait("the demo's operators", func() bool {
		op, err := st.Operator(ctx, PickerBadge)
		return err == nil && op != nil
	}); err != nil {
		return nil, err
	}
	if bench != station.BenchPack || len(o.totes) == 0 {
		return nil, nil
	}
	return o.totes, wait("the totes the demo's cart picked", func() bool {
		for _, t := range o.totes {
			if n, err := unitsIn(ctx, st, t); err != nil || n != o.picked[t] {
				return false
			}
		}
		return true
	})
}

// beforeCart waits for the cart's wave and, for a demo that starts at the
// pack bench, picks its first orders.
func (o *Opening) beforeCart(ctx context.Context, st *store.Store, wait Wait) error {
	o.cart = st
	if err := wait("the demo's wave", func() bool { return WorkReady(ctx, st) }); err != nil {
		return err
	}
	if o.Start != station.BenchPack {
		return nil
	}
	if o.Say != nil {
		o.Say("the demo's pick cart is picking the first orders; the pack bench opens once they reached it through the hub")
	}
	totes, err := Pick(ctx, st, o.Interp, 12, hints.Tote)
	if err != nil {
		return err
	}
	o.totes, o.picked = totes, map[string]orderUnits{}
	for _, t := range totes {
		if o.picked[t], err = unitsIn(ctx, st, t); err != nil {
			return err
		}
	}
	return nil
}

// unitsIn is the order tote holds on st and its units picked or short
// there (the cart's picks, or what the hub sent a bench of them).
func unitsIn(ctx context.Context, st *store.Store, tote string) (orderUnits, error) {
	order, known, err := st.ToteOrder(ctx, tote)
	if err != nil || !known || order == "" {
		return orderUnits{}, err
	}
	po, err := st.PackOrder(ctx, order)
	if err != nil || po == nil {
		return orderUnits{}, err
	}
	u := orderUnits{order: order}
	for _, l := range po.Lines {
		u.units += l.Picked + l.Short
	}
	return u, nil
}

// WorkReady says whether a demo cart has what it opens on: a wave to
// pick, or the demo's wave already there (done or not: a demo folder
// opened again, which must open and offer a new wave, not wait for one).
func WorkReady(ctx context.Context, st *store.Store) bool {
	if w, err := st.NextWave(ctx); err == nil && w.ID != "" {
		return true
	}
	w, err := st.Wave(ctx, demo.WaveID)
	return err == nil && w.ID != ""
}

// During runs beside a demo station's screen until ctx ends and keeps its
// hints (F12, the side panel's NEXT) to what reached it through the hub
// and waits there: at the pack bench the totes that hold an order, at the
// dock the parcels ready to load. It looks every second and gives the list
// to give when it changes; the cart needs nothing, and it returns at once.
func (o *Opening) During(ctx context.Context, bench station.BenchName, st *store.Store, give func([]string)) {
	var waiting func(context.Context) ([]string, error)
	switch bench {
	case station.BenchPack:
		waiting = st.HubTotesHolding
	case station.BenchDispatch:
		waiting = st.HubParcelsReady
	default:
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last []string
	for {
		now, err := waiting(ctx)
		if err == nil && !slices.Equal(now, last) {
			give(now)
			last = now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
