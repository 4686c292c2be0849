// Package pack is the packing workflow as a pure function: a State and one
// Input give a new State, the events that record what happened, and the
// Feedback the packer sees and hears.
//
// Basics: a packer logs in by badge (and PIN), scans a tote, an order number
// or a pick ticket, and verifies every unit of the order by scanning it
// (SKU, GTIN or GS1; lot or serial where the line needs one) into the open
// carton. A carton is closed by choosing a box (scanned, or the suggestion)
// and weighing it. Pack complete (or a partial shipment) closes the last
// carton, checks the order against its holds once more and asks for one
// shipping label per carton. Hazmat and ship-together rules, weight checks
// with supervisor overrides, reprints and voids are part of the flow;
// docs/pack.md describes every step, exception and event.
//
// Caveats: Apply never performs I/O and never reads the clock. The station
// resolves what a scan names (operator, order snapshot, item) before calling
// it, passes scale readings and the order's latest standing (holds,
// cancellation) in the Input, and commits the events and the new state in
// one transaction before it shows the feedback. A rejected input returns
// the state unchanged and a single scan.rejected event, so rejections are
// journaled too. Labels are only asked for (pack.label_requested): SSCCs,
// tracking numbers and printing are the station's.
package pack

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/workflow"
)

// Step is what the workflow waits for.
type Step string

const (
	StepLogin         Step = "login"          // scan a badge
	StepPIN           Step = "pin"            // type the PIN
	StepOrder         Step = "order"          // scan a tote, an order number or a pick ticket
	StepVerify        Step = "verify"         // scan each unit into the open carton
	StepQuantity      Step = "quantity"       // type how many units the next scan counts
	StepConfirm       Step = "confirm"        // confirm a large quantity
	StepCount         Step = "count"          // scan the item a typed quantity is of
	StepLot           Step = "lot"            // scan or type the lot
	StepSerial        Step = "serial"         // scan or type the serial
	StepBox           Step = "box"            // scan a box, or accept the suggestion
	StepWeigh         Step = "weigh"          // weigh the carton (scale, or typed)
	StepMismatch      Step = "mismatch"       // weight outside tolerance: reopen or override
	StepSupervisor    Step = "supervisor"     // a supervisor scans their badge
	StepSupervisorPIN Step = "supervisor_pin" // the supervisor types their PIN
	StepReason        Step = "reason"         // the supervisor types a reason
	StepSetAside      Step = "set_aside"      // confirm putting the order aside unpacked
	StepPartial       Step = "partial"        // confirm shipping what is verified, the rest a back order
	StepHeld          Step = "held"           // the hold gate stopped the labels
	StepDone          Step = "done"           // labels requested: scan the next order
	StepReprint       Step = "reprint"        // which carton's label to reprint
	StepReprintReason Step = "reprint_reason" // why
)

// Finish is how the order is being finished.
type Finish string

const (
	FinishComplete Finish = "complete" // every line verified in full
	FinishPartial  Finish = "partial"  // ship what is verified; the rest is a back order
)

// Purpose is what a supervisor is asked to allow.
type Purpose string

const (
	PurposeWeight Purpose = floor.OverrideWeight // accept a carton outside the weight tolerance
	PurposeSplit  Purpose = floor.OverrideSplit  // split a ship-together group
	PurposeVoid   Purpose = "void"               // void the shipment
)

// ReprintReasons are offered by number at the reprint prompt; any other
// reason may be typed.
var ReprintReasons = []string{"label damaged", "label did not print", "label lost"}

// Pending is data a step carries until it completes.
type Pending struct {
	Badge          string    `json:"badge,omitempty"`   // StepPIN, StepSupervisorPIN: who is scanning in
	Qty            int       `json:"qty,omitempty"`     // units a count waits with
	Line           int       `json:"line,omitempty"`    // the order line a count is for
	Lot            string    `json:"lot,omitempty"`     // StepSerial, StepConfirm: lot already known
	Serial         string    `json:"serial,omitempty"`  // StepConfirm: serial already known
	Expiry         time.Time `json:"expiry,omitzero"`   // from a GS1 scan
	Scanned        bool      `json:"scanned,omitempty"` // StepConfirm: the quantity came with the scan (AI 30)
	Purpose        Purpose   `json:"purpose,omitempty"` // supervisor steps
	Supervisor     string    `json:"supervisor,omitempty"`
	SupervisorName string    `json:"supervisor_name,omitempty"`
	Carton         int       `json:"carton,omitempty"` // StepReprintReason
	Back           Step      `json:"back,omitempty"`   // where Cancel returns
}

// Unit is one verified scan in a carton: one unit, or a counted quantity.
type Unit struct {
	Line   int    `json:"line"`
	SKU    string `json:"sku"`
	Qty    int    `json:"qty"`
	Lot    string `json:"lot,omitempty"`
	Serial string `json:"serial,omitempty"`
}

// Carton is one shipping carton of the order.
type Carton struct {
	No           int     `json:"no"`            // 1, 2, …
	Box          string  `json:"box,omitempty"` // box code; "" until chosen
	Units        []Unit  `json:"units,omitempty"`
	WeightG      float64 `json:"weight_g,omitempty"` // the last weighing
	ExpectedG    float64 `json:"expected_g,omitempty"`
	ToleranceG   float64 `json:"tolerance_g,omitempty"`
	WeightSource string  `json:"weight_source,omitempty"` // scale or typed
	Closed       bool    `json:"closed,omitempty"`
	Overridden   bool    `json:"overridden,omitempty"` // weight accepted by a supervisor
}

// Count is how many units the carton holds.
func (c Carton) Count() int {
	n := 0
	for _, u := range c.Units {
		n += u.Qty
	}
	return n
}

// State is everything the workflow decides from. Every field but the last
// three survives a JSON round trip, so the station can keep the whole state
// in its session row and resume at exactly the same step.
type State struct {
	Operator floor.Operator  `json:"operator"` // zero when nobody is logged in
	Step     Step            `json:"step"`
	Pending  Pending         `json:"pending"`
	Order    floor.PackOrder `json:"order"`             // zero ID when no order is on the bench
	Cartons  []Carton        `json:"cartons,omitempty"` // the last one is open unless Closed
	// Finishing is set by pack complete or partial while the last carton
	// is boxed and weighed, so the labels follow by themselves.
	Finishing     Finish `json:"finishing,omitempty"`
	SplitApproved bool   `json:"split_approved,omitempty"` // a supervisor allowed splitting the ship-together group
	Held          bool   `json:"held,omitempty"`           // the hold gate stopped this order
	Shipment      string `json:"shipment,omitempty"`       // set once the labels were requested
	Partial       bool   `json:"partial,omitempty"`        // the shipment is partial

	// Set by the station from its configuration and devices, never stored
	// with the state: Rules is the [pack] section; HasScale says the bench
	// weighs with a scale (typed weights are refused) rather than by hand;
	// Shipped says the carrier or hub reported the shipment shipped, after
	// which it can no longer be voided.
	Rules    Rules `json:"-"`
	HasScale bool  `json:"-"`
	Shipped  bool  `json:"-"`
}

// Rules are the packing rules a bench works by (the station maps them from
// its configuration's [pack] section).
type Rules struct {
	// ConfirmQuantityAbove: keyed quantities above this are confirmed.
	ConfirmQuantityAbove int
	// A weighed carton is accepted within either tolerance of its expected
	// weight (items plus box tare): the larger of the two applies.
	WeightTolerancePercent float64
	WeightToleranceGrams   int
	HoldingLocation        string // where cartons of orders put on hold go
	HazmatAlone            bool   // hazmat items ship in a carton of their own
	Boxes                  []Box  // the box sizes packers choose from
}

// Box is a box size the bench packs in.
type Box struct {
	Name                        string
	Code                        string // barcode on the shelf or box
	LengthMM, WidthMM, HeightMM int
	TareG                       int     // empty box weight in grams
	FillFactor                  float64 // share of the volume items may fill, 0 < f ≤ 1
}

// LoggedIn reports whether an operator is logged in.
func (s State) LoggedIn() bool { return s.Operator.Badge != "" }

// OpenCarton returns the carton units go into now, when one is open.
func (s State) OpenCarton() (Carton, bool) {
	if n := len(s.Cartons); n > 0 && !s.Cartons[n-1].Closed {
		return s.Cartons[n-1], true
	}
	return Carton{}, false
}

// Line returns the order line numbered no.
func (s State) Line(no int) (floor.PackLine, bool) {
	for _, l := range s.Order.Lines {
		if l.LineNo == no {
			return l, true
		}
	}
	return floor.PackLine{}, false
}

// Verified counts the units of line no verified so far, in every carton.
func (s State) Verified(no int) int {
	n := 0
	for _, c := range s.Cartons {
		for _, u := range c.Units {
			if u.Line == no {
				n += u.Qty
			}
		}
	}
	return n
}

// VerifiedLot counts the units of lot verified for line no, in every carton.
func (s State) VerifiedLot(no int, lot string) int {
	n := 0
	for _, c := range s.Cartons {
		for _, u := range c.Units {
			if u.Line == no && u.Lot == lot {
				n += u.Qty
			}
		}
	}
	return n
}

// serialCarton returns the carton a serial of line no was verified into, 0
// when it was not.
func (s State) serialCarton(no int, serial string) int {
	for _, c := range s.Cartons {
		for _, u := range c.Units {
			if u.Line == no && u.Serial == serial {
				return c.No
			}
		}
	}
	return 0
}

// SerialVerified reports whether serial of line no is verified already.
func (s State) SerialVerified(no int, serial string) bool {
	return s.serialCarton(no, serial) != 0
}

// HazmatConflict says why line's item may not go into the open carton when
// hazmat ships alone (a carton holding a hazmat item holds that item
// only), "" when it may.
func (s State) HazmatConflict(line floor.PackLine) string {
	if !s.Rules.HazmatAlone {
		return ""
	}
	c, ok := s.OpenCarton()
	if !ok {
		return ""
	}
	for _, u := range c.Units {
		if u.SKU == line.SKU {
			continue
		}
		other, _ := s.Line(u.Line)
		if line.Hazmat {
			return fmt.Sprintf("HAZMAT: %s must not share a carton with other goods. Close carton %d (CMD:CLOSE) and start a new one", line.SKU, c.No)
		}
		if other.Hazmat {
			return fmt.Sprintf("HAZMAT: carton %d holds %s, nothing else may go in. Close it (CMD:CLOSE) and start a new one", c.No, other.SKU)
		}
	}
	return ""
}

// Holding is where held and cancelled goods go, as the operator reads it.
func (s State) Holding() string {
	if s.Rules.HoldingLocation == "" {
		return "the holding shelf"
	}
	return floor.Printable(s.Rules.HoldingLocation)
}

// LineStatus is one line as the screen shows it.
type LineStatus struct {
	floor.PackLine
	Verified int
}

// Done reports whether the line needs nothing more for a complete shipment.
func (l LineStatus) Done() bool { return l.Verified >= l.Ordered }

// Lines lists the order's lines with their verified counts.
func (s State) Lines() []LineStatus {
	out := make([]LineStatus, len(s.Order.Lines))
	for i, l := range s.Order.Lines {
		out[i] = LineStatus{PackLine: l, Verified: s.Verified(l.LineNo)}
	}
	return out
}

// Progress counts units verified and picked, for the screen.
func (s State) Progress() (verified, picked int) {
	for _, l := range s.Order.Lines {
		picked += l.Picked
		verified += s.Verified(l.LineNo)
	}
	return
}

// CanComplete reports whether pack complete is available, and if not, why
// in words for the screen (the help line hides the key then).
func (s State) CanComplete() (bool, string) {
	if s.Order.ID == "" {
		return false, "no order on the bench"
	}
	if s.Shipment != "" {
		return false, "the shipment is complete"
	}
	for _, l := range s.Order.Lines {
		v := s.Verified(l.LineNo)
		if v < l.Picked {
			return false, fmt.Sprintf("line %d (%s): %d of %d verified: scan the rest, or ship partial (CMD:PARTIAL)", l.LineNo, l.SKU, v, l.Picked)
		}
		if l.Picked < l.Ordered {
			return false, fmt.Sprintf("line %d (%s) was short-picked (%d of %d): ship partial (CMD:PARTIAL)", l.LineNo, l.SKU, l.Picked, l.Ordered)
		}
	}
	return true, ""
}

// CanPartial reports whether a partial shipment is available, and if not, why.
func (s State) CanPartial() (bool, string) {
	if s.Order.ID == "" {
		return false, "no order on the bench"
	}
	if s.Shipment != "" {
		return false, "the shipment is complete"
	}
	verified, short := 0, false
	for _, l := range s.Order.Lines {
		v := s.Verified(l.LineNo)
		verified += v
		if v < l.Ordered {
			short = true
		}
	}
	if verified == 0 {
		return false, "nothing is verified yet: scan the units first"
	}
	if !short {
		return false, "nothing is short: use pack complete (CMD:COMPLETE)"
	}
	return true, ""
}

// Box returns the configured box with the given code.
func (s State) Box(code string) (Box, bool) {
	for _, b := range s.Rules.Boxes {
		if b.Code == code {
			return b, true
		}
	}
	return Box{}, false
}

// Suggestion is the box SuggestBox picks for the open carton's contents.
func (s State) Suggestion() (Box, error) {
	c, _ := s.OpenCarton()
	return SuggestBox(s.Rules.Boxes, s.sizes(c))
}

func (s State) sizes(c Carton) []ItemSize {
	var out []ItemSize
	for _, u := range c.Units {
		l, _ := s.Line(u.Line)
		if i := slices.IndexFunc(out, func(x ItemSize) bool { return x.SKU == l.SKU }); i >= 0 {
			out[i].Qty += u.Qty
			continue
		}
		out = append(out, ItemSize{SKU: l.SKU, LengthMM: l.LengthMM, WidthMM: l.WidthMM, HeightMM: l.HeightMM, Qty: u.Qty})
	}
	return out
}

// ExpectedWeight is the carton's items plus the box's tare, in grams, and
// whether every item's weight is known (when not, the weight is recorded
// but not checked).
func (s State) ExpectedWeight(c Carton, b Box) (float64, bool) {
	g, known := float64(b.TareG), true
	for _, u := range c.Units {
		l, _ := s.Line(u.Line)
		if l.UnitWeightG <= 0 {
			known = false
		}
		g += float64(u.Qty) * l.UnitWeightG
	}
	return g, known
}

// Tolerance is the allowance around an expected weight: the larger of the
// percentage and the fixed grams.
func (s State) Tolerance(expectedG float64) float64 {
	return max(expectedG*s.Rules.WeightTolerancePercent/100, float64(s.Rules.WeightToleranceGrams))
}

// ScaleReading is a stable weight from the bench's scale; the station only
// passes stable readings.
type ScaleReading struct {
	Grams float64
}

// Input is one thing the packer did: a scan (with what it names, resolved by
// the station), a command from a key, or a scale reading.
type Input struct {
	Scan    barcode.Meaning
	Command floor.Command // set for keys; scans of CMD:X arrive as Scan

	// Resolved by the station from its store; nil when the scan names none.
	// Operator: a badge scan, or the badge waiting for its PIN (StepPIN,
	// StepSupervisorPIN). Order: what a tote, order number or pick ticket
	// names at StepOrder and StepDone. Item: a scanned item the order's
	// own lines did not name (the workflow matches the order's GTINs and
	// SKUs itself; Item only serves to say which wrong item it was).
	Operator *floor.Operator
	Order    *floor.PackOrder
	Item     *floor.Item

	// Weight is a stable scale reading, only at StepWeigh and StepMismatch
	// (elsewhere it is ignored).
	Weight *ScaleReading
	// Standing is the order's latest status, holds and group as the station
	// knows them, nil for no news. The hold gate decides on it.
	Standing *floor.OrderStanding

	// UnknownTote is set by the station when a scanned tote is not known
	// there at all: nothing picked into it on the station, nothing about
	// it from the hub yet. The workflow says so and does not guess.
	UnknownTote *UnknownTote
	// FreedTote is set for a scanned tote that holds nothing because the
	// hub freed it: what it held, and why.
	FreedTote *FreedTote

	// Today is the station's date, for expiry checks.
	Today time.Time
	// RoleAllowed says whether this station lets the packer role log in.
	RoleAllowed bool
}

// Level and Feedback are the shared floor ones: what the packer sees and
// hears (Error rings the bell; Warn is done, but look).
type (
	Level    = floor.Level
	Feedback = floor.Feedback
)

const (
	Info  = floor.Info
	OK    = floor.OK
	Warn  = floor.Warn
	Error = floor.Error
)

// Result is what one Input did.
type Result = workflow.Result[State]

// Apply runs one input through the workflow.
func Apply(s State, in Input) Result {
	a := &applier{orig: s, s: s, in: in}
	if s.LoggedIn() {
		a.op = s.Operator.Badge
	}
	a.step()
	return Result{State: a.s, Events: a.events, Feedback: a.fb}
}

type applier struct {
	orig   State // for rejections: they change nothing
	s      State
	in     Input
	op     string
	events []floor.Event
	fb     Feedback
	copied bool // s.Cartons is this applier's own copy
}

func (a *applier) emit(t floor.EventType, v any) {
	a.events = append(a.events, floor.NewEvent(t, a.op, v))
}

func (a *applier) say(l Level, format string, args ...any) {
	a.fb = Feedback{Level: l, Message: fmt.Sprintf(format, args...)}
}

// reject refuses the input: the state goes back to what it was before this
// input and only the journal changes, recording the rejection.
func (a *applier) reject(format string, args ...any) {
	a.copied, a.op = false, a.orig.Operator.Badge
	r := workflow.Reject(a.orig, a.op, string(a.orig.Step), a.in.Scan, fmt.Sprintf(format, args...))
	a.s, a.events, a.fb = r.State, r.Events, r.Feedback
}

// rejectScan rejects with the interpreter's reason when it had one, so a
// garbled scan says what is wrong with it rather than what was expected.
func (a *applier) rejectScan(expected string) {
	a.reject("%s", workflow.ScanReason(a.in.Scan, expected))
}

// command returns the command the input carries, from a key or a scan.
func (a *applier) command() floor.Command { return workflow.CommandOf(a.in.Command, a.in.Scan) }

// text is a typed or scanned line used as free text.
func (a *applier) text() string { return workflow.Text(a.in.Scan) }

// cartons returns the state's cartons as this applier's own copy, so
// earlier States handed to the screen never change under it. The copy is
// shallow: a carton's Units are never written in place, only replaced
// (see count), so the cartons can share them.
func (a *applier) cartons() []Carton {
	if !a.copied {
		a.s.Cartons, a.copied = slices.Clone(a.s.Cartons), true
	}
	return a.s.Cartons
}

// open returns the open carton to change, opening a new one when none is.
func (a *applier) open() *Carton {
	cs := a.cartons()
	if n := len(cs); n > 0 && !cs[n-1].Closed {
		return &cs[n-1]
	}
	a.s.Cartons = append(cs, Carton{No: len(cs) + 1})
	return &a.s.Cartons[len(a.s.Cartons)-1]
}

func (a *applier) step() {
	cmd := a.command()
	if cmd == floor.CmdLogout && a.s.LoggedIn() {
		a.logout()
		return
	}
	switch a.s.Step {
	case StepLogin, "":
		a.login(cmd)
		return
	case StepPIN:
		a.pin(cmd)
		return
	}
	if !a.s.LoggedIn() { // a state that should not happen: stay safe
		a.reject("Log in first: scan your badge")
		a.s.Step = StepLogin
		return
	}
	if cmd == floor.CmdHelp { // the screen's business
		a.say(Info, "")
		return
	}
	if a.in.Weight != nil && a.s.Step != StepWeigh && a.s.Step != StepMismatch {
		a.say(Info, "No carton is waiting to be weighed")
		return
	}
	if st := a.in.Standing; st != nil && a.s.Order.ID != "" {
		if st.Status != "" {
			a.s.Order.Status = st.Status
		}
		a.s.Order.Holds, a.s.Order.GroupOpen = st.Holds, st.GroupOpen
	}
	if a.s.Order.Status == floor.OrderCancelled && a.packing() {
		a.hold("") // cancelled while on the bench: stop at once
		return
	}
	switch a.s.Step {
	case StepOrder:
		a.startOrder(cmd)
	case StepVerify:
		a.verify(cmd)
	case StepQuantity:
		a.quantity(cmd)
	case StepConfirm:
		a.confirm(cmd)
	case StepCount:
		a.countScan(cmd)
	case StepLot, StepSerial:
		a.lotOrSerial(cmd)
	case StepBox:
		a.box(cmd)
	case StepWeigh:
		a.weigh(cmd)
	case StepMismatch:
		a.mismatch(cmd)
	case StepSupervisor:
		a.supervisor(cmd)
	case StepSupervisorPIN:
		a.supervisorPIN(cmd)
	case StepReason:
		a.reason(cmd)
	case StepSetAside:
		a.setAsideConfirm(cmd)
	case StepPartial:
		a.partialConfirm(cmd)
	case StepHeld:
		a.held(cmd)
	case StepDone:
		a.done(cmd)
	case StepReprint:
		a.reprintCarton(cmd)
	case StepReprintReason:
		a.reprintReason(cmd)
	default:
		a.reject("Unexpected step %q: log out and in again", a.s.Step)
	}
}

// packing reports whether an order is on the bench and not yet labelled or
// stopped.
func (a *applier) packing() bool {
	return a.s.Order.ID != "" && a.s.Shipment == "" && !a.s.Held && a.s.Step != StepOrder
}

// blocked reports whether the hold gate would stop the order now.
func (a *applier) blocked() bool {
	return a.s.Order.Status == floor.OrderCancelled || len(a.s.Order.Holds) > 0
}

// --- login -----------------------------------------------------------------

func (a *applier) login(cmd floor.Command) {
	switch si := workflow.Badge(cmd, a.in.Scan, a.in.Operator, floor.RolePacker, a.in.RoleAllowed); si.Next {
	case workflow.Rejected:
		a.reject("%s", si.Why)
	case workflow.Refused:
		a.events = append(a.events, si.Event)
		a.fb = Feedback{Level: Error, Message: si.Why}
	case workflow.AskPIN:
		a.s.Step, a.s.Pending, a.s.Operator = StepPIN, Pending{Badge: si.Operator.Badge}, floor.Operator{}
		a.fb = si.Feedback
	default:
		a.startSession(si.Operator)
	}
}

func (a *applier) pin(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepLogin, Pending{}
		a.say(Info, "Login cancelled")
		return
	}
	si := workflow.PIN(a.in.Operator, a.s.Pending.Badge, a.text())
	if si.Next != workflow.SignedIn {
		a.in.Scan.Input = workflow.Masked // never journal a typed PIN
		a.reject("%s", si.Why)
		a.events = si.Journal(a.events, a.op)
		a.s.Step, a.s.Pending = StepLogin, Pending{} // after reject, which restores the state
		return
	}
	a.startSession(si.Operator)
}

func (a *applier) startSession(op floor.Operator) {
	a.s.Operator = op
	a.op = op.Badge
	a.s.Pending = Pending{}
	a.events = append(a.events, workflow.LoggedIn(op))
	switch {
	case a.s.Order.ID == "":
		a.s.Step = StepOrder
		a.say(OK, "Hello %s: scan a tote, an order or a pick ticket", op.Name)
	case a.s.Shipment != "":
		a.s.Step = StepDone
		a.say(OK, "Hello %s: order %s is packed: scan the next order", op.Name, a.s.Order.ID)
	case a.s.Held:
		a.s.Step = StepHeld
		a.say(Warn, "Hello %s: order %s is stopped: %s", op.Name, a.s.Order.ID, a.holdInstruction())
	default:
		a.s.Step = StepVerify
		a.say(OK, "Hello %s: order %s is on the bench: carry on verifying", op.Name, a.s.Order.ID)
	}
}

func (a *applier) logout() {
	a.events = append(a.events, workflow.LoggedOut(a.s.Operator))
	name := a.s.Operator.Name
	a.s.Operator = floor.Operator{}
	a.s.Step = StepLogin
	a.s.Pending = Pending{}
	// A half-finished close starts again from verify at the next login.
	a.s.Finishing = ""
	a.op = ""
	a.say(OK, "Goodbye %s", name)
}

// --- start -----------------------------------------------------------------

// startOrder takes a scan that should name an order.
func (a *applier) startOrder(cmd floor.Command) {
	m := a.in.Scan
	switch cmd {
	case "":
	case floor.CmdOK, floor.CmdCancel:
		a.say(Info, "Nothing to confirm or cancel: scan a tote, an order or a pick ticket")
		return
	default:
		a.reject("%s does nothing here: scan a tote, an order or a pick ticket", cmd.Barcode())
		return
	}
	if m.Err != nil {
		a.rejectScan("")
		return
	}
	o := a.in.Order
	if o == nil {
		switch m.Kind {
		case barcode.KindTote:
			if u := a.in.UnknownTote; u != nil {
				a.reject("Tote %s is not known here yet — %s. Scan it again after the next pull, or scan its order number", m.Code, u.LastPull())
				return
			}
			if f := a.in.FreedTote; f != nil {
				a.reject("No order to pack in tote %s: %s", m.Code, f.Why())
				return
			}
			a.reject("No order to pack in tote %s", m.Code)
		case barcode.KindOrder:
			a.reject("Order %s is not on this station", m.Code)
		case barcode.KindGTIN, barcode.KindGS1:
			a.reject("Scan the tote, the order or the pick ticket first, then the items")
		case barcode.KindUnknown:
			a.reject("Unknown barcode %s: scan a tote, an order or a pick ticket", clip(floor.Printable(m.Input)))
		default:
			a.reject("That is %s: scan a tote, an order or a pick ticket", m.Kind.Noun())
		}
		return
	}
	switch o.Status {
	case floor.OrderCancelled:
		a.reject("Order %s is CANCELLED: do not pack it. Take the goods to %s", o.ID, a.holding())
		return
	case floor.OrderPacked, floor.OrderShipped:
		a.reject("Order %s is already %s: nothing to pack", o.ID, o.Status)
		return
	}
	if err := checkOrder(o); err != "" {
		a.reject("Cannot pack order %s: %s. Call a supervisor", o.ID, err)
		return
	}
	ordered, picked, short := 0, 0, 0
	for _, l := range o.Lines {
		ordered += l.Ordered
		picked += l.Picked
		short += l.Short
	}
	if picked == 0 {
		a.reject("Nothing of order %s has been picked yet", o.ID)
		return
	}
	a.s.Order = *o
	a.s.Cartons, a.copied = nil, false
	a.s.Pending, a.s.Finishing, a.s.SplitApproved, a.s.Held, a.s.Shipment, a.s.Partial = Pending{}, "", false, false, "", false
	a.s.Step = StepVerify
	a.emit(floor.EvPackStarted, floor.PackStartedPayload{
		Order: o.ID, Customer: o.Customer, Scanned: clip(floor.Printable(m.Input)), ScanKind: string(m.Kind),
		Lines: len(o.Lines), Ordered: ordered, Picked: picked, Short: short,
		ShipTogether: o.ShipTogether, Holds: holdInfos(o.Holds),
	})
	if len(o.Holds) > 0 {
		a.say(Warn, "Order %s is ON HOLD (%s): verify it, but no label prints until the hold is lifted", o.ID, holdReasons(o.Holds))
		return
	}
	a.say(OK, "Order %s for %s: %d units on %d lines. Scan each unit", o.ID, floor.Printable(o.Customer), picked, len(o.Lines))
}

// checkOrder refuses a snapshot the workflow cannot trust, rather than pack
// against wrong figures.
func checkOrder(o *floor.PackOrder) string {
	if o.ID == "" {
		return "the order has no number"
	}
	if len(o.Lines) == 0 {
		return "the order has no lines"
	}
	seen := make(map[int]bool, len(o.Lines))
	for _, l := range o.Lines {
		switch {
		case l.LineNo <= 0 || seen[l.LineNo]:
			return fmt.Sprintf("line number %d is missing or repeated", l.LineNo)
		case l.SKU == "":
			return fmt.Sprintf("line %d has no SKU", l.LineNo)
		case l.Ordered < 0 || l.Picked < 0 || l.Picked > l.Ordered:
			return fmt.Sprintf("line %d says %d picked of %d ordered", l.LineNo, l.Picked, l.Ordered)
		}
		seen[l.LineNo] = true
	}
	return ""
}

// --- verify ----------------------------------------------------------------

func (a *applier) verify(cmd floor.Command) {
	switch cmd {
	case "":
	case floor.CmdQuantity:
		a.s.Pending = Pending{Back: StepVerify}
		a.s.Step = StepQuantity
		a.say(Info, "Type how many units, then scan the item once")
		return
	case floor.CmdUndo:
		a.undo()
		return
	case floor.CmdCloseCarton:
		a.closeCarton()
		return
	case floor.CmdComplete:
		a.finish(FinishComplete)
		return
	case floor.CmdPartial:
		if a.s.Finishing == FinishPartial {
			a.finish(FinishPartial) // confirmed already (back from a hold)
			return
		}
		a.askPartial()
		return
	case floor.CmdCancel:
		a.askSetAside()
		return
	case floor.CmdOK:
		a.say(Info, "Nothing to confirm")
		return
	case floor.CmdReprint, floor.CmdVoid:
		a.reject("No label yet: %s works once the order is packed", cmd.Barcode())
		return
	case floor.CmdOverride:
		a.reject("Nothing to override: a supervisor is asked when a weight is off or a group would be split")
		return
	case floor.CmdReopen:
		a.reject("Nothing to reopen: a carton is reopened when its weight is off")
		return
	default:
		a.reject("%s does nothing here", cmd.Barcode())
		return
	}
	m := a.in.Scan
	if m.Err != nil {
		a.rejectScan("")
		return
	}
	if b, ok := a.boxOf(); ok {
		c := a.open()
		c.Box = b.Code
		a.say(Info, "Carton %d: box %s (%s)", c.No, b.Name, b.Code)
		return
	}
	line, ok := a.item(fmt.Sprintf("scan a unit of order %s", a.s.Order.ID))
	if !ok {
		return
	}
	qty, needConfirm := 1, false
	if e, ok := m.AI("30"); ok {
		// A count on the label (AI 30): one scan stands for that many units.
		n, err := strconv.Atoi(e.Value)
		if err != nil || n < 1 {
			a.reject("The count (30) %q on this label is not a quantity: scan each unit", e.Value)
			return
		}
		qty, needConfirm = n, true
	}
	a.unitScan(line, qty, needConfirm)
}

// item finds the order line a scan names, or rejects the scan.
func (a *applier) item(expected string) (floor.PackLine, bool) {
	m := a.in.Scan
	switch m.Kind {
	case barcode.KindGTIN, barcode.KindGS1, barcode.KindUnknown:
	case barcode.KindTote, barcode.KindOrder:
		a.reject("Order %s is on the bench: finish it, or put it aside (CMD:CANCEL), before the next", a.s.Order.ID)
		return floor.PackLine{}, false
	default:
		a.reject("That is %s: %s", m.Kind.Noun(), expected)
		return floor.PackLine{}, false
	}
	if l, ok := a.lineFor(m); ok {
		return l, true
	}
	if it := a.in.Item; it != nil {
		a.reject("Wrong item %s (%s): it is not in order %s. Put it aside", it.SKU, it.Description, a.s.Order.ID)
	} else {
		a.reject("Unknown barcode %s: not an item of order %s", clip(floor.Printable(m.Input)), a.s.Order.ID)
	}
	return floor.PackLine{}, false
}

// lineFor matches a scan against the order's own lines (GTIN, then SKU as
// typed, ignoring case as floor.SameSKU does, then the item the station
// resolved). When two lines hold the same item, the first with units
// still to verify wins.
func (a *applier) lineFor(m barcode.Meaning) (floor.PackLine, bool) {
	match := func(f func(floor.PackLine) bool) (floor.PackLine, bool) {
		var first floor.PackLine
		found := false
		for _, l := range a.s.Order.Lines {
			if !f(l) {
				continue
			}
			if a.s.Verified(l.LineNo) < l.Picked {
				return l, true
			}
			if !found {
				first, found = l, true
			}
		}
		return first, found
	}
	if m.GTIN != "" {
		if l, ok := match(func(l floor.PackLine) bool { return l.HasGTIN(m.GTIN) }); ok {
			return l, true
		}
	} else if m.Kind == barcode.KindUnknown {
		text := strings.TrimSpace(m.Input)
		if l, ok := match(func(l floor.PackLine) bool { return floor.SameSKU(l.SKU, text) }); ok {
			return l, true
		}
	}
	if it := a.in.Item; it != nil {
		return match(func(l floor.PackLine) bool { return l.SKU == it.SKU })
	}
	return floor.PackLine{}, false
}

// unitScan checks a scanned unit (or count) of line and counts it, asking
// for a lot or serial the line needs and the scan did not carry.
func (a *applier) unitScan(line floor.PackLine, qty int, needConfirm bool) {
	m := a.in.Scan
	if !a.in.Today.IsZero() {
		if err := m.CheckExpiry(a.in.Today); err != nil {
			a.reject("Expired: %v. Put it aside", err)
			return
		}
	}
	if (line.LotControlled || line.SerialControlled) && len(m.Warnings) > 0 {
		// A lost separator would record a wrong lot: never guess.
		a.reject("Lot not certain: %s. Scan the label again", m.Warnings[0])
		return
	}
	lot, serial, expiry := "", "", time.Time{}
	if line.LotControlled {
		lot, expiry = m.Lot, m.Expiry
	}
	if line.SerialControlled {
		serial = m.Serial
		if expiry.IsZero() {
			expiry = m.Expiry
		}
	}
	a.count(line, qty, lot, serial, expiry, needConfirm)
}

// count runs every check on qty units of line and records them in the open
// carton, or moves to the prompt that still has to be answered.
func (a *applier) count(line floor.PackLine, qty int, lot, serial string, expiry time.Time, needConfirm bool) {
	if line.SerialControlled && qty > 1 {
		a.reject("Scan each unit of %s: it needs a serial number per unit", line.SKU)
		return
	}
	if v := a.s.Verified(line.LineNo); v+qty > line.Picked {
		if v >= line.Picked {
			a.reject("EXTRA UNIT: all %d picked %s are verified. Put it aside, it is not counted", line.Picked, line.SKU)
		} else {
			a.reject("Too many: only %d more %s were picked, not %d. Nothing counted", line.Picked-v, line.SKU, qty)
		}
		return
	}
	if why := a.s.HazmatConflict(line); why != "" {
		a.reject("%s", why)
		return
	}
	if needConfirm && a.s.Rules.ConfirmQuantityAbove > 0 && qty > a.s.Rules.ConfirmQuantityAbove {
		a.s.Step = StepConfirm
		a.s.Pending = Pending{Qty: qty, Line: line.LineNo, Lot: lot, Serial: serial, Expiry: expiry, Scanned: true, Back: StepVerify}
		a.say(Info, "Confirm %d × %s: press Enter or scan CMD:OK; Esc or CMD:CANCEL to cancel", qty, line.SKU)
		return
	}
	if line.LotControlled && lot == "" {
		a.s.Step = StepLot
		a.s.Pending = Pending{Qty: qty, Line: line.LineNo, Expiry: expiry, Back: StepVerify}
		a.say(Info, "%s: scan or type the lot number", line.SKU)
		return
	}
	if line.SerialControlled && serial == "" {
		a.s.Step = StepSerial
		a.s.Pending = Pending{Qty: qty, Line: line.LineNo, Lot: lot, Expiry: expiry, Back: StepVerify}
		a.say(Info, "%s: scan or type the serial number", line.SKU)
		return
	}
	if line.LotControlled {
		picked := 0
		for _, l := range line.Lots {
			if l.Lot == lot {
				picked += l.Qty
			}
		}
		if picked == 0 {
			a.reject("WRONG LOT %s: it was not picked for order %s (picked: %s)", lot, a.s.Order.ID, lotList(line.Lots))
			return
		}
		if v := a.s.VerifiedLot(line.LineNo, lot); v+qty > picked {
			a.reject("Too many of lot %s: %d were picked, %d already verified", lot, picked, v)
			return
		}
	}
	if line.SerialControlled {
		if !slices.Contains(line.Serials, serial) {
			a.reject("WRONG SERIAL %s: it was not picked for order %s", serial, a.s.Order.ID)
			return
		}
		if c := a.s.serialCarton(line.LineNo, serial); c != 0 {
			a.reject("Serial %s is already verified (carton %d): this unit is counted once", serial, c)
			return
		}
	}
	p := floor.PackUnitPayload{Order: a.s.Order.ID, Line: line.LineNo, SKU: line.SKU, Qty: qty, Carton: a.s.openCartonNo(), Lot: lot, Serial: serial}
	if !expiry.IsZero() {
		p.Expiry = expiry.Format("2006-01-02")
	}
	s, err := a.s.withUnit(p)
	if err != nil { // the checks above make this unreachable
		a.reject("Not counted: %v", err)
		return
	}
	a.s, a.copied = s, true
	a.emit(floor.EvPackUnitVerified, p)
	verified, picked := a.s.Progress()
	v := a.s.Verified(line.LineNo)
	switch {
	case verified < picked:
		a.say(OK, "%s %d of %d into carton %d. %s to go", line.SKU, v, line.Picked, p.Carton, unitCount(picked-verified))
	case canComplete(a.s):
		a.say(OK, "%s %d of %d. All %s verified: pack complete (CMD:COMPLETE)", line.SKU, v, line.Picked, unitCount(picked))
	default:
		// Short lines are left: what was picked is all verified, but only a
		// partial shipment (or a supervisor) finishes this order.
		a.say(OK, "%s %d of %d. All %s picked are verified: ship partial (CMD:PARTIAL)", line.SKU, v, line.Picked, unitCount(picked))
	}
}

func (a *applier) undo() {
	c, ok := a.s.OpenCarton()
	if !ok || len(c.Units) == 0 {
		a.say(Info, "Nothing to undo in the open carton")
		return
	}
	oc := a.open()
	last := oc.Units[len(oc.Units)-1]
	oc.Units = oc.Units[:len(oc.Units)-1]
	a.emit(floor.EvPackUnitUndone, floor.PackUnitPayload{Order: a.s.Order.ID, Line: last.Line, SKU: last.SKU, Qty: last.Qty, Carton: oc.No, Lot: last.Lot, Serial: last.Serial})
	a.say(OK, "Undone: %d × %s taken back out of carton %d", last.Qty, last.SKU, oc.No)
}

// --- quantities, lots, serials ---------------------------------------------

func (a *applier) quantity(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.say(Info, "Quantity cancelled")
		return
	}
	verified, picked := a.s.Progress()
	left := picked - verified
	n, err := strconv.Atoi(a.text())
	if cmd != "" || err != nil || n < 1 {
		a.reject("Type a quantity from 1 to %d, or cancel", left)
		return
	}
	if n > left {
		a.reject("Only %d units are left to verify, not %d", left, n)
		return
	}
	if a.s.Rules.ConfirmQuantityAbove > 0 && n > a.s.Rules.ConfirmQuantityAbove {
		a.s.Step = StepConfirm
		a.s.Pending = Pending{Qty: n, Back: StepVerify}
		a.say(Info, "Confirm %d units: press Enter or scan CMD:OK; Esc or CMD:CANCEL to cancel", n)
		return
	}
	a.s.Step = StepCount
	a.s.Pending = Pending{Qty: n, Back: StepVerify}
	a.say(Info, "Scan the item: the scan counts %d units", n)
}

func (a *applier) confirm(cmd floor.Command) {
	p := a.s.Pending
	switch {
	case cmd == floor.CmdCancel:
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.say(Info, "Quantity cancelled")
	case cmd == floor.CmdOK || (cmd == "" && a.text() == ""):
		if !p.Scanned {
			a.s.Step = StepCount
			a.s.Pending = Pending{Qty: p.Qty, Back: StepVerify}
			a.say(Info, "Scan the item: the scan counts %d units", p.Qty)
			return
		}
		line, ok := a.s.Line(p.Line)
		if !ok {
			a.reject("That line is no longer on the order: cancel")
			return
		}
		a.count(line, p.Qty, p.Lot, p.Serial, p.Expiry, false)
	default:
		a.reject("Press Enter or scan CMD:OK to confirm %d, Esc or CMD:CANCEL to cancel", p.Qty)
	}
}

// countScan is the item scan after a typed quantity.
func (a *applier) countScan(cmd floor.Command) {
	n := a.s.Pending.Qty
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.say(Info, "Quantity cancelled")
		return
	}
	if cmd != "" {
		a.reject("Scan the item to count %d units, or cancel", n)
		return
	}
	if a.in.Scan.Err != nil {
		a.rejectScan("")
		return
	}
	if _, ok := a.boxOf(); ok {
		a.reject("That is a box: scan the item to count %d units, or cancel", n)
		return
	}
	line, ok := a.item(fmt.Sprintf("scan the item to count %d units", n))
	if !ok {
		return
	}
	a.unitScan(line, n, false)
}

// lotOrSerial takes the lot or serial a line needs, typed or scanned. As at
// the pick cart, a scan of something else is never taken for a lot: what
// reads as a location, tote, badge, order or carton label is refused, and a
// GS1 label is read by its AIs under the unit scan's rules.
func (a *applier) lotOrSerial(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.say(Info, "Cancelled: nothing counted, scan the item again")
		return
	}
	what := string(a.s.Step)
	if cmd != "" {
		a.reject("Scan or type the %s number, or cancel", what)
		return
	}
	p := a.s.Pending
	line, ok := a.s.Line(p.Line)
	if !ok {
		a.reject("That line is no longer on the order: cancel")
		return
	}
	m := a.in.Scan
	lot, serial := p.Lot, ""
	switch m.AtTextPrompt() {
	case barcode.EntryRefused:
		if m.Err != nil {
			a.reject("%s: scan the label again, or type the %s number", workflow.Capitalise(m.Err.Error()), what)
			return
		}
		a.reject("That is %s (%s), not a %s number: scan or type the %s", m.Kind.Noun(), clip(floor.Printable(m.Input)), what, what)
		return
	case barcode.EntryLabel:
		// A GS1 scan of the unit's own label: take the AI, not the digits.
		if m.GTIN != "" && !line.HasGTIN(m.GTIN) {
			a.reject("Wrong item: scan the %s of %s", what, line.SKU)
			return
		}
		if m.Uncertain != "" {
			// A lost separator would record a wrong lot: never guess. A lot
			// label without its GTIN (a pair warning) is no doubt.
			a.reject("%s not certain: %s. Scan the label again", workflow.Capitalise(what), m.Uncertain)
			return
		}
		if !a.in.Today.IsZero() {
			if err := m.CheckExpiry(a.in.Today); err != nil {
				a.reject("Expired: %v. Put it aside", err)
				return
			}
		}
		if !m.Expiry.IsZero() {
			if !p.Expiry.IsZero() && !p.Expiry.Equal(m.Expiry) {
				a.reject("This label expires %s, the unit scanned %s: scan the same unit's label", m.Expiry.Format("2006-01-02"), p.Expiry.Format("2006-01-02"))
				return
			}
			p.Expiry = m.Expiry
		}
		if a.s.Step == StepLot {
			lot = m.Lot
			if line.SerialControlled {
				serial = m.Serial
			}
		} else {
			serial = m.Serial
			if m.Lot != "" && lot != "" && m.Lot != lot {
				a.reject("This label is lot %s, the unit is lot %s: scan the same unit's label", m.Lot, lot)
				return
			}
		}
		if (a.s.Step == StepLot && lot == "") || (a.s.Step == StepSerial && serial == "") {
			a.reject("That barcode has no %s number: scan or type it", what)
			return
		}
	default:
		value, why := workflow.TypedNumber(a.in.Scan, what)
		if why != "" {
			a.reject("%s", why)
			return
		}
		if a.s.Step == StepLot {
			lot = value
		} else {
			serial = value
		}
	}
	a.count(line, max(p.Qty, 1), lot, serial, p.Expiry, false)
}

// --- cartons, boxes, weights -----------------------------------------------

// boxOf returns the configured box the scan names, if any. Box codes never
// match another barcode pattern (the configuration checks it), so they
// arrive as unknown scans.
func (a *applier) boxOf() (Box, bool) {
	m := a.in.Scan
	if m.Err != nil || m.Kind != barcode.KindUnknown {
		return Box{}, false
	}
	return a.s.Box(strings.TrimSpace(m.Input))
}

func (a *applier) closeCarton() {
	c, ok := a.s.OpenCarton()
	if !ok || c.Count() == 0 {
		a.reject("The carton is empty: scan units into it first")
		return
	}
	a.toBoxOrWeigh(c)
}

// toBoxOrWeigh asks for the open carton's box, or its weight when the box
// is chosen.
func (a *applier) toBoxOrWeigh(c Carton) {
	if _, ok := a.s.Box(c.Box); ok {
		a.s.Step, a.s.Pending = StepWeigh, Pending{}
		a.say(Info, "%s", a.weighPrompt(c))
		return
	}
	a.s.Step, a.s.Pending = StepBox, Pending{}
	if b, err := a.s.Suggestion(); err == nil {
		a.say(Info, "Carton %d: press Enter for %s (%s), or scan another box", c.No, b.Name, b.Code)
	} else {
		a.say(Warn, "Carton %d: %v. Scan a box", c.No, err)
	}
}

func (a *applier) weighPrompt(c Carton) string {
	if a.s.HasScale {
		return fmt.Sprintf("Put carton %d (%s) on the scale", c.No, c.Box)
	}
	return fmt.Sprintf("Weigh carton %d (%s) and type its weight: grams (1250) or kilograms (1.25kg)", c.No, c.Box)
}

func (a *applier) box(cmd floor.Command) {
	switch {
	case cmd == floor.CmdCancel:
		a.s.Step, a.s.Pending, a.s.Finishing = StepVerify, Pending{}, ""
		a.say(Info, "The carton stays open")
		return
	case cmd == floor.CmdOK || (cmd == "" && a.text() == "" && a.in.Scan.Err == nil):
		b, err := a.s.Suggestion()
		if err != nil {
			a.reject("%s. Scan a box", workflow.Capitalise(err.Error()))
			return
		}
		a.setBox(b)
		return
	case cmd != "":
		a.reject("%s does nothing here: scan a box, or press Enter for the suggestion", cmd.Barcode())
		return
	}
	if b, ok := a.boxOf(); ok {
		a.setBox(b)
		return
	}
	a.rejectScan(fmt.Sprintf("Scan a box (%s), or press Enter for the suggestion", a.boxCodes()))
}

func canComplete(s State) bool {
	ok, _ := s.CanComplete()
	return ok
}

// unitCount says how many units in words: "1 unit", "3 units".
func unitCount(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return fmt.Sprintf("%d units", n)
}

// setBox puts the open carton in box b and asks for its weight.
func (a *applier) setBox(b Box) {
	c := a.open()
	c.Box = b.Code
	c.WeightG, c.ExpectedG, c.ToleranceG, c.WeightSource = 0, 0, 0, ""
	a.s.Step, a.s.Pending = StepWeigh, Pending{}
	msg := a.weighPrompt(*c)
	if !Fits(b, a.s.sizes(*c)) {
		a.say(Warn, "Box %s may be too small for these items. %s", b.Name, msg)
		return
	}
	a.say(Info, "Box %s. %s", b.Name, msg)
}

func (a *applier) boxCodes() string {
	codes := make([]string, len(a.s.Rules.Boxes))
	for i, b := range a.s.Rules.Boxes {
		codes[i] = b.Code
	}
	return strings.Join(codes, ", ")
}

func (a *applier) weigh(cmd floor.Command) {
	switch cmd {
	case "":
	case floor.CmdCancel:
		a.s.Step, a.s.Pending, a.s.Finishing = StepVerify, Pending{}, ""
		a.say(Info, "The carton stays open")
		return
	default:
		a.reject("%s does nothing here: weigh the carton, or cancel", cmd.Barcode())
		return
	}
	a.takeWeight()
}

// takeWeight reads a weight from the scale or the keyboard and checks it;
// a box scan changes the box instead.
func (a *applier) takeWeight() {
	if r := a.in.Weight; r != nil {
		g, err := checkWeight(r.Grams)
		if err != nil {
			a.reject("Scale: %s", err)
			return
		}
		a.recordWeight(g, "scale")
		return
	}
	if a.in.Scan.Err != nil {
		a.rejectScan("")
		return
	}
	if b, ok := a.boxOf(); ok {
		a.setBox(b)
		return
	}
	if a.s.HasScale {
		a.reject("Put the carton on the scale: this bench takes the weight from the scale")
		return
	}
	if k := a.in.Scan.Kind; k != barcode.KindUnknown {
		a.reject("That is %s: type the carton's weight, e.g. 1250 (grams) or 1.25kg", k.Noun())
		return
	}
	g, err := ParseWeight(a.text())
	if err != nil {
		a.reject("%s", workflow.Capitalise(err.Error()))
		return
	}
	a.recordWeight(g, "typed")
}

func (a *applier) recordWeight(g float64, source string) {
	oc, ok := a.s.OpenCarton()
	if !ok {
		a.reject("No carton is open")
		return
	}
	b, ok := a.s.Box(oc.Box)
	if !ok {
		a.reject("Box %s is not configured on this station: scan a box", oc.Box)
		return
	}
	expected, known := a.s.ExpectedWeight(oc, b)
	tol := a.s.Tolerance(expected)
	within := !known || math.Abs(g-expected) <= tol
	c := a.open()
	c.WeightG, c.WeightSource = g, source
	c.ExpectedG, c.ToleranceG = 0, 0
	if known {
		c.ExpectedG, c.ToleranceG = expected, tol
	}
	a.emit(floor.EvPackWeightRecorded, floor.PackWeightPayload{
		Order: a.s.Order.ID, Carton: c.No, Box: b.Code, WeightG: g, ExpectedG: c.ExpectedG, ToleranceG: c.ToleranceG,
		Checked: known, Within: within, Source: source,
	})
	if !within {
		a.s.Step, a.s.Pending = StepMismatch, Pending{}
		a.say(Error, "WEIGHT OFF: carton %d weighs %s, expected %s ± %s. Re-verify it (CMD:REOPEN), weigh again, or call a supervisor (CMD:OVERRIDE)",
			c.No, grams(g), grams(expected), grams(tol))
		return
	}
	a.closeWeighed()
	if !known && a.fb.Level != Error {
		a.fb = Feedback{Level: Warn, Message: "Weight recorded, not checked (an item's weight is unknown). " + a.fb.Message}
	}
}

// closeWeighed closes the open carton at its recorded weight and goes on
// with the finish when one is under way.
func (a *applier) closeWeighed() {
	c := a.open()
	c.Closed = true
	b, _ := a.s.Box(c.Box)
	p := floor.PackCartonPayload{
		Order: a.s.Order.ID, Carton: c.No, Box: b.Code, BoxName: b.Name,
		LengthMM: b.LengthMM, WidthMM: b.WidthMM, HeightMM: b.HeightMM, TareG: b.TareG,
		Units: c.Count(), WeightG: c.WeightG, ExpectedG: c.ExpectedG, Overridden: c.Overridden,
		Hazmat: a.hazmat(*c), Lines: a.cartonLines(*c),
	}
	no, weight := c.No, c.WeightG
	a.emit(floor.EvPackCartonClosed, p)
	a.s.Step, a.s.Pending = StepVerify, Pending{}
	if a.s.Finishing != "" {
		a.finish(a.s.Finishing)
		return
	}
	verified, picked := a.s.Progress()
	if verified == picked {
		a.say(OK, "Carton %d closed at %s. Everything is verified: pack complete (CMD:COMPLETE)", no, grams(weight))
		return
	}
	a.say(OK, "Carton %d closed at %s. Scan the next unit into carton %d", no, grams(weight), no+1)
}

func (a *applier) mismatch(cmd floor.Command) {
	switch cmd {
	case "":
		if _, box := a.boxOf(); a.in.Weight == nil && !box && (a.s.HasScale || a.in.Scan.Kind != barcode.KindUnknown) {
			a.reject("The weight is off: CMD:REOPEN to re-verify, weigh again, or CMD:OVERRIDE for a supervisor")
			return
		}
		a.takeWeight()
	case floor.CmdReopen:
		c := a.open()
		n, w := c.Count(), c.WeightG
		c.Units, c.WeightG, c.ExpectedG, c.ToleranceG, c.WeightSource = nil, 0, 0, 0, ""
		a.emit(floor.EvPackCartonReopened, floor.PackReopenedPayload{Order: a.s.Order.ID, Carton: c.No, Units: n, WeightG: w})
		a.s.Step, a.s.Pending, a.s.Finishing = StepVerify, Pending{}, ""
		a.say(OK, "Carton %d reopened: take everything out and scan each unit again", c.No)
	case floor.CmdOverride:
		a.s.Step = StepSupervisor
		a.s.Pending = Pending{Purpose: PurposeWeight, Back: StepMismatch}
		a.say(Info, "Supervisor: scan your badge to accept the weight, or cancel")
	case floor.CmdCancel:
		a.s.Step, a.s.Pending, a.s.Finishing = StepVerify, Pending{}, ""
		a.say(Info, "The carton stays open: add or take out units, then close it again")
	default:
		a.reject("The weight is off: CMD:REOPEN to re-verify, weigh again, or CMD:OVERRIDE for a supervisor")
	}
}

// --- supervisor ------------------------------------------------------------

func (a *applier) cancelSupervisor() {
	a.s.Step = a.s.Pending.Back
	if a.s.Step == "" {
		a.s.Step = StepVerify
	}
	if a.s.Pending.Purpose == PurposeSplit {
		a.s.Finishing = ""
	}
	a.s.Pending = Pending{}
	a.say(Info, "Override cancelled")
}

func (a *applier) supervisor(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.cancelSupervisor()
		return
	}
	switch si := workflow.Supervisor(cmd, a.in.Scan, a.in.Operator); si.Next {
	case workflow.Rejected:
		a.reject("%s", si.Why)
	case workflow.AskPIN:
		a.s.Step = StepSupervisorPIN
		a.s.Pending.Badge = si.Operator.Badge
		a.fb = si.Feedback
	default:
		a.supervisorIn(si.Operator)
	}
}

func (a *applier) supervisorPIN(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.cancelSupervisor()
		return
	}
	si := workflow.SupervisorPIN(cmd, a.in.Operator, a.s.Pending.Badge, a.text())
	a.in.Scan.Input = workflow.Masked // never journal a typed PIN
	if si.Next != workflow.SignedIn {
		p := a.s.Pending
		a.reject("%s", si.Why)
		a.events = si.Journal(a.events, a.op)
		a.s.Step, a.s.Pending = StepSupervisor, Pending{Purpose: p.Purpose, Back: p.Back}
		return
	}
	a.supervisorIn(si.Operator)
}

func (a *applier) supervisorIn(op floor.Operator) {
	a.s.Step = StepReason
	a.s.Pending.Badge = ""
	a.s.Pending.Supervisor, a.s.Pending.SupervisorName = op.Badge, op.Name
	a.say(Info, "%s: type the reason (3 to 80 characters) and press Enter", op.Name)
}

func (a *applier) reason(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.cancelSupervisor()
		return
	}
	reason, ok := workflow.Reason(cmd, a.in.Scan)
	if !ok {
		a.reject(workflow.ReasonPrompt)
		return
	}
	p := a.s.Pending
	switch p.Purpose {
	case PurposeWeight:
		c := a.open()
		c.Overridden = true
		a.emit(floor.EvPackOverride, floor.PackOverridePayload{
			Order: a.s.Order.ID, Purpose: floor.OverrideWeight, Carton: c.No, Supervisor: p.Supervisor, SupervisorName: p.SupervisorName, Reason: reason,
			Detail: fmt.Sprintf("carton %d weighed %s, expected %s ± %s", c.No, grams(c.WeightG), grams(c.ExpectedG), grams(c.ToleranceG)),
		})
		a.closeWeighed()
	case PurposeSplit:
		a.s.SplitApproved = true
		a.emit(floor.EvPackOverride, floor.PackOverridePayload{
			Order: a.s.Order.ID, Purpose: floor.OverrideSplit, Supervisor: p.Supervisor, SupervisorName: p.SupervisorName, Reason: reason,
			Detail: a.splitDetail(a.s.Finishing),
		})
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		if a.s.Finishing != "" {
			a.finish(a.s.Finishing)
			return
		}
		a.say(OK, "Split allowed by %s", p.SupervisorName)
	case PurposeVoid:
		a.emit(floor.EvPackVoided, floor.PackVoidPayload{
			Order: a.s.Order.ID, Shipment: a.s.Shipment, Cartons: len(a.s.Cartons), Supervisor: p.Supervisor, SupervisorName: p.SupervisorName, Reason: reason,
		})
		id, shipment := a.s.Order.ID, a.s.Shipment
		a.clearOrder()
		a.say(OK, "Shipment %s voided: take the labels off (any not printed yet are cancelled). Order %s goes back to packing: scan it to pack it again", shipment, id)
	default:
		a.reject("Nothing is waiting for a supervisor: cancel")
	}
}

// --- finishing -------------------------------------------------------------

// finish runs pack complete or partial as far as it can go: lines, the
// ship-together rule, the last carton, the hold gate, then the labels.
func (a *applier) finish(kind Finish) {
	if kind == FinishComplete {
		if ok, why := a.s.CanComplete(); !ok {
			a.reject("Not complete: %s", why)
			return
		}
	} else if ok, why := a.s.CanPartial(); !ok {
		a.reject("No partial shipment: %s", why)
		return
	}
	if a.s.Order.ShipTogether != "" && !a.s.SplitApproved && (kind == FinishPartial || len(a.s.Order.GroupOpen) > 0) {
		a.s.Finishing = kind
		a.s.Step = StepSupervisor
		a.s.Pending = Pending{Purpose: PurposeSplit, Back: StepVerify}
		a.say(Warn, "SHIP-TOGETHER: %s. A supervisor must allow the split: scan a supervisor badge, or cancel", a.splitDetail(kind))
		return
	}
	if c, ok := a.s.OpenCarton(); ok {
		if c.Count() > 0 {
			a.s.Finishing = kind
			a.toBoxOrWeigh(c)
			return
		}
		cs := a.cartons()
		a.s.Cartons = cs[:len(cs)-1] // an empty carton does not ship
	}
	if a.blocked() {
		a.hold(kind)
		return
	}
	a.ship(kind)
}

func (a *applier) splitDetail(kind Finish) string {
	o := a.s.Order
	var parts []string
	if kind == FinishPartial {
		parts = append(parts, fmt.Sprintf("a partial shipment of %s", o.ID))
	}
	if len(o.GroupOpen) > 0 {
		parts = append(parts, fmt.Sprintf("%s of group %s not packed yet", strings.Join(o.GroupOpen, ", "), o.ShipTogether))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("group %s", o.ShipTogether)
	}
	return fmt.Sprintf("group %s would be split: %s", o.ShipTogether, strings.Join(parts, "; "))
}

// hold stops the labels: the gate found a hold or a cancellation.
func (a *applier) hold(kind Finish) {
	a.s.Held, a.s.Finishing = true, kind
	a.s.Step, a.s.Pending = StepHeld, Pending{}
	verified, _ := a.s.Progress()
	a.emit(floor.EvPackHeld, floor.PackHeldPayload{
		Order: a.s.Order.ID, Status: a.s.Order.Status, Holds: holdInfos(a.s.Order.Holds),
		HoldingLocation: a.holding(), Cartons: len(a.s.Cartons), Units: verified,
	})
	a.say(Error, "NO LABEL: %s", a.holdInstruction())
}

func (a *applier) holdInstruction() string {
	o := a.s.Order
	n := len(o.Holds)
	if o.Status == floor.OrderCancelled {
		return fmt.Sprintf("order %s was CANCELLED. Take the goods to %s, then press Enter", o.ID, a.holding())
	}
	if n == 0 {
		return fmt.Sprintf("order %s is no longer held: pack complete (CMD:COMPLETE) to print", o.ID)
	}
	return fmt.Sprintf("order %s is ON HOLD (%s). Take the goods to %s, then press Enter", o.ID, holdReasons(o.Holds), a.holding())
}

// ship asks for the labels and completes the shipment.
func (a *applier) ship(kind Finish) {
	o := a.s.Order
	shipment := fmt.Sprintf("%s-%d", o.ID, o.Shipments+1)
	if kind == FinishPartial {
		p := floor.PackPartialPayload{Order: o.ID, Shipment: shipment}
		for _, l := range o.Lines {
			v := a.s.Verified(l.LineNo)
			if v > 0 {
				p.Ships = append(p.Ships, floor.ShipLine{Line: l.LineNo, SKU: l.SKU, Qty: v})
			}
			if v < l.Ordered {
				p.BackOrder = append(p.BackOrder, floor.BackOrderLine{Line: l.LineNo, SKU: l.SKU, Ordered: l.Ordered, Shipped: v, Remaining: l.Ordered - v, Missing: l.Picked - v})
			}
		}
		a.emit(floor.EvPackPartial, p)
	}
	n := len(a.s.Cartons)
	units, weight := 0, 0.0
	for _, c := range a.s.Cartons {
		b, _ := a.s.Box(c.Box)
		a.emit(floor.EvPackLabelRequested, floor.PackLabelPayload{
			Order: o.ID, Customer: o.Customer, Shipment: shipment, Carton: c.No, Cartons: n,
			Box: c.Box, BoxName: b.Name, WeightG: c.WeightG, Units: c.Count(), Hazmat: a.hazmat(c), Lines: a.cartonLines(c),
		})
		units += c.Count()
		weight += c.WeightG
	}
	a.emit(floor.EvPackShipmentCompleted, floor.PackShipmentPayload{
		Order: o.ID, Customer: o.Customer, Shipment: shipment, Cartons: n, Units: units, WeightG: weight, Partial: kind == FinishPartial,
	})
	a.s.Shipment, a.s.Partial, a.s.Finishing, a.s.Held = shipment, kind == FinishPartial, "", false
	a.s.Step, a.s.Pending = StepDone, Pending{}
	what := "packed"
	if kind == FinishPartial {
		what = "shipped partially; the rest is a back order"
	}
	labels := "1 label"
	if n != 1 {
		labels = fmt.Sprintf("%d labels", n)
	}
	a.say(OK, "Order %s %s: %s printing. Scan the next order", o.ID, what, labels)
}

func (a *applier) held(cmd floor.Command) {
	if cmd == floor.CmdOK || (cmd == "" && a.text() == "" && a.in.Scan.Err == nil) {
		// The packer took the goods away: that stands even if the hold
		// was lifted meanwhile.
		reason := floor.SetAsideHeld
		if a.s.Order.Status == floor.OrderCancelled {
			reason = floor.SetAsideCancelled
		}
		a.setAside(reason, a.holding())
		a.say(OK, "Order set aside on %s. Scan the next order", a.holding())
		return
	}
	if !a.blocked() {
		// Lifted since, as the station's latest standing says: the bench
		// is a verify bench again and pack complete passes the gate.
		a.s.Held, a.s.Step = false, StepVerify
		a.verify(cmd)
		return
	}
	a.reject("No label: %s", a.holdInstruction())
}

func (a *applier) askSetAside() {
	if v, _ := a.s.Progress(); v == 0 && len(a.s.Cartons) == 0 {
		a.setAside(floor.SetAsidePacker, "")
		a.say(OK, "Order put aside: nothing was verified. Scan a tote, an order or a pick ticket")
		return
	}
	a.s.Step, a.s.Pending = StepSetAside, Pending{Back: StepVerify}
	a.say(Warn, "Put order %s aside unpacked? What was verified is forgotten. Enter or CMD:OK to put it aside, Esc or CMD:CANCEL to go on packing", a.s.Order.ID)
}

// askPartial asks before a partial shipment: the rest of the order
// becomes a back order, which one stray key must never decide.
func (a *applier) askPartial() {
	if ok, why := a.s.CanPartial(); !ok {
		a.reject("No partial shipment: %s", why)
		return
	}
	verified, ordered := 0, 0
	for _, l := range a.s.Order.Lines {
		verified += a.s.Verified(l.LineNo)
		ordered += l.Ordered
	}
	a.s.Step, a.s.Pending = StepPartial, Pending{Back: StepVerify}
	a.say(Warn, "Ship order %s partially? %d of %d units ship; %d back-ordered. Enter, CMD:OK or F6 again to ship partial, Esc or CMD:CANCEL to go on packing",
		a.s.Order.ID, verified, ordered, ordered-verified)
}

func (a *applier) partialConfirm(cmd floor.Command) {
	switch {
	case cmd == floor.CmdCancel:
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.say(Info, "Carry on packing order %s", a.s.Order.ID)
	case cmd == floor.CmdOK || cmd == floor.CmdPartial || (cmd == "" && a.text() == "" && a.in.Scan.Err == nil):
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.finish(FinishPartial)
	default:
		a.reject("Enter or CMD:OK to ship order %s partially, Esc or CMD:CANCEL to go on packing", a.s.Order.ID)
	}
}

func (a *applier) setAsideConfirm(cmd floor.Command) {
	switch {
	case cmd == floor.CmdCancel:
		a.s.Step, a.s.Pending = StepVerify, Pending{}
		a.say(Info, "Carry on packing order %s", a.s.Order.ID)
	case cmd == floor.CmdOK || (cmd == "" && a.text() == "" && a.in.Scan.Err == nil):
		a.setAside(floor.SetAsidePacker, "")
		a.say(OK, "Order put aside: unpack the cartons back into the tote. Scan the next order")
	default:
		a.reject("Enter or CMD:OK to put order %s aside, Esc or CMD:CANCEL to go on packing", a.s.Order.ID)
	}
}

func (a *applier) setAside(reason, location string) {
	verified, _ := a.s.Progress()
	a.emit(floor.EvPackSetAside, floor.PackSetAsidePayload{Order: a.s.Order.ID, Reason: reason, Location: location, Cartons: len(a.s.Cartons), Units: verified})
	a.clearOrder()
}

func (a *applier) clearOrder() {
	a.s.Order, a.s.Cartons, a.copied = floor.PackOrder{}, nil, false
	a.s.Pending, a.s.Finishing, a.s.SplitApproved, a.s.Held, a.s.Shipment, a.s.Partial = Pending{}, "", false, false, "", false
	a.s.Step = StepOrder
}

// --- after the labels ------------------------------------------------------

func (a *applier) done(cmd floor.Command) {
	switch cmd {
	case floor.CmdReprint:
		if n := len(a.s.Cartons); n > 1 {
			a.s.Step, a.s.Pending = StepReprint, Pending{Back: StepDone}
			a.say(Info, "Reprint which carton? Type 1 to %d, or cancel", n)
			return
		}
		a.s.Step, a.s.Pending = StepReprintReason, Pending{Carton: 1, Back: StepDone}
		a.say(Info, "Why reprint? %s, or type the reason", reasonMenu())
	case floor.CmdVoid:
		if a.s.Shipped {
			a.reject("Shipment %s was reported shipped: it can no longer be voided", a.s.Shipment)
			return
		}
		a.s.Step, a.s.Pending = StepSupervisor, Pending{Purpose: PurposeVoid, Back: StepDone}
		a.say(Warn, "Void shipment %s: a supervisor scans their badge, or cancel", a.s.Shipment)
	default:
		a.startOrder(cmd)
	}
}

func (a *applier) reprintCarton(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepDone, Pending{}
		a.say(Info, "Reprint cancelled")
		return
	}
	n := len(a.s.Cartons)
	i, err := strconv.Atoi(a.text())
	if cmd != "" || err != nil || i < 1 || i > n {
		a.reject("Type a carton number from 1 to %d, or cancel", n)
		return
	}
	a.s.Step, a.s.Pending = StepReprintReason, Pending{Carton: i, Back: StepDone}
	a.say(Info, "Why reprint carton %d? %s, or type the reason", i, reasonMenu())
}

func (a *applier) reprintReason(cmd floor.Command) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepDone, Pending{}
		a.say(Info, "Reprint cancelled")
		return
	}
	text := a.text()
	reason, ok := workflow.FreeText(text)
	if i, err := strconv.Atoi(text); err == nil {
		ok = i >= 1 && i <= len(ReprintReasons)
		if ok {
			reason = ReprintReasons[i-1]
		}
	}
	if cmd != "" || !ok || a.in.Scan.Err != nil {
		a.reject("A reprint needs a reason: %s, or type it (3 to 80 characters)", reasonMenu())
		return
	}
	no := a.s.Pending.Carton
	a.emit(floor.EvPackReprintRequested, floor.PackReprintPayload{Order: a.s.Order.ID, Shipment: a.s.Shipment, Carton: no, Cartons: len(a.s.Cartons), Reason: reason})
	a.s.Step, a.s.Pending = StepDone, Pending{}
	a.say(OK, "Reprinting the label of carton %d of %d (%s)", no, len(a.s.Cartons), reason)
}

func reasonMenu() string {
	parts := make([]string, len(ReprintReasons))
	for i, r := range ReprintReasons {
		parts[i] = fmt.Sprintf("%d %s", i+1, r)
	}
	return strings.Join(parts, ", ")
}

// --- helpers ---------------------------------------------------------------

func (a *applier) holding() string {
	if a.s.Rules.HoldingLocation == "" {
		return "the holding shelf"
	}
	return a.s.Rules.HoldingLocation
}

func (a *applier) hazmat(c Carton) bool {
	for _, u := range c.Units {
		if l, _ := a.s.Line(u.Line); l.Hazmat {
			return true
		}
	}
	return false
}

// cartonLines sums a carton's scans per line, lots and serials listed.
func (a *applier) cartonLines(c Carton) []floor.CartonLine {
	var out []floor.CartonLine
	for _, u := range c.Units {
		i := slices.IndexFunc(out, func(l floor.CartonLine) bool { return l.Line == u.Line })
		if i < 0 {
			out = append(out, floor.CartonLine{Line: u.Line, SKU: u.SKU})
			i = len(out) - 1
		}
		out[i].Qty += u.Qty
		if u.Lot != "" && !slices.Contains(out[i].Lots, u.Lot) {
			out[i].Lots = append(out[i].Lots, u.Lot)
		}
		if u.Serial != "" {
			out[i].Serials = append(out[i].Serials, u.Serial)
		}
	}
	return out
}

func holdInfos(hs []floor.Hold) []floor.HoldInfo {
	if len(hs) == 0 {
		return nil
	}
	out := make([]floor.HoldInfo, len(hs))
	for i, h := range hs {
		out[i] = floor.HoldInfo(h)
	}
	return out
}

func holdReasons(hs []floor.Hold) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = h.Reason
		if h.Note != "" {
			parts[i] += ": " + h.Note
		}
	}
	return floor.Printable(strings.Join(parts, "; "))
}

func lotList(ls []floor.LotCount) string {
	if len(ls) == 0 {
		return "none recorded"
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.Lot
	}
	return strings.Join(parts, ", ")
}

// clip keeps a journaled input readable when a scanner sends garbage.
func clip(s string) string { return workflow.Clip(s) }
