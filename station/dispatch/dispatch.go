// Package dispatch is the dispatch bench's workflow: at the dock, a loader
// signs in, opens a carrier's pickup (its manifest), scans each parcel's
// SSCC onto it and closes it when the truck leaves. Closing is the moment
// the parcels shipped: the manifest prints, and the hub ships the orders
// on that fact, never before.
//
// A parcel the dock must not send is refused loudly, in plain words, and
// the state stays exactly as it was: a parcel of a held or cancelled
// order, a voided label, a parcel not finished at the pack bench, one
// already loaded (here or on another pickup), one for another carrier, or
// an SSCC the station does not know.
//
// Like the other workflows it is pure: no I/O, no clock. The station
// resolves what a scan names (the parcel, the carrier's open pickup) into
// the Input first.
package dispatch

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/workflow"
)

// Step is where the loader is.
type Step string

const (
	StepLogin   Step = "login"
	StepPIN     Step = "pin"
	StepCarrier Step = "carrier" // choose a carrier (or scan a parcel: its carrier's pickup opens)
	StepLoad    Step = "load"    // scan parcels onto the open pickup
)

// Parcel is one parcel on a pickup.
type Parcel struct {
	SSCC     string `json:"sscc"`
	Order    string `json:"order"`
	Shipment string `json:"shipment"`
}

// Pickup is a carrier's pickup being loaded: its manifest so far, in load
// order.
type Pickup struct {
	ID      string   `json:"id"`
	Carrier string   `json:"carrier"`
	Parcels []Parcel `json:"parcels,omitempty"`
}

// Manifest is a pickup as it closed: what left, in load order.
type Manifest struct {
	Pickup  string   `json:"pickup"`
	Carrier string   `json:"carrier"`
	SSCCs   []string `json:"ssccs"`
}

// State is the whole dispatch bench.
type State struct {
	Step     Step           `json:"step"`
	Operator floor.Operator `json:"operator"`
	// Badge waits for its PIN (StepPIN).
	Badge string `json:"badge,omitempty"`
	// Pickup is the open pickup being loaded (StepLoad).
	Pickup Pickup `json:"pickup"`
	// Carriers are the carriers the loader chooses from, numbered from 1
	// (the station's: the carriers parcels wait for). Not saved.
	Carriers []string `json:"-"`
	// Closed is the pickup this bench closed last, shown until the next.
	Closed *Manifest `json:"closed,omitempty"`
}

// LoggedIn reports whether a loader is signed in.
func (s State) LoggedIn() bool {
	return s.Operator.Badge != "" && s.Step != StepLogin && s.Step != StepPIN
}

// Facts is what the station knows of a scanned parcel.
type Facts struct {
	SSCC     string
	Order    string
	Shipment string
	Carrier  string // the carrier its label is for
	// ShipmentStatus: labelled (packing not finished), completed (ready
	// to go), voided, shipped.
	ShipmentStatus string
	OrderStatus    floor.OrderStatus
	Holds          []floor.Hold
	// OnPickup is the pickup it is loaded on, "" when none; Left says
	// that pickup closed (the parcel left).
	OnPickup        string
	OnPickupCarrier string
	Left            bool
}

// Input is one input with what the station resolved for it.
type Input struct {
	Command floor.Command
	Scan    barcode.Meaning
	// Operator is the badge's operator at the login (or the waiting
	// badge's at the PIN), nil when unknown.
	Operator *floor.Operator
	// Allowed says whether the station offers a role.
	Allowed func(floor.Role) bool
	// Parcel is what the station knows of the scanned SSCC, nil when it
	// knows nothing of it.
	Parcel *Facts
	// Open is the named carrier's open pickup as the store holds it (a
	// pickup left open, by this loader or another), nil when none.
	Open *Pickup
	// NewPickup is the id a pickup opened now takes.
	NewPickup string
	// Loaded is what the station knows now of each parcel on the open
	// pickup, by SSCC, resolved for CLOSE: a hold, a cancellation or a
	// void that arrived after a parcel was loaded stops the pickup.
	Loaded map[string]*Facts
	// LastPull says when the station last heard from the hub
	// (workflow.LastPull), for an SSCC it knows nothing of: a parcel
	// packed on another station arrives with a pull.
	LastPull string
}

// Result is what one input did.
type Result = workflow.Result[State]

// Commands is the dispatch bench's command table.
var Commands = workflow.Commands(floor.DispatchCommands)

// Apply is the workflow: the state after in, the events that record it and
// what the loader sees and hears.
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
		r.State = State{Step: StepLogin, Carriers: s.Carriers, Closed: s.Closed}
		return r
	}
	switch cmd {
	case floor.CmdLogout:
		return logout(s)
	case floor.CmdHelp: // the screen's business
		return Result{State: s}
	}
	if s.Step == StepLoad {
		return load(s, in, cmd)
	}
	return carrier(s, in, cmd)
}

func ok(s State, msg string, events ...floor.Event) Result {
	return Result{State: s, Events: events, Feedback: floor.Feedback{Level: floor.OK, Message: msg}}
}

// door is the loader's login and PIN steps.
var door = workflow.Door[State]{
	MayNot:    "may not load parcels on this station",
	LoginStep: string(StepLogin), PINStep: string(StepPIN),
	AtLogin:  func(s State) State { s.Step, s.Badge = StepLogin, ""; return s },
	AtPIN:    func(s State, badge string) State { s.Step, s.Badge = StepPIN, badge; return s },
	SignedIn: signedIn,
}

func login(s State, in Input, cmd floor.Command) Result {
	return door.Badge(s, cmd, in.Scan, in.Operator, Role(in.Operator), in.Allowed)
}

func pin(s State, in Input, cmd floor.Command) Result {
	return door.PIN(s, cmd, in.Scan, in.Operator, s.Badge)
}

func signedIn(s State, op floor.Operator) Result {
	s.Operator, s.Badge, s.Step, s.Pickup = op, "", StepCarrier, Pickup{}
	return ok(s, fmt.Sprintf("Hello %s: %s", floor.Printable(op.Name), CarrierPrompt(s.Carriers)), workflow.LoggedIn(op))
}

// Role is the role an operator loads in: a loader's, else a packer's (a
// packer may load at a small site's bench), else loader (refused).
func Role(op *floor.Operator) floor.Role {
	if op != nil && !op.Has(floor.RoleLoader) && op.Has(floor.RolePacker) {
		return floor.RolePacker
	}
	return floor.RoleLoader
}

func logout(s State) Result {
	msg := "Logged out"
	if s.Pickup.ID != "" {
		msg = fmt.Sprintf("Logged out: pickup %s (%s) stays open with %s", s.Pickup.ID, floor.Printable(s.Pickup.Carrier), parcels(len(s.Pickup.Parcels)))
	}
	ev := workflow.LoggedOut(s.Operator)
	return ok(State{Step: StepLogin, Carriers: s.Carriers, Closed: s.Closed}, msg, ev)
}

// CarrierPrompt is what the carrier step asks for.
func CarrierPrompt(carriers []string) string {
	if len(carriers) == 0 {
		return "scan a parcel to open its carrier's pickup"
	}
	return "choose a carrier (type its number or name) or scan a parcel"
}

// carrier: the loader names a carrier (its pickup opens, or the one left
// open resumes), or scans a parcel (its carrier's pickup opens and the
// parcel goes on it).
func carrier(s State, in Input, cmd floor.Command) Result {
	step := string(StepCarrier)
	if cmd != "" {
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, "Choose a carrier first: "+CarrierPrompt(s.Carriers))
	}
	if sscc, isParcel := SSCC(in.Scan); isParcel {
		if why := refusal(s, sscc, in, ""); why != "" {
			return workflow.Reject(s, s.Operator.Badge, step, in.Scan, why)
		}
		opened := open(s, in, in.Parcel.Carrier)
		loaded := loadParcel(opened.State, in.Parcel)
		loaded.Events = append(opened.Events, loaded.Events...)
		loaded.Feedback.Message = fmt.Sprintf("Pickup %s for %s: %s", loaded.State.Pickup.ID, floor.Printable(loaded.State.Pickup.Carrier), loaded.Feedback.Message)
		return loaded
	}
	name, why := Carrier(in.Scan, s.Carriers)
	if why != "" {
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, why)
	}
	r := open(s, in, name)
	n := len(r.State.Pickup.Parcels)
	if n == 0 {
		r.Feedback.Message = fmt.Sprintf("Pickup %s for %s open: scan each parcel's SSCC", r.State.Pickup.ID, floor.Printable(name))
	} else {
		r.Feedback.Message = fmt.Sprintf("Pickup %s for %s resumed with %s: scan the next parcel", r.State.Pickup.ID, floor.Printable(name), parcels(n))
	}
	return r
}

// open opens the carrier's pickup: the one the store holds open, else a
// new one.
func open(s State, in Input, name string) Result {
	p := Pickup{ID: in.NewPickup, Carrier: name}
	resumed := false
	if in.Open != nil && strings.EqualFold(in.Open.Carrier, name) {
		p, resumed = *in.Open, true
		p.Parcels = slices.Clone(p.Parcels)
	}
	s.Step, s.Pickup, s.Closed = StepLoad, p, nil
	return ok(s, "", floor.NewEvent(floor.EvDispatchPickupOpened, s.Operator.Badge,
		floor.DispatchPickupPayload{Pickup: p.ID, Carrier: p.Carrier, Resumed: resumed}))
}

func load(s State, in Input, cmd floor.Command) Result {
	step := string(StepLoad)
	p := s.Pickup
	switch cmd {
	case "":
	case floor.CmdUndo:
		n := len(p.Parcels)
		if n == 0 {
			return workflow.Reject(s, s.Operator.Badge, step, in.Scan, "Nothing to undo: no parcel is on pickup "+p.ID)
		}
		last := p.Parcels[n-1]
		s.Pickup.Parcels = slices.Clone(p.Parcels[:n-1])
		return ok(s, fmt.Sprintf("Parcel %s is off pickup %s: take it off the truck. %s loaded", last.SSCC, p.ID, parcels(n-1)),
			floor.NewEvent(floor.EvDispatchParcelUnloaded, s.Operator.Badge, payload(last, p)))
	case floor.CmdClosePickup:
		if len(p.Parcels) == 0 {
			return workflow.Reject(s, s.Operator.Badge, step, in.Scan, "Nothing is loaded on pickup "+p.ID+": scan parcels first (CANCEL leaves it open)")
		}
		if why := stoppedOnBoard(p, in.Loaded); why != "" {
			return workflow.Reject(s, s.Operator.Badge, step, in.Scan, why)
		}
		m := Manifest{Pickup: p.ID, Carrier: p.Carrier}
		for _, x := range p.Parcels {
			m.SSCCs = append(m.SSCCs, x.SSCC)
		}
		s.Step, s.Pickup, s.Closed = StepCarrier, Pickup{}, &m
		return ok(s, fmt.Sprintf("Pickup %s closed: %s shipped with %s. The manifest prints: give it to the driver",
			p.ID, parcels(len(m.SSCCs)), floor.Printable(p.Carrier)),
			floor.NewEvent(floor.EvDispatchPickupClosed, s.Operator.Badge, floor.DispatchClosedPayload{Pickup: p.ID, Carrier: p.Carrier, SSCCs: m.SSCCs}))
	case floor.CmdCancel:
		s.Step, s.Pickup = StepCarrier, Pickup{}
		return ok(s, fmt.Sprintf("Pickup %s stays open with %s: %s", p.ID, parcels(len(p.Parcels)), CarrierPrompt(s.Carriers)),
			floor.NewEvent(floor.EvDispatchPickupLeft, s.Operator.Badge, floor.DispatchPickupPayload{Pickup: p.ID, Carrier: p.Carrier}))
	default:
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, fmt.Sprintf("%s does nothing here: scan a parcel, UNDO, CLOSE or CANCEL", cmd.Barcode()))
	}
	sscc, isParcel := SSCC(in.Scan)
	if !isParcel {
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, notParcel(in.Scan))
	}
	if i := slices.IndexFunc(p.Parcels, func(x Parcel) bool { return x.SSCC == sscc }); i >= 0 {
		if why := stopped(in.Parcel); why != "" {
			return takeOff(s, i, why)
		}
	}
	if why := refusal(s, sscc, in, p.Carrier); why != "" {
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, why)
	}
	return loadParcel(s, in.Parcel)
}

// stopped is why a parcel must not leave now (its order held or
// cancelled, its label voided), "" when nothing stops it.
func stopped(f *Facts) string {
	switch {
	case f == nil:
		return ""
	case f.ShipmentStatus == "voided":
		return fmt.Sprintf("its label was voided (shipment %s)", floor.Printable(f.Shipment))
	case f.OrderStatus == floor.OrderCancelled:
		return fmt.Sprintf("order %s was cancelled", floor.Printable(f.Order))
	case len(f.Holds) > 0:
		return fmt.Sprintf("order %s is on hold (%s)", floor.Printable(f.Order), floor.Printable(f.Holds[0].Reason))
	}
	return ""
}

// stoppedOnBoard is why pickup p may not close: a parcel on it that must
// not leave any more (news since it was loaded), "" when none.
func stoppedOnBoard(p Pickup, loaded map[string]*Facts) string {
	for _, x := range p.Parcels {
		if why := stopped(loaded[x.SSCC]); why != "" {
			return fmt.Sprintf("STOP: do not close pickup %s: %s since parcel %s was loaded. Scan the parcel to take it off the pickup, give it to a supervisor, then close", p.ID, why, x.SSCC)
		}
	}
	return ""
}

// takeOff takes the i-th parcel off the open pickup, because why.
func takeOff(s State, i int, why string) Result {
	p := s.Pickup
	x := p.Parcels[i]
	s.Pickup.Parcels = slices.Delete(slices.Clone(p.Parcels), i, i+1)
	r := ok(s, fmt.Sprintf("Parcel %s is off pickup %s: %s. Take it off the truck and give it to a supervisor. %s loaded", x.SSCC, p.ID, why, parcels(len(s.Pickup.Parcels))),
		floor.NewEvent(floor.EvDispatchParcelUnloaded, s.Operator.Badge, payload(x, p)))
	r.Feedback.Level = floor.Warn
	return r
}

func loadParcel(s State, f *Facts) Result {
	x := Parcel{SSCC: f.SSCC, Order: f.Order, Shipment: f.Shipment}
	s.Pickup.Parcels = append(slices.Clone(s.Pickup.Parcels), x)
	return ok(s, fmt.Sprintf("Loaded %s (order %s): %s on pickup %s", x.SSCC, floor.Printable(x.Order), parcels(len(s.Pickup.Parcels)), s.Pickup.ID),
		floor.NewEvent(floor.EvDispatchParcelLoaded, s.Operator.Badge, payload(x, s.Pickup)))
}

func payload(x Parcel, p Pickup) floor.DispatchParcelPayload {
	return floor.DispatchParcelPayload{SSCC: x.SSCC, Order: x.Order, Shipment: x.Shipment, Pickup: p.ID, Carrier: p.Carrier}
}

// refusal is why the parcel sscc (what the station knows of it:
// in.Parcel) may not go on the pickup of carrier (any carrier when ""),
// "" when it may.
func refusal(s State, sscc string, in Input, carrier string) string {
	f := in.Parcel
	switch {
	case f == nil && in.LastPull != "":
		return fmt.Sprintf("STOP: parcel %s is not known here yet — %s. Do not load it: scan it again after the next pull; if it stays unknown, put it aside for a supervisor", sscc, in.LastPull)
	case f == nil:
		return fmt.Sprintf("STOP: parcel %s is not known here: no label for it was printed at this site, or the hub has not sent it yet. Do not load it: put it aside for a supervisor", sscc)
	case f.ShipmentStatus == "voided":
		return fmt.Sprintf("STOP: parcel %s has a voided label (shipment %s): take it off the line, do not load it", sscc, floor.Printable(f.Shipment))
	case f.OrderStatus == floor.OrderCancelled:
		return fmt.Sprintf("STOP: order %s was cancelled: take parcel %s off the line and give it to a supervisor", floor.Printable(f.Order), sscc)
	case len(f.Holds) > 0:
		return fmt.Sprintf("STOP: order %s is on hold (%s): take parcel %s off the line and give it to a supervisor", floor.Printable(f.Order), floor.Printable(f.Holds[0].Reason), sscc)
	case f.Left:
		return fmt.Sprintf("Parcel %s already left with pickup %s: it is not here to load. Call a supervisor", sscc, floor.Printable(f.OnPickup))
	case f.OnPickup != "" && f.OnPickup == s.Pickup.ID:
		return fmt.Sprintf("Parcel %s is already on this pickup: scan the next parcel", sscc)
	case f.OnPickup != "":
		return fmt.Sprintf("Parcel %s is already on pickup %s (%s): load it there, or take it off there first (UNDO)", sscc, floor.Printable(f.OnPickup), floor.Printable(f.OnPickupCarrier))
	case slices.ContainsFunc(s.Pickup.Parcels, func(x Parcel) bool { return x.SSCC == sscc }):
		return fmt.Sprintf("Parcel %s is already on this pickup: scan the next parcel", sscc)
	case f.ShipmentStatus != "completed":
		return fmt.Sprintf("STOP: parcel %s is not finished at the pack bench (shipment %s is %s): do not load it", sscc, floor.Printable(f.Shipment), floor.Printable(f.ShipmentStatus))
	case carrier != "" && !strings.EqualFold(f.Carrier, carrier):
		return fmt.Sprintf("Goes with %s, not %s: put parcel %s with the %s parcels", floor.Printable(f.Carrier), floor.Printable(carrier), sscc, floor.Printable(f.Carrier))
	}
	return ""
}

// SSCC is the parcel a scan names: the (00) of a GS1 scan (a shipping
// label's barcode may carry more), or the 18 digits of the label's text
// typed (with or without "(00)" and spaces) with a correct check digit.
// Typed bare, they start like a GS1 element string and the interpreter
// refuses them as one; an 18-digit number whose check digit holds is the
// SSCC all the same. ok is false for anything else.
func SSCC(m barcode.Meaning) (sscc string, ok bool) {
	if m.Err == nil && m.SSCC != "" {
		return m.SSCC, true
	}
	if m.Err == nil && m.Kind != barcode.KindUnknown && m.Kind != barcode.KindGTIN && m.Kind != barcode.KindGS1 {
		return "", false
	}
	s := strings.TrimSpace(m.Input)
	s = strings.TrimSpace(strings.TrimPrefix(s, "(00)"))
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 18 || strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return "", false
	}
	if checkDigit(s[:17]) != int(s[17]-'0') {
		return "", false
	}
	return s, true
}

// notParcel is why a scan at the load step is no parcel.
func notParcel(m barcode.Meaning) string {
	s := strings.ReplaceAll(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m.Input), "(00)")), " ", "")
	if len(s) == 18 && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		return fmt.Sprintf("SSCC %s has a wrong check digit: scan the label's barcode, or type the number again", s)
	}
	return workflow.ScanReason(m, "Scan the parcel's SSCC: the (00) barcode on its shipping label")
}

// checkDigit is the GS1 mod-10 check digit of digits.
func checkDigit(digits string) int {
	sum := 0
	for i := range len(digits) {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10 - sum%10) % 10
}

// Carrier is the carrier a typed line names at the carrier step: its
// number in carriers (from 1) or its name, ignoring case. why is the
// refusal when it names none.
func Carrier(m barcode.Meaning, carriers []string) (name, why string) {
	t := workflow.Text(m)
	if m.Err != nil || t == "" {
		return "", workflow.ScanReason(m, "Choose a carrier: "+CarrierPrompt(carriers))
	}
	if n, err := strconv.Atoi(t); err == nil {
		if n >= 1 && n <= len(carriers) {
			return carriers[n-1], ""
		}
		if len(carriers) == 0 {
			return "", "No parcel waits for a carrier here: scan a parcel to open its carrier's pickup"
		}
		return "", fmt.Sprintf("There is no carrier %d: type 1 to %d, or the carrier's name", n, len(carriers))
	}
	for _, c := range carriers {
		if strings.EqualFold(c, t) {
			return c, ""
		}
	}
	if len(carriers) == 0 {
		return "", fmt.Sprintf("No parcel waits for %s here: scan a parcel to open its carrier's pickup", floor.Printable(workflow.Clip(t)))
	}
	return "", fmt.Sprintf("No parcel waits for %s here: choose %s", floor.Printable(workflow.Clip(t)), choices(carriers))
}

func choices(carriers []string) string {
	var b strings.Builder
	for i, c := range carriers {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d %s", i+1, floor.Printable(c))
	}
	return b.String()
}

func parcels(n int) string {
	if n == 1 {
		return "1 parcel"
	}
	return strconv.Itoa(n) + " parcels"
}
