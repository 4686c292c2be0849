// Package pick is the picking workflow as a pure function: a State and one
// Input give a new State, the events that record what happened, and the
// Feedback the picker sees and hears.
//
// Basics: a picker logs in by badge (and PIN when the operator has one),
// scans a tote, then for each task in walk order scans the location and the
// item, one unit per scan; after one scan a keyed quantity may count more.
// Short, skip and undo are commands, reachable by key or by command barcode.
//
// Caveats: Step never performs I/O and never reads the clock; the station
// resolves what a scan names (operator, item, location) before calling it and
// commits the events and the new state in one transaction before it shows the
// feedback. A rejected input returns the state unchanged and a single
// scan.rejected event, so rejections are journaled too.
package pick

import (
	"fmt"
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
	StepLogin    Step = "login"    // scan a badge
	StepPIN      Step = "pin"      // type the PIN
	StepTote     Step = "tote"     // scan a tote to pick into
	StepLocation Step = "location" // go to the location and scan it
	StepItem     Step = "item"     // scan the item, one unit per scan
	StepQuantity Step = "quantity" // type how many units
	StepConfirm  Step = "confirm"  // confirm a large quantity
	StepLot      Step = "lot"      // scan or type the lot
	StepSerial   Step = "serial"   // scan or type the serial
	StepShort    Step = "short"    // choose a short reason
	StepDone     Step = "done"     // the wave is picked
	StepNoWork   Step = "no_work"  // no wave for this station
	StepWaiting  Step = "waiting"  // every task left belongs to a held order

	// Releasing a tote that holds an order nobody will pack (CMD:OVERRIDE):
	StepSupervisor    Step = "supervisor"     // a supervisor scans their badge
	StepSupervisorPIN Step = "supervisor_pin" // the supervisor types their PIN
	StepReleaseTote   Step = "release_tote"   // the supervisor scans the tote
	StepReleaseReason Step = "release_reason" // and types why it is empty
	StepCountLocation Step = "count_location" // a count task: scan the location to count (count.go)
	StepCountQty      Step = "count_qty"      // and type the units found there
)

// Pending is data a step carries until it completes.
type Pending struct {
	Badge  string    `json:"badge,omitempty"` // StepPIN: who is logging in
	Qty    int       `json:"qty,omitempty"`   // StepConfirm, StepLot, StepSerial: units waiting
	Lot    string    `json:"lot,omitempty"`   // StepSerial: lot already known
	Expiry time.Time `json:"expiry,omitzero"` // from a GS1 scan
	Back   Step      `json:"back,omitempty"`  // StepShort, StepQuantity, release steps: where Cancel returns
	// The release of a tote: the supervisor, the tote and what it held.
	Supervisor     string `json:"supervisor,omitempty"`
	SupervisorName string `json:"supervisor_name,omitempty"`
	Tote           string `json:"tote,omitempty"`
	ToteHeld       string `json:"tote_held,omitempty"`
	// Count is the count task being counted (StepCountLocation, StepCountQty).
	Count int64 `json:"count,omitempty"`
}

// Pick is one counted scan of the current task, kept so undo can remove it.
type Pick struct {
	Qty    int
	Tote   string
	Lot    string
	Serial string
}

// State is everything the workflow decides from. The station loads it from
// the store at start, so a restart resumes at exactly the same step.
type State struct {
	Operator floor.Operator // zero when nobody is logged in
	Wave     floor.Wave     // zero when there is no work
	// Tasks are the wave's tasks in walk order. A task is never changed
	// in place: Apply puts a changed copy in a new Walk, so a walk and
	// its tasks never change under an earlier State (on the screen), and
	// a scan copies one task and one leg of the walk, not every task.
	Tasks   Walk
	Tote    string
	Current int64 // the current task's ID, 0 for none
	Step    Step
	Pending Pending
	Picks   []Pick // counted scans of the current task, oldest first
	// ToteOrder is the order Tote was taken for: one order per tote, so a
	// task of another order asks for a new one.
	ToteOrder string
	// ConfirmAbove is the keyed quantity above which the picker confirms.
	ConfirmAbove int
	// Held are the wave's orders on hold, sorted (the station reads them
	// from its store). Their tasks wait unless PickHeld.
	Held []string
	// PickHeld: held orders are picked anyway ([pick] on_hold = "pick");
	// the pack bench stops them.
	PickHeld bool
	// ShortReasons are the reasons a picker may give for a short, in the
	// order offered ([pick] short_reasons); none: floor.ShortReasons.
	ShortReasons []floor.ShortReason `json:"-"`
	// Returns are goods of cancelled orders waiting in the cart's totes
	// to go back to stock (returns.go), oldest first; the station reads
	// them from its store.
	Returns []floor.StockReturn `json:"-"`
	// Counts are the open count tasks the office sent to this cart, oldest
	// first (count.go); the station reads them from its store.
	Counts []CountTask `json:"-"`
}

// Reasons are the short reasons offered, in order.
func (s State) Reasons() []floor.ShortReason {
	if len(s.ShortReasons) == 0 {
		return floor.ShortReasons
	}
	return s.ShortReasons
}

// ReasonMenu is the reasons offered as the screen numbers them:
// "1 not found, 2 damaged, 3 quantity short".
func (s State) ReasonMenu(sep string) string {
	var parts []string
	for i, r := range s.Reasons() {
		parts = append(parts, fmt.Sprintf("%d %s", i+1, strings.ReplaceAll(string(r), "-", " ")))
	}
	return strings.Join(parts, sep)
}

// LoggedIn reports whether an operator is logged in.
func (s State) LoggedIn() bool { return s.Operator.Badge != "" }

// Task returns the current task.
func (s State) Task() (floor.PickTask, bool) {
	i := s.index(s.Current)
	if i < 0 {
		return floor.PickTask{}, false
	}
	return *s.Tasks.At(i), true
}

func (s State) index(id int64) int {
	if id == 0 {
		return -1
	}
	return s.Tasks.Index(id)
}

// Progress counts done tasks and units for the screen.
func (s State) Progress() (tasksDone, tasks, unitsDone, units int) {
	for _, t := range s.Tasks.All() {
		if t.Status == floor.TaskCancelled {
			continue // it left the walk
		}
		tasks++
		units += t.Qty
		unitsDone += t.QtyPicked
		if t.Status.Done() {
			tasksDone++
			if t.Status == floor.TaskShort {
				unitsDone += t.Remaining() // a short is handled: count it as done work
			}
		}
	}
	return
}

// Input is one thing the picker did: a scan (with what it names, resolved by
// the station) or a command from a key.
type Input struct {
	Scan    barcode.Meaning
	Command floor.Command // set for keys; scans of CMD:X arrive as Scan

	// Resolved by the station from its store; nil when the scan names none.
	Operator *floor.Operator
	Item     *floor.Item
	Location *floor.Location

	// ToteHolds is the order the scanned tote holds, "" when it is empty.
	ToteHolds string
	// Office is news from the office about the wave's orders (pulled by
	// sync): an input of its own, with no scan.
	Office *Office

	// Today is the station's date, for expiry checks.
	Today time.Time
	// RoleAllowed says whether this station lets the picker role log in.
	RoleAllowed bool
}

// Office is what the station read of the wave's orders in its store.
type Office struct {
	// Cancelled orders still in the walk or in a tote, with the goods
	// already picked for them.
	Cancelled []Withdrawal
	// Held is every held order of the wave now, sorted: a release is an
	// order missing from it.
	Held []string
	// Moved: a supervisor moved the wave to another cart (nil: it is
	// still this cart's).
	Moved *Moved
}

// Moved is a wave a supervisor moved to another cart: To has it now; By
// and Reason are from the office's notice ("" until it arrives).
type Moved struct {
	Wave, To, By, Reason string
}

// Withdrawal is a cancelled order and what was picked for it.
type Withdrawal struct {
	Order string
	Goods []floor.ReturnLine
}

// Level and Feedback are the shared floor ones: what the picker sees and
// hears (Error rings the bell).
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
	if in.Office != nil {
		a.office(in.Office)
	} else {
		a.step()
	}
	return Result{State: a.s, Events: a.events, Feedback: a.fb}
}

type applier struct {
	orig   State // for rejections: they change nothing
	s      State
	in     Input
	op     string
	events []floor.Event
	fb     Feedback
	// made is the walk this Apply last made with a changed leg, madeLeg
	// that leg: both are this Apply's own until it returns.
	made    Walk
	madeLeg int
}

func (a *applier) emit(t floor.EventType, v any) {
	a.events = append(a.events, floor.NewEvent(t, a.op, v))
}

func (a *applier) ok(format string, args ...any) {
	a.fb = Feedback{Level: OK, Message: fmt.Sprintf(format, args...)}
}

func (a *applier) info(format string, args ...any) {
	a.fb = Feedback{Level: Info, Message: fmt.Sprintf(format, args...)}
}

// reject refuses the input: the state goes back to what it was before this
// input and only the journal changes, recording the rejection.
func (a *applier) reject(format string, args ...any) {
	a.op = a.orig.Operator.Badge
	r := workflow.Reject(a.orig, a.op, string(a.orig.Step), a.in.Scan, fmt.Sprintf(format, args...))
	a.s, a.events, a.fb = r.State, r.Events, r.Feedback
}

// command returns the command the input carries, from a key or a scan.
func (a *applier) command() floor.Command { return workflow.CommandOf(a.in.Command, a.in.Scan) }

// text is a typed or scanned line used as free text (PIN, quantity, lot).
func (a *applier) text() string { return workflow.Text(a.in.Scan) }

func (a *applier) step() {
	cmd := a.command()
	if cmd == floor.CmdLogout && a.s.LoggedIn() {
		a.logout()
		return
	}
	if a.returnFrom(cmd) || a.counting(cmd) {
		return
	}
	switch a.s.Step {
	case StepLogin, "":
		a.login(cmd)
	case StepPIN:
		a.pin(cmd)
	case StepReturn:
		a.putBack(cmd)
	case StepNoWork, StepDone:
		if a.s.LoggedIn() && a.s.Wave.ID != "" && a.s.Wave.Status != "done" {
			// The station found a new wave: start it, then apply the
			// input that woke us to its first step (a tote scanned is a
			// tote scanned: never swallowed).
			a.startWave()
			a.orig = a.s    // the wave has started: a refusal below goes back to here, not before it
			a.made = Walk{} // orig has seen the walk: no leg of it is this Apply's own now
			if cmd == "" && a.in.Scan.Input == "" && a.in.Scan.Kind == "" {
				return
			}
			started := slices.Clone(a.events)
			a.picking(cmd)
			if len(a.events) > 0 && a.events[0].Type == floor.EvScanRejected {
				a.events = append(started, a.events...) // a refusal keeps the wave started
			}
			return
		}
		a.reject("No pick work on this station: log out (F10 or CMD:LOGOUT)")
	case StepWaiting:
		if !a.s.LoggedIn() {
			a.s.Step = StepLogin
			a.reject("Log in first: scan your badge")
			return
		}
		switch a.advance(false); a.s.Step {
		case StepWaiting:
			a.reject("%s", a.waitingMessage())
		case StepDone:
			a.ok("Wave complete")
		default:
			a.picking(cmd) // a release came: the input goes on
		}
	default:
		if !a.s.LoggedIn() { // a state that should not happen: stay safe
			a.reject("Log in first: scan your badge")
			a.s.Step = StepLogin // after reject, which restores the state
			return
		}
		a.picking(cmd)
	}
}

func (a *applier) login(cmd floor.Command) {
	switch si := workflow.Badge(cmd, a.in.Scan, a.in.Operator, floor.RolePicker, a.in.RoleAllowed); si.Next {
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
		a.info("Login cancelled")
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
	if a.s.Wave.ID == "" {
		a.s.Step = StepNoWork
		a.ok("Hello %s. No wave is waiting for this station", op.Name)
		return
	}
	a.startWave()
	a.ok("Hello %s", op.Name)
}

// startWave begins (or resumes) the state's wave at its next task.
func (a *applier) startWave() {
	if a.s.Wave.Status == "released" {
		a.s.Wave.Status = "in_progress"
		a.emit(floor.EvWaveStarted, floor.WavePayload{Wave: a.s.Wave.ID})
	}
	a.ok("Wave %s: %s", a.s.Wave.ID, "scan a tote")
	a.advance(false)
}

func (a *applier) logout() {
	a.events = append(a.events, workflow.LoggedOut(a.s.Operator))
	name := a.s.Operator.Name
	a.s.Operator = floor.Operator{}
	a.s.Step = StepLogin
	a.s.Pending = Pending{}
	a.op = ""
	a.ok("Goodbye %s", name)
}

// rejectScan rejects with the interpreter's reason when it had one, so a
// garbled scan says what is wrong with it rather than what was expected.
func (a *applier) rejectScan(expected string) {
	a.reject("%s", workflow.ScanReason(a.in.Scan, expected))
}

// picking handles every step between login and the end of the wave.
func (a *applier) picking(cmd floor.Command) {
	m := a.in.Scan
	task, ok := a.s.Task()
	if !ok {
		a.advance(false)
		task, ok = a.s.Task()
		if !ok {
			// Nothing is left to pick: the walk is over, which is news, not
			// a refused scan (a rejection would restore the stale step).
			a.info("No task to pick. %s", a.nextHint())
			return
		}
	}
	// Prompts that take free text come first: a lot or a quantity may look
	// like any barcode.
	switch a.s.Step {
	case StepQuantity:
		a.quantity(cmd, task)
		return
	case StepConfirm:
		a.confirm(cmd, task)
		return
	case StepLot, StepSerial:
		a.lotOrSerial(cmd, task)
		return
	case StepShort:
		a.short(cmd, task)
		return
	case StepSupervisor, StepSupervisorPIN, StepReleaseTote, StepReleaseReason:
		a.release(cmd)
		return
	}
	switch cmd {
	case "":
	case floor.CmdSkip:
		a.skip(task)
		return
	case floor.CmdShort:
		a.s.Pending = Pending{Back: a.s.Step}
		a.s.Step = StepShort
		a.info("Short pick: choose a reason (%s)", a.s.ReasonMenu(", "))
		return
	case floor.CmdUndo:
		a.undo(task)
		return
	case floor.CmdQuantity:
		a.askQuantity(task)
		return
	case floor.CmdOverride:
		a.s.Pending = Pending{Back: a.s.Step}
		a.s.Step = StepSupervisor
		a.info("Release a tote: supervisor, scan your badge (or cancel)")
		return
	case floor.CmdOK, floor.CmdCancel:
		a.info("Nothing to confirm or cancel")
		return
	default:
		a.reject("%s does nothing here", floor.Command(cmd).Barcode())
		return
	}
	if m.Err != nil {
		a.rejectScan("")
		return
	}
	if m.Kind == barcode.KindTote {
		a.switchTote(m.Code, task)
		return
	}
	switch a.s.Step {
	case StepTote:
		a.reject("Scan a tote to pick into")
	case StepLocation:
		a.atLocation(task)
	case StepItem:
		a.item(task)
	default:
		a.reject("Unexpected scan")
	}
}

func (a *applier) switchTote(code string, task floor.PickTask) {
	// One order per tote until a pack bench empties it: goods of two
	// orders in one tote are a mis-shipment waiting to happen.
	if holds := a.in.ToteHolds; holds != "" && holds != task.OrderID {
		a.reject("Tote %s holds %s: take an empty tote (F8: a supervisor releases it)", code, floor.Printable(holds))
		return
	}
	if code == a.s.Tote {
		a.info("Tote %s is already in use", code)
		return
	}
	a.s.Tote, a.s.ToteOrder = code, task.OrderID
	a.emit(floor.EvToteAssigned, floor.TotePayload{Tote: code, Wave: a.s.Wave.ID})
	if a.s.Step == StepTote {
		a.s.Step = StepLocation
	}
	a.ok("Picking into tote %s", code)
}

func (a *applier) atLocation(task floor.PickTask) {
	m := a.in.Scan
	switch m.Kind {
	case barcode.KindLocation:
		if m.Code != task.Location {
			a.reject("Wrong location %s: go to %s", m.Code, task.Location)
			return
		}
		a.setTask(task.ID, func(t *floor.PickTask) { t.Status = floor.TaskInProgress })
		a.emit(floor.EvLocationOK, payloadOf(task))
		a.s.Step = StepItem
		a.ok("At %s: scan %s", task.Location, task.SKU)
	case barcode.KindGTIN, barcode.KindGS1, barcode.KindUnknown:
		a.reject("Scan the location %s first", task.Location)
	default:
		a.reject("That is %s: scan the location %s", m.Kind.Noun(), task.Location)
	}
}

func (a *applier) item(task floor.PickTask) {
	m := a.in.Scan
	switch m.Kind {
	case barcode.KindLocation:
		if m.Code == task.Location {
			a.info("Location %s already confirmed: scan the item", task.Location)
		} else {
			a.reject("Wrong location %s: you are picking at %s", m.Code, task.Location)
		}
		return
	case barcode.KindGTIN, barcode.KindGS1, barcode.KindUnknown:
	default:
		a.reject("That is %s: scan the item %s", m.Kind.Noun(), task.SKU)
		return
	}
	it := a.in.Item
	if it == nil {
		a.reject("Unknown barcode %s: scan the item %s", floor.Printable(m.Input), task.SKU)
		return
	}
	if it.SKU != task.SKU {
		a.reject("Wrong item %s (%s): pick %s", it.SKU, it.Description, task.SKU)
		return
	}
	if !a.in.Today.IsZero() {
		if err := m.CheckExpiry(a.in.Today); err != nil {
			a.reject("Expired: %v, take another unit", err)
			return
		}
	}
	if (task.LotControlled || task.SerialControlled) && len(m.Warnings) > 0 {
		// A lost separator would record a wrong lot: never guess.
		a.reject("Lot not certain: %s. Scan the label again", m.Warnings[0])
		return
	}
	if task.Remaining() < 1 {
		a.reject("Task already complete")
		return
	}
	// Lots, serials and expiry are kept for the items that are tracked by
	// them; for others the extra data on a GS1 label is just read past.
	lot, serial, expiry := "", "", time.Time{}
	if task.LotControlled {
		lot, expiry = m.Lot, m.Expiry
	}
	if task.SerialControlled {
		serial = m.Serial
		if expiry.IsZero() {
			expiry = m.Expiry
		}
	}
	a.count(task, 1, lot, serial, expiry)
}

// count records qty units, first asking for a lot or serial the item needs
// and the scan did not carry.
func (a *applier) count(task floor.PickTask, qty int, lot, serial string, expiry time.Time) {
	if task.LotControlled && lot == "" {
		a.s.Pending = Pending{Qty: qty, Expiry: expiry, Back: StepItem}
		a.s.Step = StepLot
		a.info("Scan or type the lot number")
		return
	}
	if task.SerialControlled && serial == "" {
		a.s.Pending = Pending{Qty: qty, Lot: lot, Expiry: expiry, Back: StepItem}
		a.s.Step = StepSerial
		a.info("Scan or type the serial number")
		return
	}
	if a.s.Tote == "" || a.s.ToteOrder != task.OrderID {
		a.reject("Scan a tote for %s first", task.OrderID)
		return
	}
	p := floor.UnitsPayload{TaskPayload: payloadOf(task), Qty: qty, Tote: a.s.Tote, Lot: lot, Serial: serial}
	if !expiry.IsZero() {
		p.Expiry = expiry.Format("2006-01-02")
	}
	a.emit(floor.EvUnitsPicked, p)
	// Only the newest State is ever extended (the station replaces its state
	// each time), so appending in place never changes what an older State
	// holds: its length stops before the new element.
	a.s.Picks = append(a.s.Picks, Pick{Qty: qty, Tote: a.s.Tote, Lot: lot, Serial: serial})
	a.setTask(task.ID, func(t *floor.PickTask) {
		t.QtyPicked += qty
		t.Tote = a.s.Tote
		t.Status = floor.TaskInProgress
	})
	a.s.Pending = Pending{}
	a.s.Step = StepItem
	task, _ = a.s.Task()
	if task.Remaining() == 0 {
		a.emit(floor.EvTaskPicked, payloadOf(task))
		a.setTask(task.ID, func(t *floor.PickTask) { t.Status = floor.TaskPicked })
		a.advance(true)
		a.fb = Feedback{Level: OK, Message: fmt.Sprintf("Picked %d × %s. %s", task.Qty, task.SKU, a.nextHint())}
		return
	}
	a.ok("%d of %d: %d more", task.QtyPicked, task.Qty, task.Remaining())
}

func (a *applier) nextHint() string {
	if a.s.Step == StepDone {
		return "Wave complete"
	}
	if t, ok := a.s.Task(); ok {
		if a.s.Step == StepTote {
			return "Next order " + t.OrderID + ": scan a new tote"
		}
		return "Next: " + t.Location
	}
	return ""
}

// askQuantity starts a keyed quantity (F2, CMD:QTY). As at the pack bench,
// the item is scanned once first, so the keyed units are of the item that
// scan proved at this location; the quantity counts the units after it.
// Serial items are scanned unit by unit.
func (a *applier) askQuantity(task floor.PickTask) {
	switch {
	case a.s.Step != StepItem:
		a.reject("Scan the location %s first", task.Location)
	case task.SerialControlled:
		a.reject("Scan each unit: this item needs a serial number per unit")
	case len(a.s.Picks) == 0:
		a.reject("Scan the item once first, then F2 (CMD:QTY) for the rest")
	default:
		a.s.Pending = Pending{Back: StepItem}
		a.s.Step = StepQuantity
		a.info("Type how many more units (1 to %d) and press Enter", task.Remaining())
	}
}

func (a *applier) quantity(cmd floor.Command, task floor.PickTask) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepItem, Pending{}
		a.info("Quantity cancelled")
		return
	}
	if cmd != "" {
		a.reject("Type a quantity from 1 to %d, or cancel", task.Remaining())
		return
	}
	n, err := strconv.Atoi(a.text())
	if err != nil || n < 1 {
		a.reject("Type a quantity from 1 to %d, or cancel", task.Remaining())
		return
	}
	if n > task.Remaining() {
		a.reject("Only %d left to pick here, not %d", task.Remaining(), n)
		return
	}
	if a.s.ConfirmAbove > 0 && n > a.s.ConfirmAbove {
		a.s.Step = StepConfirm
		a.s.Pending = Pending{Qty: n, Back: StepItem}
		a.info("Confirm %d units: press Enter or scan CMD:OK; Esc or CMD:CANCEL to cancel", n)
		return
	}
	a.countKeyed(task, n)
}

// countKeyed counts units entered by quantity: the picker is at the
// confirmed location, has scanned the item once, and keyed how many more.
// They are one pick, so undo takes the keyed quantity back out whole. A lot
// item asks the lot of the keyed units (they need not be the scanned one's).
func (a *applier) countKeyed(task floor.PickTask, n int) {
	a.count(task, n, "", "", time.Time{})
}

func (a *applier) confirm(cmd floor.Command, task floor.PickTask) {
	switch {
	case cmd == floor.CmdCancel:
		a.s.Step, a.s.Pending = StepItem, Pending{}
		a.info("Quantity cancelled")
	case cmd == floor.CmdOK || (cmd == "" && a.text() == ""):
		n := a.s.Pending.Qty
		if n > task.Remaining() {
			a.reject("Only %d left to pick here, not %d: cancel (Esc or CMD:CANCEL) and type it again", task.Remaining(), n)
			return
		}
		a.countKeyed(task, n)
	default:
		a.reject("Press Enter or scan CMD:OK to confirm %d, Esc or CMD:CANCEL to cancel", a.s.Pending.Qty)
	}
}

// lotOrSerial takes the lot or serial the item needs, typed or scanned.
// A scan of something else is never stored as a lot: what reads as a
// location, tote, badge, order or carton label is refused, and a scan of
// the unit's GS1 label is read by its AIs under the item step's rules.
func (a *applier) lotOrSerial(cmd floor.Command, task floor.PickTask) {
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = StepItem, Pending{}
		a.info("Cancelled: scan the item again")
		return
	}
	what := string(a.s.Step)
	if cmd != "" {
		a.reject("Scan or type the %s number, or cancel", what)
		return
	}
	m := a.in.Scan
	p := a.s.Pending
	lot, serial, expiry := p.Lot, "", p.Expiry
	switch m.AtTextPrompt() {
	case barcode.EntryRefused:
		if m.Err != nil {
			a.reject("%s: scan the label again, or type the %s number", workflow.Capitalise(m.Err.Error()), what)
			return
		}
		a.reject("That is %s (%s), not a %s number: scan or type the %s", m.Kind.Noun(), floor.Printable(m.Input), what, what)
		return
	case barcode.EntryLabel:
		var ok bool
		if lot, serial, expiry, ok = a.fromLabel(task, lot, expiry); !ok {
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
	a.count(task, max(p.Qty, 1), lot, serial, expiry)
}

// fromLabel reads the lot or serial the prompt asks for from a GS1 (or
// GTIN) scan, with the item step's rules: the task's item, a lot read
// for certain, not expired. The expiry is kept, and a serial that comes
// with a lot is taken too, so it is not asked again.
func (a *applier) fromLabel(task floor.PickTask, lot string, expiry time.Time) (string, string, time.Time, bool) {
	m := a.in.Scan
	what := string(a.s.Step)
	if m.GTIN != "" {
		switch it := a.in.Item; {
		case it == nil:
			a.reject("Unknown item (GTIN %s): scan the %s of %s", m.GTIN, what, task.SKU)
			return "", "", time.Time{}, false
		case it.SKU != task.SKU:
			a.reject("Wrong item %s (%s): scan the %s of %s", it.SKU, it.Description, what, task.SKU)
			return "", "", time.Time{}, false
		}
	}
	if m.Uncertain != "" {
		// A lost separator would record a wrong lot: never guess.
		a.reject("%s not certain: %s. Scan the label again", workflow.Capitalise(what), m.Uncertain)
		return "", "", time.Time{}, false
	}
	if !a.in.Today.IsZero() {
		if err := m.CheckExpiry(a.in.Today); err != nil {
			a.reject("Expired: %v, take another unit", err)
			return "", "", time.Time{}, false
		}
	}
	if !m.Expiry.IsZero() {
		if !expiry.IsZero() && !expiry.Equal(m.Expiry) {
			a.reject("This label expires %s, the unit scanned %s: scan the same unit's label", m.Expiry.Format("2006-01-02"), expiry.Format("2006-01-02"))
			return "", "", time.Time{}, false
		}
		expiry = m.Expiry
	}
	serial := ""
	switch a.s.Step {
	case StepLot:
		lot = m.Lot
		if task.SerialControlled {
			serial = m.Serial
		}
	default:
		serial = m.Serial
		if m.Lot != "" && lot != "" && m.Lot != lot {
			a.reject("This label is lot %s, the unit is lot %s: scan the same unit's label", m.Lot, lot)
			return "", "", time.Time{}, false
		}
	}
	if (a.s.Step == StepLot && lot == "") || (a.s.Step == StepSerial && serial == "") {
		a.reject("That barcode has no %s number: scan or type it", what)
		return "", "", time.Time{}, false
	}
	return lot, serial, expiry, true
}

func (a *applier) short(cmd floor.Command, task floor.PickTask) {
	if cmd == floor.CmdCancel {
		a.s.Step = a.s.Pending.Back
		if a.s.Step == "" {
			a.s.Step = StepLocation
		}
		a.s.Pending = Pending{}
		a.info("Short cancelled")
		return
	}
	reasons := a.s.Reasons()
	reason, ok := floor.ReasonCommand(cmd)
	if ok && !slices.Contains(reasons, reason) {
		// A command sheet of another site: this one does not take it.
		a.reject("%s is not a short reason at this site: choose %s (or cancel)", strings.ReplaceAll(string(reason), "-", " "), a.s.ReasonMenu(", "))
		return
	}
	if !ok && cmd == "" {
		if i, err := strconv.Atoi(a.text()); err == nil && i >= 1 && i <= len(reasons) {
			reason, ok = reasons[i-1], true
		}
	}
	if !ok {
		a.reject("Choose a reason: %s (or cancel)", a.s.ReasonMenu(", "))
		return
	}
	short := task.Remaining()
	a.emit(floor.EvTaskShort, floor.ShortPayload{TaskPayload: payloadOf(task), Picked: task.QtyPicked, Short: short, Reason: reason})
	a.setTask(task.ID, func(t *floor.PickTask) { t.Status = floor.TaskShort })
	a.advance(true)
	a.fb = Feedback{Level: OK, Message: fmt.Sprintf("Short %d × %s (%s) recorded. %s", short, task.SKU, reason.Describe(), a.nextHint())}
}

func (a *applier) skip(task floor.PickTask) {
	others := 0
	last := 0
	for _, t := range a.s.Tasks.All() {
		last = max(last, t.SortKey)
		if t.ID != task.ID && !t.Status.Done() {
			others++
		}
	}
	if others == 0 {
		a.reject("This is the last task: pick it or short it")
		return
	}
	if len(a.s.Picks) > 0 {
		a.reject("Units already picked here: finish, undo or short this task")
		return
	}
	key := last + 1
	a.emit(floor.EvTaskSkipped, floor.SkipPayload{TaskPayload: payloadOf(task), SortKey: key})
	a.setTask(task.ID, func(t *floor.PickTask) { t.Status = floor.TaskSkipped; t.SortKey = key })
	walk := a.s.Tasks.Tasks()
	slices.SortStableFunc(walk, func(x, y *floor.PickTask) int { return x.SortKey - y.SortKey })
	a.s.Tasks = WalkOf(walk)
	a.advance(true)
	a.ok("Skipped %s at %s. %s", task.SKU, task.Location, a.nextHint())
}

func (a *applier) undo(task floor.PickTask) {
	if n := len(a.s.Picks); n > 0 {
		last := a.s.Picks[n-1]
		a.s.Picks = slices.Clone(a.s.Picks[:n-1])
		a.emit(floor.EvPickUndone, floor.UndoPayload{TaskPayload: payloadOf(task), Qty: last.Qty})
		a.setTask(task.ID, func(t *floor.PickTask) {
			t.QtyPicked -= last.Qty
			t.Tote = "" // the task's tote is where its last remaining pick went
			if n := len(a.s.Picks); n > 0 {
				t.Tote = a.s.Picks[n-1].Tote
			}
		})
		task, _ = a.s.Task()
		a.s.Step = StepItem
		a.ok("Undone: %d × %s taken back out. %d of %d", last.Qty, task.SKU, task.QtyPicked, task.Qty)
		return
	}
	if a.s.Step == StepItem {
		a.s.Step = StepLocation
		a.ok("Undone: scan the location %s again", task.Location)
		return
	}
	a.info("Nothing to undo on this task")
}

// advance moves to the next task in walk order: open or in-progress tasks
// first, then skipped ones; a held order's tasks wait. With none left, the
// wave is complete; with only held ones left, the picker waits.
func (a *applier) advance(taskDone bool) {
	a.s.Pending = Pending{}
	next := int64(0)
	waiting := false
	for _, skipped := range []bool{false, true} {
		for t := range a.s.Tasks.ToPick(skipped) {
			if a.waits(*t) {
				waiting = true
				continue
			}
			next = t.ID
			break
		}
		if next != 0 {
			break
		}
	}
	if next != a.s.Current {
		a.s.Picks = nil // the counted scans belong to the task we leave
	}
	a.s.Current = next
	if next == 0 && waiting {
		a.s.Step = StepWaiting
		return
	}
	if next == 0 {
		a.s.Step = StepDone
		if taskDone || a.s.Wave.Status != "done" {
			a.s.Wave.Status = "done"
			a.emit(floor.EvWaveCompleted, floor.WavePayload{Wave: a.s.Wave.ID})
		}
		return
	}
	// One tote per order: a new order needs its own tote, so the packer who
	// scans a tote gets exactly one order. A new wave's first order too.
	if t, _ := a.s.Task(); t.OrderID != a.s.ToteOrder {
		a.s.Tote, a.s.ToteOrder = "", ""
	}
	if a.s.Tote == "" {
		a.s.Step = StepTote
		return
	}
	a.s.Step = StepLocation
}

// setTask changes a copy of one task, in a new walk, so earlier States
// handed to the screen never change under it. The new walk copies one leg
// of pointers, not the whole list; a second change to the same leg in
// this Apply (a completing scan changes its task twice) goes into the leg
// this Apply made, which no State outside it has seen.
func (a *applier) setTask(id int64, fn func(*floor.PickTask)) {
	i := a.s.index(id)
	if i < 0 {
		return
	}
	t := *a.s.Tasks.At(i)
	fn(&t)
	w := a.s.Tasks
	if a.made.n > 0 && &w.legs[0] == &a.made.legs[0] && i/legSize == a.madeLeg { // a rejection or a new walk (skip) makes it another
		w.legs[i/legSize].put(i%legSize, &t)
		return
	}
	a.s.Tasks = w.With(i, &t)
	a.made, a.madeLeg = a.s.Tasks, i/legSize
}

func payloadOf(t floor.PickTask) floor.TaskPayload {
	return floor.TaskPayload{Task: t.ID, Order: t.OrderID, Line: t.LineNo, Location: t.Location, SKU: t.SKU}
}

// held reports whether an order is on hold.
func (s State) held(order string) bool {
	_, ok := slices.BinarySearch(s.Held, order)
	return ok
}

// waits reports whether a task waits for its order's hold to be released.
// The task in hand with units already counted is finished first.
func (a *applier) waits(t floor.PickTask) bool {
	if a.s.PickHeld || !a.s.held(t.OrderID) {
		return false
	}
	return t.ID != a.s.Current || len(a.s.Picks) == 0
}

func (a *applier) waitingMessage() string {
	var orders []string
	for _, t := range a.s.Tasks.All() {
		if !t.Status.Done() && a.s.held(t.OrderID) && !slices.Contains(orders, t.OrderID) {
			orders = append(orders, t.OrderID)
		}
	}
	return fmt.Sprintf("On hold: %s. Its tasks wait until the office releases it; log out (F10) or wait here", strings.Join(orders, ", "))
}

// office applies news from the office about the wave's orders: a cancelled
// order's tasks leave the walk, with the goods already picked for it sent
// back to stock; a held order's tasks wait (unless PickHeld), and come back
// when the hold is released.
func (a *applier) office(n *Office) {
	if m := n.Moved; m != nil && m.Wave != "" && m.Wave == a.s.Wave.ID {
		a.moved(m)
		return
	}
	var msgs []string
	level := Info
	for _, w := range n.Cancelled {
		var ids []int64
		for _, t := range a.s.Tasks.All() {
			if t.OrderID == w.Order && !t.Status.Done() {
				ids = append(ids, t.ID)
			}
		}
		if len(ids) == 0 && len(w.Goods) == 0 {
			continue
		}
		a.emit(floor.EvOrderWithdrawn, floor.WithdrawPayload{Order: w.Order, Tasks: ids, Returns: w.Goods})
		for _, id := range ids {
			a.setTask(id, func(t *floor.PickTask) { t.Status = floor.TaskCancelled })
		}
		if a.s.ToteOrder == w.Order {
			a.s.Tote, a.s.ToteOrder = "", "" // its goods go back: the next order takes a tote
		}
		msg := fmt.Sprintf("%s cancelled", floor.Printable(w.Order))
		if len(ids) > 0 {
			msg += ": its tasks left your walk"
		}
		if len(w.Goods) > 0 {
			msg += ". " + ReturnToStock(w.Goods) + ": scan the tote, then each location"
			for _, g := range w.Goods {
				a.s.Returns = append(slices.Clone(a.s.Returns), floor.StockReturn{Order: w.Order, ReturnLine: g})
			}
		}
		msgs = append(msgs, msg)
		level = Warn
	}
	was := a.s.Held
	a.s.Held = slices.Clone(n.Held)
	slices.Sort(a.s.Held)
	if len(a.s.Held) == 0 {
		a.s.Held = nil
	}
	inWave := func(order string) bool {
		for _, t := range a.s.Tasks.All() {
			if t.OrderID == order && !t.Status.Done() {
				return true
			}
		}
		return false
	}
	for _, o := range a.s.Held {
		if slices.Contains(was, o) || !inWave(o) {
			continue
		}
		if a.s.PickHeld {
			msgs = append(msgs, fmt.Sprintf("%s on hold: pick it on, the pack bench stops it", floor.Printable(o)))
		} else {
			msgs = append(msgs, fmt.Sprintf("%s on hold: its tasks wait until the office releases it", floor.Printable(o)))
		}
	}
	for _, o := range was {
		if !slices.Contains(a.s.Held, o) && inWave(o) && !a.s.PickHeld {
			msgs = append(msgs, fmt.Sprintf("%s released: its tasks are back in your walk", floor.Printable(o)))
		}
	}
	// Put the picker where the walk now is, if the task in hand left it.
	switch a.s.Step {
	case StepTote, StepLocation, StepItem, StepQuantity, StepConfirm, StepLot, StepSerial, StepShort, StepWaiting:
		if !a.s.LoggedIn() {
			break
		}
		t, ok := a.s.Task()
		if a.s.Step == StepWaiting || !ok || t.Status.Done() || a.waits(t) {
			a.advance(false)
		}
		if a.s.Step == StepWaiting && len(msgs) == 0 {
			msgs = append(msgs, a.waitingMessage())
		}
	}
	if len(msgs) == 0 {
		return // nothing the picker needs to know
	}
	if t, ok := a.s.Task(); ok && a.s.Step == StepTote {
		msgs = append(msgs, "Next order "+t.OrderID+": scan a new tote")
	}
	a.fb = Feedback{Level: level, Message: strings.Join(msgs, ". ")}
}

// moved drops a wave a supervisor moved to another cart: its tasks leave
// the walk (the other cart picks what the office has not seen picked),
// and the picker reads who moved it, why, and where its totes go. What
// was picked before is journaled already and syncs as it is; the office
// queues any pick it refuses for the supervisor.
func (a *applier) moved(m *Moved) {
	a.s.Wave, a.s.Tasks, a.s.Current, a.s.Picks, a.s.Held = floor.Wave{}, Walk{}, 0, nil, nil
	a.s.Tote, a.s.ToteOrder = "", ""
	switch a.s.Step {
	case StepLogin, StepPIN, "":
	case StepReturn, StepCountLocation, StepCountQty:
		if a.s.Pending.Back != "" {
			a.s.Pending.Back = StepNoWork // back to no work, not to a task that left
		}
	default:
		a.s.Step, a.s.Pending = StepNoWork, Pending{}
	}
	a.fb = Feedback{Level: Warn, Message: floor.WaveMovedWords(m.Wave, m.To, m.By, m.Reason)}
}

// ReturnToStock says which goods go back where, from which tote.
func ReturnToStock(goods []floor.ReturnLine) string {
	var parts []string
	for _, g := range goods {
		what := fmt.Sprintf("%d × %s", g.Qty, floor.Printable(g.SKU))
		if g.Lot != "" {
			what += " lot " + floor.Printable(g.Lot)
		}
		if g.Serial != "" {
			what += " serial " + floor.Printable(g.Serial)
		}
		parts = append(parts, fmt.Sprintf("from tote %s %s to %s", floor.Printable(g.Tote), what, floor.Printable(g.Location)))
	}
	return "Return to stock: " + strings.Join(parts, "; ")
}

// release walks a supervisor through emptying a tote by hand: badge (and
// PIN), the tote, the reason. The tote.released event records who and why.
func (a *applier) release(cmd floor.Command) {
	p := a.s.Pending
	if cmd == floor.CmdCancel {
		a.s.Step, a.s.Pending = p.Back, Pending{}
		if a.s.Step == "" {
			a.s.Step = StepTote
		}
		a.info("Tote release cancelled")
		return
	}
	m := a.in.Scan
	switch a.s.Step {
	case StepSupervisor:
		switch si := workflow.Supervisor(cmd, m, a.in.Operator); si.Next {
		case workflow.Rejected:
			a.reject("%s", si.Why)
		case workflow.AskPIN:
			a.s.Step = StepSupervisorPIN
			a.s.Pending.Supervisor, a.s.Pending.SupervisorName = si.Operator.Badge, si.Operator.Name
			a.fb = si.Feedback
		default:
			a.supervisorIn(si.Operator)
		}
	case StepSupervisorPIN:
		si := workflow.SupervisorPIN(cmd, a.in.Operator, p.Supervisor, a.text())
		a.in.Scan.Input = workflow.Masked // never journal a typed PIN
		if si.Next != workflow.SignedIn {
			a.reject("%s", si.Why)
			a.events = si.Journal(a.events, a.op)
			a.s.Step, a.s.Pending = StepSupervisor, Pending{Back: p.Back} // after reject, which keeps the state
			return
		}
		a.supervisorIn(si.Operator)
	case StepReleaseTote:
		if cmd != "" || m.Kind != barcode.KindTote || m.Err != nil {
			a.rejectScan("Scan the tote to release, or cancel")
			return
		}
		switch {
		case a.in.ToteHolds == "":
			a.reject("Tote %s is empty already: scan it to pick into it", m.Code)
		case m.Code == a.s.Tote:
			a.reject("Tote %s is the one in use for %s: nothing to release", m.Code, floor.Printable(a.in.ToteHolds))
		default:
			a.s.Step = StepReleaseReason
			a.s.Pending.Tote, a.s.Pending.ToteHeld = m.Code, a.in.ToteHolds
			a.info("Tote %s holds %s: type why it is empty (3 to 80 characters) and press Enter", m.Code, floor.Printable(a.in.ToteHolds))
		}
	case StepReleaseReason:
		reason, ok := workflow.Reason(cmd, m)
		if !ok {
			a.reject(workflow.ReasonPrompt)
			return
		}
		a.emit(floor.EvToteReleased, floor.ToteReleasePayload{Tote: p.Tote, Order: p.ToteHeld, Reason: reason, Supervisor: p.Supervisor})
		a.s.Step, a.s.Pending = p.Back, Pending{}
		if a.s.Step == "" {
			a.s.Step = StepTote
		}
		a.ok("Tote %s released by %s: it no longer holds %s and may take another order", p.Tote, p.SupervisorName, floor.Printable(p.ToteHeld))
	}
}

func (a *applier) supervisorIn(op floor.Operator) {
	a.s.Step = StepReleaseTote
	a.s.Pending.Supervisor, a.s.Pending.SupervisorName = op.Badge, op.Name
	a.info("%s: scan the tote to release", op.Name)
}
