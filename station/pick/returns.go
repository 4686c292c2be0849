package pick

import (
	"fmt"
	"slices"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// Goods back to stock. A cancelled order's goods already in the cart's
// totes are to go back where they came from (Office: a withdrawal). The
// picker confirms it on the floor: scan the tote (at the tote step,
// between tasks or once the wave is done), then, line by line, the
// location each line goes back to; each line put back is a journaled
// stock.returned, which the hub takes as its restock task done.

// StepReturn: put the line in hand back, then scan its location.
const StepReturn Step = "return"

// returnsIn are the waiting lines of a tote, in the order kept.
func (s State) returnsIn(tote string) []floor.StockReturn {
	var out []floor.StockReturn
	for _, r := range s.Returns {
		if r.Tote == tote {
			out = append(out, r)
		}
	}
	return out
}

// PutBack is the line the return step waits for, false when none.
func (s State) PutBack() (floor.StockReturn, bool) {
	if s.Step != StepReturn {
		return floor.StockReturn{}, false
	}
	rs := s.returnsIn(s.Pending.Tote)
	if len(rs) == 0 {
		return floor.StockReturn{}, false
	}
	return rs[0], true
}

// returnFrom starts putting a tote's goods back when the scan is a tote
// whose goods wait to go back: true when it did.
func (a *applier) returnFrom(cmd floor.Command) bool {
	m := a.in.Scan
	if cmd != "" || m.Err != nil || m.Kind != barcode.KindTote || !a.s.LoggedIn() {
		return false
	}
	switch a.s.Step {
	case StepTote, StepLocation, StepDone, StepNoWork, StepWaiting:
	default:
		return false
	}
	if len(a.s.returnsIn(m.Code)) == 0 {
		return false
	}
	a.s.Pending = Pending{Back: a.s.Step, Tote: m.Code}
	a.s.Step = StepReturn
	r, _ := a.s.PutBack()
	a.info("Tote %s: %s", m.Code, putBackWords(r))
	return true
}

func putBackWords(r floor.StockReturn) string {
	what := fmt.Sprintf("%d × %s", r.Qty, floor.Printable(r.SKU))
	if r.Lot != "" {
		what += " lot " + floor.Printable(r.Lot)
	}
	if r.Serial != "" {
		what += " serial " + floor.Printable(r.Serial)
	}
	return fmt.Sprintf("put %s of cancelled %s back at %s, then scan the location", what, floor.Printable(r.Order), floor.Printable(r.Location))
}

// putBack takes the location the line in hand went back to.
func (a *applier) putBack(cmd floor.Command) {
	r, ok := a.s.PutBack()
	if !ok || cmd == floor.CmdCancel {
		back := a.s.Pending.Back
		a.s.Step, a.s.Pending = back, Pending{}
		if !ok {
			a.info("Nothing left to put back from this tote")
			return
		}
		a.info("Put back later: %d lines of cancelled orders still wait in your totes", len(a.s.Returns))
		return
	}
	m := a.in.Scan
	switch {
	case cmd != "":
		a.reject("%s does nothing here: %s (or cancel)", cmd.Barcode(), putBackWords(r))
		return
	case m.Err != nil:
		a.rejectScan("the location " + r.Location)
		return
	case m.Kind != barcode.KindLocation:
		a.reject("That is %s: %s", m.Kind.Noun(), putBackWords(r))
		return
	case m.Code != r.Location:
		a.reject("Wrong location %s: %d × %s goes back to %s", m.Code, r.Qty, floor.Printable(r.SKU), floor.Printable(r.Location))
		return
	}
	a.emit(floor.EvStockReturned, floor.StockReturnedPayload(r))
	i := slices.IndexFunc(a.s.Returns, func(x floor.StockReturn) bool { return x == r })
	a.s.Returns = slices.Delete(slices.Clone(a.s.Returns), i, i+1)
	done := fmt.Sprintf("Back in stock at %s: %d × %s", floor.Printable(r.Location), r.Qty, floor.Printable(r.SKU))
	if next, ok := a.s.PutBack(); ok {
		a.ok("%s. Next: %s", done, putBackWords(next))
		return
	}
	tote := a.s.Pending.Tote
	a.s.Step, a.s.Pending = a.s.Pending.Back, Pending{}
	a.ok("%s. Tote %s is empty", done, tote)
}
