package station

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
)

// Bench is one kind of station: a pick cart, a pack bench, and the benches
// to come (returns, batch picking). Each lives in its own package with its
// workflow's rules and registers itself (Register); the station holds one
// and never asks which.
type Bench interface {
	// Load restores the bench's state from the store, resuming whatever
	// step the last run left.
	Load(ctx context.Context) error
	// Handle takes one input: it resolves what the input names against
	// the store, applies the workflow, and commits the events together
	// with the commit's extras (SSCCs, labels) and the bench's session
	// record in one transaction. The outcome's feedback is OK only once
	// all of it is durable; when nothing could be recorded it is
	// Kit.Failed's NOT SAVED.
	Handle(ctx context.Context, a Action, now time.Time) Outcome
	// Snapshot is the bench's state as an outcome of a, for inputs the
	// station answers itself (an acknowledged notice, a failure).
	Snapshot(a Action) Outcome
}

// BenchName names a registered bench, as [station] bench names it.
type BenchName string

const (
	BenchPick BenchName = "pick" // a pick cart: station/pickcart
	BenchPack BenchName = "pack" // a packing bench: station/packbench
	// BenchDispatch loads parcels onto carriers' pickups at the dock:
	// station/dispatchbench.
	BenchDispatch BenchName = "dispatch"

	// DefaultBench is the bench of a station whose options name none.
	DefaultBench = BenchPick
)

// Opener makes a bench from the station's kit; Load follows.
type Opener func(k *Kit) (Bench, error)

var (
	registryMu sync.RWMutex
	registry   = map[BenchName]Opener{}
	roles      = map[BenchName]floor.Role{}
)

// Register makes a bench available by name; each bench package registers
// itself from init, and the binary imports the bench packages it offers.
// Registering a name twice is a programming error.
func Register(name BenchName, open Opener) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic(fmt.Sprintf("station: bench %q registered twice", name))
	}
	registry[name] = open
}

// RegisterRole names the role whose people work at a bench (a picker at
// a pick cart): a station configured with no bench runs the one bench its
// roles name (BenchFor). A bench registers it from init, next to Register.
func RegisterRole(name BenchName, role floor.Role) {
	registryMu.Lock()
	defer registryMu.Unlock()
	roles[name] = role
}

// RegisterMinorRole is RegisterRole for a role people often have beside
// another bench's (returns beside packing): its bench is a station's own
// by its roles only when no other bench's role is named.
func RegisterMinorRole(name BenchName, role floor.Role) {
	RegisterRole(name, role)
	registryMu.Lock()
	defer registryMu.Unlock()
	minor[name] = true
}

var minor = map[BenchName]bool{}

// BenchFor is the bench of a station that names none: the one registered
// bench whose role its roles have (a minor role's bench only when no
// other is named, a visiting bench's only when neither is), else
// DefaultBench (no role named, or more than one bench's).
func BenchFor(have []floor.Role) BenchName {
	registryMu.RLock()
	defer registryMu.RUnlock()
	var found, minors, visiting []BenchName
	for name, role := range roles {
		if slices.Contains(have, role) {
			switch {
			case visitors[name]:
				visiting = append(visiting, name)
			case minor[name]:
				minors = append(minors, name)
			default:
				found = append(found, name)
			}
		}
	}
	// A visiting bench opens at any station's login anyway: it is the
	// station's own only when no other bench's role is named.
	if len(found) == 0 {
		found = minors
	}
	if len(found) == 0 {
		found = visiting
	}
	if len(found) == 1 {
		return found[0]
	}
	return DefaultBench
}

// Registered says whether a bench is registered by that name.
func Registered(name BenchName) bool {
	_, ok := opener(name)
	return ok
}

// Benches lists the registered benches' names, sorted.
func Benches() []BenchName {
	registryMu.RLock()
	defer registryMu.RUnlock()
	var out []BenchName
	for n := range registry {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func opener(name BenchName) (Opener, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	o, ok := registry[name]
	return o, ok
}

// Kit is what the station lends its bench: the store, the barcode
// interpreter, the options and the shared steps of every input.
type Kit struct {
	Store  *store.Store
	Interp *barcode.Interpreter
	Opts   Options
	Log    *slog.Logger
}

// RoleAllowed says whether this station lets role log in.
func (k *Kit) RoleAllowed(r floor.Role) bool {
	return len(k.Opts.Roles) == 0 || slices.Contains(k.Opts.Roles, r)
}

// Meaning interprets a scan; a frame the scanner reported bad stays
// unknown, with the scanner's problem as the reason.
func (k *Kit) Meaning(sc floor.Scan) barcode.Meaning {
	if sc.Problem != "" {
		return barcode.Meaning{Input: sc.Data, Symbology: sc.AIM, Kind: barcode.KindUnknown, Err: errors.New(sc.Problem)}
	}
	return k.Interp.Interpret(sc.AIM, sc.Data)
}

// Recorded is told of each commit: sync is woken when events were
// recorded, and rejections are logged with their reason.
func (k *Kit) Recorded(a Action, committed []floor.Event, fb floor.Feedback) {
	if len(committed) > 0 && k.Opts.Committed != nil {
		k.Opts.Committed()
	}
	for _, ev := range committed {
		if ev.Type == floor.EvScanRejected {
			k.Log.Info("scan rejected", "seq", ev.Seq, "reason", fb.Message, "input", floor.Printable(a.Scan.Data))
		}
	}
}

// Failed makes o (the bench's snapshot) the outcome of an input that
// could not be made durable: nothing was recorded, the operator reads
// NOT SAVED and repeats the input.
func (k *Kit) Failed(o Outcome, err error) Outcome {
	msg := "NOT SAVED: " + err.Error() + ". Scan again; if it keeps failing call a supervisor"
	if sqlitedb.IsFull(err) {
		msg = "NOT SAVED: the disk is full. Nothing was recorded: call a supervisor to free space, then scan again"
	}
	var holds *store.ErrToteHolds
	if errors.As(err, &holds) {
		msg = fmt.Sprintf("NOT SAVED: tote %s holds %s: take an empty tote and scan it", holds.Tote, floor.Printable(holds.Order))
	}
	k.Log.Error("input not recorded", "err", err, "input", floor.Printable(o.Action.Scan.Data), "command", o.Action.Command)
	o.Feedback, o.Err, o.Events = floor.Feedback{Level: floor.Error, Message: msg}, err, nil
	return o
}

// Scale is a bench that weighs with the bench scale (see WeighRound).
type Scale interface {
	WeighRound() (round uint64, weighing bool)
	SetScale(ok bool)
}
