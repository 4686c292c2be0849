// Package returns is the returns bench's workflow: a clerk signs in, names
// the order a parcel came back for (its parcel's SSCC, the order number,
// or the RMA and then either), scans each unit, says its condition and
// the customer's reason, and decides what becomes of it: restock (at a
// location scanned), refurbish or destroy. Each unit is journaled as it
// is decided (return.received), so nothing recorded is lost if the
// bench stops; OK finishes the return (return.closed).
//
// Only goods the order shipped come back, never more units than shipped
// (counting earlier returns, here and at the hub as far as the station
// knows them): the station refuses what it can tell, and the hub, which
// knows every return of the site, judges again. An item the site does
// not know, or one the order never had, is refused in words. A refused
// input keeps the state exactly as it was.
//
// Like the other workflows it is pure: no I/O, no clock.
package returns

import (
	"fmt"
	"slices"
	"strings"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/workflow"
)

// Step is where the clerk is.
type Step string

const (
	StepLogin       Step = "login"
	StepPIN         Step = "pin"
	StepOrder       Step = "order"       // scan the parcel's SSCC, the order, or the RMA
	StepItem        Step = "item"        // scan each unit that came back; OK finishes
	StepCondition   Step = "condition"   // the unit in hand: its condition
	StepReason      Step = "reason"      // why it came back
	StepDisposition Step = "disposition" // restock, refurbish or destroy
	StepLocation    Step = "location"    // restock: scan the location it goes to
)

// Line is an order line as the returns bench knows it: what shipped and
// how many units came back before this return.
type Line struct {
	Line     int    `json:"line"`
	SKU      string `json:"sku"`
	Name     string `json:"name,omitempty"`
	Shipped  int    `json:"shipped"`
	Returned int    `json:"returned"`
}

// Shipped is what the station knows of an order that shipped: its
// parcels and its lines. The station resolves a scan into it.
type Shipped struct {
	Order  string   `json:"order"`
	SSCCs  []string `json:"ssccs,omitempty"`
	Lines  []Line   `json:"lines"`
	Status string   `json:"status,omitempty"` // the order's standing at the station, "cancelled" when so
}

// Received is one unit decided in this return.
type Received struct {
	Line        int                   `json:"line"`
	SKU         string                `json:"sku"`
	Qty         int                   `json:"qty"`
	Condition   floor.ReturnCondition `json:"condition"`
	Reason      floor.ReturnReason    `json:"reason"`
	Disposition floor.Disposition     `json:"disposition"`
	Location    string                `json:"location,omitempty"`
}

// Return is the return open on the bench.
type Return struct {
	ID       string     `json:"id"`
	RMA      string     `json:"rma,omitempty"`
	SSCC     string     `json:"sscc,omitempty"`
	Order    Shipped    `json:"order"`
	Received []Received `json:"received,omitempty"`
}

// Hand is the unit in the clerk's hand, being decided.
type Hand struct {
	Line        int                   `json:"line"`
	SKU         string                `json:"sku"`
	Name        string                `json:"name,omitempty"`
	Condition   floor.ReturnCondition `json:"condition,omitempty"`
	Reason      floor.ReturnReason    `json:"reason,omitempty"`
	Disposition floor.Disposition     `json:"disposition,omitempty"`
}

// Finished is the return this bench finished last, shown until the next.
type Finished struct {
	ID    string `json:"id"`
	Order string `json:"order"`
	Units int    `json:"units"`
}

// State is the whole returns bench.
type State struct {
	Step     Step           `json:"step"`
	Operator floor.Operator `json:"operator"`
	// Badge waits for its PIN (StepPIN).
	Badge string `json:"badge,omitempty"`
	// RMA was scanned at the order step, before its order.
	RMA    string    `json:"rma,omitempty"`
	Return *Return   `json:"return,omitempty"`
	Hand   *Hand     `json:"hand,omitempty"`
	Last   *Finished `json:"last,omitempty"`
}

// LoggedIn reports whether a clerk is signed in.
func (s State) LoggedIn() bool {
	return s.Operator.Badge != "" && s.Step != StepLogin && s.Step != StepPIN && s.Step != ""
}

// Input is one input with what the station resolved for it.
type Input struct {
	Command floor.Command
	Scan    barcode.Meaning
	// Operator is the badge's operator at the login (or the waiting
	// badge's at the PIN), nil when unknown.
	Operator *floor.Operator
	Allowed  func(floor.Role) bool
	// Order is what the station knows of the order the scan names at the
	// order step (by order number or parcel SSCC), nil when it knows of
	// no shipment of it; Named is the order number or SSCC scanned.
	Order *Shipped
	Named string
	// SSCC is the parcel scanned at the order step, "" when not one.
	SSCC string
	// Item is the item a scan at the item step names, nil when the site
	// knows none.
	Item *floor.Item
	// Location: the scan at the location step names a location the site
	// knows.
	Location bool
	// NewReturn is the id a return opened now takes.
	NewReturn string
	// LastPull says when the station last heard from the hub, for an
	// order it knows no shipment of.
	LastPull string
}

// Result is what one input did.
type Result = workflow.Result[State]

// Commands is the returns bench's command table.
var Commands = workflow.Commands(floor.ReturnsCommands)

// Apply is the workflow: the state after in, the events that record it
// and what the clerk sees and hears.
func Apply(s State, in Input) Result {
	cmd := workflow.CommandOf(in.Command, in.Scan)
	switch s.Step {
	case StepLogin, "":
		return login(s, in, cmd)
	case StepPIN:
		return pin(s, in, cmd)
	}
	if s.Operator.Badge == "" { // a state that should not happen: stay safe
		r := workflow.Reject(s, "", string(s.Step), in.Scan, "Log in first: scan your badge")
		r.State = State{Step: StepLogin, Last: s.Last}
		return r
	}
	switch cmd {
	case floor.CmdLogout:
		return logout(s, in)
	case floor.CmdHelp: // the screen's business
		return Result{State: s}
	}
	switch s.Step {
	case StepOrder:
		return order(s, in, cmd)
	case StepItem:
		return item(s, in, cmd)
	case StepLocation:
		return location(s, in, cmd)
	}
	return choose(s, in, cmd)
}

func ok(s State, msg string, events ...floor.Event) Result {
	return Result{State: s, Events: events, Feedback: floor.Feedback{Level: floor.OK, Message: msg}}
}

func reject(s State, in Input, why string) Result {
	return workflow.Reject(s, s.Operator.Badge, string(s.Step), in.Scan, why)
}

// door is the returns clerk's login and PIN steps.
var door = workflow.Door[State]{
	MayNot:    "may not take returns on this station",
	LoginStep: string(StepLogin), PINStep: string(StepPIN),
	AtLogin:  func(s State) State { s.Step, s.Badge = StepLogin, ""; return s },
	AtPIN:    func(s State, badge string) State { s.Step, s.Badge = StepPIN, badge; return s },
	SignedIn: signedIn,
}

func login(s State, in Input, cmd floor.Command) Result {
	return door.Badge(s, cmd, in.Scan, in.Operator, floor.RoleReturns, in.Allowed)
}

func pin(s State, in Input, cmd floor.Command) Result {
	return door.PIN(s, cmd, in.Scan, in.Operator, s.Badge)
}

func signedIn(s State, op floor.Operator) Result {
	s.Operator, s.Badge = op, ""
	msg := fmt.Sprintf("Hello %s: %s", floor.Printable(op.Name), OrderPrompt)
	if s.Return != nil { // a return left open by the last clerk resumes
		s.Step = resumeStep(s)
		msg = fmt.Sprintf("Hello %s: return %s of order %s resumes: %s", floor.Printable(op.Name), s.Return.ID, floor.Printable(s.Return.Order.Order), Prompt(s))
	} else {
		s.Step = StepOrder
	}
	return ok(s, msg, workflow.LoggedIn(op))
}

func resumeStep(s State) Step {
	switch {
	case s.Hand == nil:
		return StepItem
	case s.Hand.Condition == "":
		return StepCondition
	case s.Hand.Reason == "":
		return StepReason
	case s.Hand.Disposition == "":
		return StepDisposition
	}
	return StepLocation
}

func logout(s State, in Input) Result {
	msg := "Logged out"
	if s.Return != nil {
		msg = fmt.Sprintf("Logged out: return %s of order %s stays open with %s", s.Return.ID, floor.Printable(s.Return.Order.Order), units(s.Return.Units()))
	}
	ev := workflow.LoggedOut(s.Operator)
	return ok(State{Step: StepLogin, Return: s.Return, Hand: s.Hand, Last: s.Last}, msg, ev)
}

// OrderPrompt is what the order step asks for.
const OrderPrompt = "scan the parcel's SSCC, the order number, or the RMA"

// Prompt is what the current step asks of the clerk.
func Prompt(s State) string {
	switch s.Step {
	case StepOrder:
		if s.RMA != "" {
			return "RMA " + floor.Printable(s.RMA) + ": now scan the parcel's SSCC or the order number"
		}
		return OrderPrompt
	case StepItem:
		if s.Return != nil && len(s.Return.Received) > 0 {
			return "scan the next item, or OK when the parcel is empty"
		}
		return "scan each item that came back"
	case StepCondition:
		return "its condition: " + choices(floor.ReturnConditions)
	case StepReason:
		return "why it came back: " + choices(floor.ReturnReasons)
	case StepDisposition:
		return "what becomes of it: " + choices(floor.Dispositions)
	case StepLocation:
		return "scan the location it goes back to"
	}
	return "scan your badge"
}

// choices names a step's choices in words, in screen order.
func choices[T ~string](all []T) string {
	var b strings.Builder
	for i, v := range all {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(floor.Words(v))
	}
	return b.String()
}

// Units counts the units recorded in the return.
func (r *Return) Units() int {
	if r == nil {
		return 0
	}
	n := 0
	for _, x := range r.Received {
		n += x.Qty
	}
	return n
}

// Left is how many units of line l may still come back: shipped, less
// those back before and those recorded in this return.
func (r *Return) Left(l Line) int {
	n := l.Shipped - l.Returned
	for _, x := range r.Received {
		if x.Line == l.Line {
			n -= x.Qty
		}
	}
	return max(n, 0)
}

// order: the clerk names the order the parcel came back for.
func order(s State, in Input, cmd floor.Command) Result {
	switch cmd {
	case "":
	case floor.CmdCancel:
		if s.RMA == "" {
			return reject(s, in, "Nothing to cancel: "+OrderPrompt)
		}
		s.RMA = ""
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "RMA dropped: " + OrderPrompt}}
	default:
		return reject(s, in, fmt.Sprintf("%s does nothing here: %s", cmd.Barcode(), OrderPrompt))
	}
	m := in.Scan
	if m.Err == nil && m.Kind == barcode.KindRMA {
		if s.RMA != "" && s.RMA != m.Code {
			return reject(s, in, fmt.Sprintf("RMA %s is scanned already: scan the parcel's SSCC or the order number (CANCEL drops the RMA)", floor.Printable(s.RMA)))
		}
		s.RMA = m.Code
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: Prompt(s)}}
	}
	if in.Named == "" {
		return reject(s, in, workflow.ScanReason(m, "Scan the parcel's SSCC, the order number, or the RMA"))
	}
	o := in.Order
	switch {
	case o == nil && in.LastPull != "":
		return reject(s, in, fmt.Sprintf("No shipment of %s is known here — %s. Put the parcel aside and scan it again after the next pull", floor.Printable(in.Named), in.LastPull))
	case o == nil:
		return reject(s, in, fmt.Sprintf("No shipment of %s is known here: nothing of it left this site. Put the parcel aside for a supervisor", floor.Printable(in.Named)))
	case shippedUnits(o) == 0:
		return reject(s, in, fmt.Sprintf("Order %s has shipped nothing: nothing of it can come back. Put the parcel aside for a supervisor", floor.Printable(o.Order)))
	case returnedUnits(o) >= shippedUnits(o):
		return reject(s, in, fmt.Sprintf("Every unit order %s shipped is back already (%s): put the parcel aside for a supervisor", floor.Printable(o.Order), units(shippedUnits(o))))
	}
	r := &Return{ID: in.NewReturn, RMA: s.RMA, SSCC: in.SSCC, Order: *o}
	r.Order.Lines = slices.Clone(o.Lines)
	s.Return, s.RMA, s.Hand, s.Step, s.Last = r, "", nil, StepItem, nil
	return ok(s, fmt.Sprintf("Return %s for order %s: %s", r.ID, floor.Printable(o.Order), Prompt(s)),
		floor.NewEvent(floor.EvReturnOpened, s.Operator.Badge, floor.ReturnPayload{Return: r.ID, Order: o.Order, RMA: r.RMA, SSCC: r.SSCC}))
}

func shippedUnits(o *Shipped) int {
	n := 0
	for _, l := range o.Lines {
		n += l.Shipped
	}
	return n
}

func returnedUnits(o *Shipped) int {
	n := 0
	for _, l := range o.Lines {
		n += min(l.Returned, l.Shipped)
	}
	return n
}

// item: each unit that came back, or OK when the parcel is empty.
func item(s State, in Input, cmd floor.Command) Result {
	r := s.Return
	switch cmd {
	case "":
	case floor.CmdOK:
		if len(r.Received) == 0 {
			return reject(s, in, "Nothing is recorded in return "+r.ID+": scan each item first (CANCEL drops the return)")
		}
		n := r.Units()
		last := &Finished{ID: r.ID, Order: r.Order.Order, Units: n}
		ev := floor.NewEvent(floor.EvReturnClosed, s.Operator.Badge, floor.ReturnPayload{Return: r.ID, Order: r.Order.Order, RMA: r.RMA, SSCC: r.SSCC, Units: n})
		s.Return, s.Hand, s.Step, s.Last = nil, nil, StepOrder, last
		return ok(s, fmt.Sprintf("Return %s of order %s finished: %s. %s", last.ID, floor.Printable(last.Order), units(n), Capital(OrderPrompt)), ev)
	case floor.CmdCancel:
		if len(r.Received) > 0 {
			return reject(s, in, fmt.Sprintf("Return %s has %s recorded: they are kept. Press OK to finish it", r.ID, units(r.Units())))
		}
		s.Return, s.Step = nil, StepOrder
		return ok(s, fmt.Sprintf("Return %s dropped: nothing was recorded. %s", r.ID, Capital(OrderPrompt)),
			floor.NewEvent(floor.EvReturnClosed, s.Operator.Badge, floor.ReturnPayload{Return: r.ID, Order: r.Order.Order, RMA: r.RMA, SSCC: r.SSCC}))
	default:
		return reject(s, in, fmt.Sprintf("%s does nothing here: %s", cmd.Barcode(), Prompt(s)))
	}
	if in.Item == nil {
		return reject(s, in, notItem(in.Scan))
	}
	it := in.Item
	var on []Line
	for _, l := range r.Order.Lines {
		if floor.SameSKU(l.SKU, it.SKU) {
			on = append(on, l)
		}
	}
	if len(on) == 0 {
		return reject(s, in, fmt.Sprintf("%s (%s) is not on order %s: it did not come from this order. Put it aside for a supervisor",
			floor.Printable(orElse(it.Description, it.SKU)), floor.Printable(it.SKU), floor.Printable(r.Order.Order)))
	}
	shipped, back := 0, 0
	for _, l := range on {
		if r.Left(l) > 0 {
			s.Hand = &Hand{Line: l.Line, SKU: l.SKU, Name: orElse(it.Description, l.Name)}
			s.Step = StepCondition
			return ok(s, fmt.Sprintf("%s (line %d): %s", floor.Printable(orElse(it.Description, l.SKU)), l.Line, Prompt(s)))
		}
		shipped += l.Shipped
		back += l.Shipped - r.Left(l)
	}
	if shipped == 0 {
		return reject(s, in, fmt.Sprintf("Order %s shipped no %s: it cannot come back. Put it aside for a supervisor", floor.Printable(r.Order.Order), floor.Printable(it.SKU)))
	}
	return reject(s, in, fmt.Sprintf("Order %s shipped %s of %s and %d are back already: this one is more than shipped. Put it aside for a supervisor",
		floor.Printable(r.Order.Order), units(shipped), floor.Printable(it.SKU), back))
}

func notItem(m barcode.Meaning) string {
	if m.Err == nil && (m.Kind == barcode.KindLocation || m.Kind == barcode.KindTote || m.Kind == barcode.KindBadge || m.Kind == barcode.KindOrder || m.Kind == barcode.KindRMA || m.Kind == barcode.KindSSCC) {
		return fmt.Sprintf("That is a %s, not an item: scan the item's barcode, or OK when the parcel is empty", m.Kind)
	}
	if m.Err == nil && m.GTIN != "" {
		return fmt.Sprintf("GTIN %s is not an item this site knows: put it aside for a supervisor", m.GTIN)
	}
	if t := workflow.Text(m); t != "" && m.Err == nil {
		return fmt.Sprintf("%s is not an item this site knows: scan the item's barcode, or put it aside for a supervisor", floor.Printable(workflow.Clip(t)))
	}
	return workflow.ScanReason(m, "Scan the item's barcode, or OK when the parcel is empty")
}

// choose: the condition, the reason and the disposition of the unit in
// hand, each by its command barcode or its word typed.
func choose(s State, in Input, cmd floor.Command) Result {
	h := *s.Hand
	if cmd == floor.CmdCancel {
		s.Hand, s.Step = nil, StepItem
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: fmt.Sprintf("%s not recorded: put it back in the parcel. %s", floor.Printable(orElse(h.Name, h.SKU)), Capital(Prompt(s)))}}
	}
	switch s.Step {
	case StepCondition:
		c, found := pick(cmd, in.Scan, floor.ReturnConditions, floor.ConditionCommands)
		if !found {
			return reject(s, in, "Choose its condition: "+choices(floor.ReturnConditions))
		}
		h.Condition, s.Step = c, StepReason
	case StepReason:
		r, found := pick(cmd, in.Scan, floor.ReturnReasons, floor.ReasonCommands)
		if !found {
			return reject(s, in, "Choose why it came back: "+choices(floor.ReturnReasons))
		}
		h.Reason, s.Step = r, StepDisposition
	case StepDisposition:
		d, found := pick(cmd, in.Scan, floor.Dispositions, floor.DispositionCommands)
		if !found {
			return reject(s, in, "Choose what becomes of it: "+choices(floor.Dispositions))
		}
		if why := Restockable(h.Condition, d); why != "" {
			return reject(s, in, why)
		}
		h.Disposition = d
		if d != floor.DispositionRestock {
			s.Hand = &h
			return record(s, "")
		}
		s.Step = StepLocation
	}
	s.Hand = &h
	return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: Capital(Prompt(s))}}
}

// Restockable is why a unit in condition c may not have disposition d,
// "" when it may: only a sellable or opened unit goes back to stock.
func Restockable(c floor.ReturnCondition, d floor.Disposition) string {
	if d == floor.DispositionRestock && c != floor.ConditionSellable && c != floor.ConditionOpened {
		return fmt.Sprintf("A %s unit does not go back to stock: refurbish or destroy it", floor.Words(c))
	}
	return ""
}

// pick is the choice a command or a typed word names.
func pick[T ~string](cmd floor.Command, m barcode.Meaning, all []T, cmds map[T]floor.Command) (T, bool) {
	typed := strings.ReplaceAll(strings.ToLower(workflow.Text(m)), " ", "_")
	for _, v := range all {
		if (cmd != "" && cmds[v] == cmd) || (cmd == "" && m.Err == nil && typed != "" && typed == string(v)) {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// location: a restocked unit's location.
func location(s State, in Input, cmd floor.Command) Result {
	if cmd == floor.CmdCancel {
		s.Hand.Disposition, s.Step = "", StepDisposition // back one step
		h := *s.Hand
		s.Hand = &h
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: Capital(Prompt(s))}}
	}
	if cmd != "" || in.Scan.Err != nil || in.Scan.Kind != barcode.KindLocation {
		return reject(s, in, workflow.ScanReason(in.Scan, "Scan the location it goes back to (CANCEL to choose again)"))
	}
	if !in.Location {
		return reject(s, in, fmt.Sprintf("Location %s is not known at this site: scan the location's label", floor.Printable(in.Scan.Code)))
	}
	return record(s, in.Scan.Code)
}

// record journals the unit in hand and takes the next.
func record(s State, loc string) Result {
	h := *s.Hand
	r := *s.Return
	x := Received{Line: h.Line, SKU: h.SKU, Qty: 1, Condition: h.Condition, Reason: h.Reason, Disposition: h.Disposition, Location: loc}
	r.Received = append(slices.Clone(r.Received), x)
	s.Return, s.Hand, s.Step = &r, nil, StepItem
	where := floor.Words(h.Disposition)
	if loc != "" {
		where = "restock at " + loc
	}
	return ok(s, fmt.Sprintf("%s recorded: %s, %s, %s. %s in return %s: %s", floor.Printable(orElse(h.Name, h.SKU)), floor.Words(h.Condition),
		floor.Words(h.Reason), where, Capital(units(r.Units())), r.ID, Prompt(s)),
		floor.NewEvent(floor.EvReturnReceived, s.Operator.Badge, floor.ReturnReceivedPayload{Return: r.ID, Order: r.Order.Order, Line: x.Line,
			SKU: x.SKU, Qty: x.Qty, Condition: x.Condition, Reason: x.Reason, Disposition: x.Disposition, Location: loc, RMA: r.RMA}))
}

func units(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return fmt.Sprintf("%d units", n)
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Capital upper-cases a prompt's first letter.
func Capital(s string) string { return workflow.Capitalise(s) }
