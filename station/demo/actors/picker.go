package actors

import (
	"context"
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	_ "github.com/totewms/tote/station/pickcart" // the cart it drives
	"github.com/totewms/tote/station/store"
)

// The demo pack bench's pick cart: before the bench opens it picks the
// first orders of the demo wave through the real pick workflow
// (station.Handle, one durable commit per scan, journaled and synced like
// any cart's), so the bench has totes to pack. The last order it picks (of
// more than one line) is left one unit short, so a partial shipment can be
// tried. PickerBadge is the picker it signs in as.
const PickerBadge = "B1001"

// Pick picks orders until n totes are full and returns their codes in the
// order they were picked. toteFor names the tote for an order: the one the
// demo's hints suggest, so hints and totes agree.
func Pick(ctx context.Context, st *store.Store, interp *barcode.Interpreter, n int, toteFor func(order string) string) ([]string, error) {
	stn, err := station.Open(ctx, st, interp, station.Options{Bench: station.BenchPick, ConfirmAbove: 1 << 30})
	if err != nil {
		return nil, err
	}
	do := func(data string) (station.Outcome, error) {
		o := stn.Handle(ctx, station.Action{Scan: floor.Scan{Source: "demo-picker", Data: data}})
		if o.Err != nil {
			return o, o.Err
		}
		return o, nil
	}
	doCmd := func(c floor.Command) (station.Outcome, error) {
		o := stn.Handle(ctx, station.Action{Command: c})
		return o, o.Err
	}
	if !stn.Snapshot().State.(pick.State).LoggedIn() {
		if _, err := do(PickerBadge); err != nil {
			return nil, err
		}
	}
	var totes []string
	orders := map[string]bool{}
	shorted := false
	for steps := 0; steps < 5000; steps++ {
		s := stn.Snapshot().State.(pick.State)
		t, ok := s.Task()
		var o station.Outcome
		switch {
		case s.Step == pick.StepDone || s.Step == pick.StepNoWork || !ok:
			return totes, logoutPicker(doCmd)
		case s.Step == pick.StepTote:
			if len(orders) == n {
				return totes, logoutPicker(doCmd)
			}
			orders[t.OrderID] = true
			tote := toteFor(t.OrderID)
			totes = append(totes, tote)
			o, err = do(tote)
		case s.Step == pick.StepLocation:
			o, err = do(t.Location)
		case s.Step == pick.StepItem && len(orders) == n && !shorted && t.Remaining() == 1 && linesOf(s, t.OrderID) > 1:
			shorted = true
			o, err = doCmd(floor.CmdShort) // the last order goes one unit short
		case s.Step == pick.StepItem:
			o, err = do(strings.TrimPrefix(t.GTIN, "0"))
		case s.Step == pick.StepShort:
			o, err = do("1")
		case s.Step == pick.StepLot:
			o, err = do("LOT2611A")
		case s.Step == pick.StepSerial:
			o, err = do(fmt.Sprintf("SN%06d", s.Current*100+int64(t.QtyPicked)))
		case s.Step == pick.StepQuantity || s.Step == pick.StepConfirm:
			o, err = doCmd(floor.CmdCancel)
		default:
			return nil, fmt.Errorf("the demo picker does not know step %s", s.Step)
		}
		if err != nil {
			return nil, err
		}
		if o.Feedback.Level == floor.Error {
			return nil, fmt.Errorf("the demo picker was refused at %s: %s", s.Step, o.Feedback.Message)
		}
	}
	return nil, fmt.Errorf("the demo picker did not finish")
}

// linesOf counts an order's tasks in the wave.
func linesOf(s pick.State, order string) int {
	n := 0
	for _, t := range s.Tasks.All() {
		if t.OrderID == order {
			n++
		}
	}
	return n
}

func logoutPicker(doCmd func(floor.Command) (station.Outcome, error)) error {
	_, err := doCmd(floor.CmdLogout)
	return err
}
