package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/intake"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
	"github.com/totewms/tote/station/tui/frame"
)

func init() {
	register(command{name: "station", summary: "run the station terminal from a configuration file", run: runStation})
}

func runStation(args []string, s stdio) int {
	fs := newFlags("station", "station [--config FILE] [--bench pick|pack|dispatch|returns|supervise]", "Run the station terminal: log in, pick, pack, dispatch, take returns or supervise, and record every scan durably.", s)
	path := fs.String("config", config.DefaultPath(), "configuration file (default $TOTE_CONFIG, else ~/.config/tote/station.toml)")
	benchFlag := fs.String("bench", "", benchNames()+" (default: the one bench the station's roles name, e.g. pack for packer only; else pick)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	defer station.TuneGC()()
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintf(s.err, "tote station: the configuration is not valid; the station will not start:\n%v\n", err)
		return 1
	}
	if err := os.MkdirAll(cfg.Station.DataDir, 0o750); err != nil {
		fmt.Fprintf(s.err, "tote station: cannot create data_dir %s: %v\n", cfg.Station.DataDir, err)
		return 1
	}
	bench, err := benchOf(cfg, *benchFlag)
	if err != nil {
		fmt.Fprintf(s.err, "tote station: %v\n", err)
		return 2
	}
	return runTerminal(cfg, tui.Options{Station: cfg.Station.ID, Site: cfg.Station.Site, Bench: bench}, s)
}

// benchOf decides the workflow: the flag, else the station's roles.
func benchOf(cfg *config.Config, flag string) (station.BenchName, error) {
	if flag == "" {
		return station.BenchFor(cfg.Station.Roles), nil
	}
	if !station.Registered(station.BenchName(flag)) {
		return "", fmt.Errorf("--bench %q: want %s", flag, benchNames())
	}
	return station.BenchName(flag), nil
}

// benchNames lists the benches this binary offers, for a message: "pack or
// pick".
func benchNames() string {
	var names []string
	for _, b := range station.Benches() {
		names = append(names, string(b))
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// shippingPrinter is the printer a pack bench's labels go to: [pack]
// printer, else the first shipping printer, else the first printer.
func shippingPrinter(cfg *config.Config) (config.Printer, bool) {
	for _, p := range cfg.Printers {
		if cfg.Pack.Printer != "" && p.Name == cfg.Pack.Printer {
			return p, true
		}
	}
	if cfg.Pack.Printer != "" {
		return config.Printer{}, false
	}
	for _, p := range cfg.Printers {
		if p.Role == config.PrinterShipping {
			return p, true
		}
	}
	if len(cfg.Printers) > 0 {
		return cfg.Printers[0], true
	}
	return config.Printer{}, false
}

// openLog opens the log file; the TUI owns the terminal, so nothing is
// logged to it.
func openLog(cfg *config.Config) (*slog.Logger, func(), error) {
	if err := os.MkdirAll(filepath.Dir(cfg.Station.LogFile), 0o750); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(cfg.Station.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: cfg.Log.Level})).
		With("station", cfg.Station.ID)
	return log, func() { f.Close() }, nil
}

// storePath is where a station keeps its database.
func storePath(cfg *config.Config) string { return filepath.Join(cfg.Station.DataDir, "station.db") }

// runTerminal opens the station and runs its UI until the operator quits.
func runTerminal(cfg *config.Config, opts tui.Options, s stdio) int {
	r, code := openStation(cfg, opts, "", nil, nil, s)
	if r == nil {
		return code
	}
	defer r.close()
	p := newProgram(r.model, r.app.ctx, nil)
	if err := r.attach(p.Send); err != nil {
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	return runProgram(p, r.log, s)
}

// runProgram runs the terminal program until the operator quits.
func runProgram(p *frame.Program, log *slog.Logger, s stdio) int {
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		log.Error("terminal ended", "err", err)
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	log.Info("station stopped", "at", time.Now().Format(time.RFC3339))
	return 0
}

// openedStation is one station opened for a screen: its store and
// goroutines (app), its sync, the station and the root model, before
// anything draws. attach gives its devices and sync a program to tell.
type openedStation struct {
	cfg      *config.Config
	log      *slog.Logger
	closeLog func()
	app      *stationApp
	link     *syncLink
	stn      *station.Station
	model    tui.Model
	in       *intake.Intake
	spooler  atomic.Pointer[printing.Spooler] // started by attach
}

// prepare is what a station needs before its screen opens (the demo's:
// actors.Opening.Before); wait waits for a condition its pulls make true.
type prepare func(ctx context.Context, st *store.Store, wait actors.Wait) (hints []string, err error)

// openStation opens the station cfg describes: log, store, sync, and the
// station with its root model. token is the hub's when cfg names no token
// file (the demo's own hub); observe, when set, sees every outcome (the
// demo's virtual scale); before, when set, runs once sync started and
// before the station opens. On failure it says why on s and returns nil
// with the exit code.
func openStation(cfg *config.Config, opts tui.Options, token string, observe func(station.Outcome), before prepare, s stdio) (*openedStation, int) {
	log, closeLog, err := openLog(cfg)
	if err != nil {
		fmt.Fprintf(s.err, "tote: cannot open log file %s: %v\n", cfg.Station.LogFile, err)
		return nil, 1
	}
	opened := time.Now()
	st, err := store.OpenWith(context.Background(), storePath(cfg), cfg.Station.ID, sqlitedb.Options{CheckEvery: cfg.Store.FullCheckEvery})
	if err == nil {
		st.SetPINMaxFailures(cfg.Station.PINMaxFailures)
	}
	if err != nil {
		log.Error("store did not open", "err", err)
		fmt.Fprintf(s.err, "tote: the station's store did not open; the station will not start:\n  %v\n", err)
		closeLog()
		return nil, 1
	}
	log.Info("store opened", "took", time.Since(opened), "full_check", st.DB().FullCheck)
	// Every goroutine below starts with app.Go; Close cancels them, waits
	// for each, then closes the store.
	r := &openedStation{cfg: cfg, log: log, closeLog: closeLog, app: newStationApp(context.Background(), st)}
	fail := func(code int, format string, a ...any) (*openedStation, int) {
		fmt.Fprintf(s.err, format, a...)
		r.close()
		return nil, code
	}
	ctx := r.app.ctx
	r.app.Go(func(ctx context.Context) { keepPruning(ctx, cfg, st, log) })
	if r.link, err = startSync(r.app.Go, cfg, st, opts.Bench, token, log); err != nil {
		log.Error("sync did not start", "err", err)
		return fail(1, "tote: %v\n", err)
	}
	if opts.Demo {
		log.Info("demo", "dir", opts.DemoDir)
	}
	interp, err := barcode.NewInterpreter(patternsOf(cfg))
	if err != nil {
		return fail(1, "tote: barcode patterns: %v\n", err)
	}
	if before != nil {
		wait := func(what string, ready func() bool) error {
			if r.link == nil {
				return fmt.Errorf("waiting for %s: the station does not sync", what)
			}
			if err := r.link.watch.WaitForWork(ctx, 20*time.Second, ready); err != nil {
				return fmt.Errorf("waiting for %s: %w", what, err)
			}
			return nil
		}
		if opts.Hints, err = before(ctx, st, wait); err != nil {
			return fail(1, "tote: getting %s ready: %v\n", cfg.Station.ID, err)
		}
	}
	sopts := station.Options{Bench: opts.Bench, ConfirmAbove: cfg.Pick.ConfirmQuantityAbove, PickHeld: cfg.Pick.OnHold == config.OnHoldPick,
		ShortReasons: cfg.Pick.ShortReasons, Roles: cfg.Station.Roles, Log: log, Observe: observe}
	if r.link != nil {
		sopts.Committed = r.link.rep.Kick
		// A supervisor's screens fetch the hub's figures (at any station:
		// a supervisor's badge opens them at its login).
		rep := r.link.rep
		sopts.Supervise.Fetch = func(ctx context.Context, wave, order string, now time.Time) error {
			return rep.FetchSupervisor(ctx, st, wave, order, now)
		}
	}
	// A bench that labels (a pack bench) prints on the shipping printer.
	sopts.Pack = station.PackOptions{Rules: cfg.Pack, Kick: func() {
		if sp := r.spooler.Load(); sp != nil {
			sp.Kick()
		}
	}}
	if pr, ok := shippingPrinter(cfg); ok {
		sopts.Pack.Printer, sopts.Pack.DPI = pr.Name, pr.DPI
	}
	// A dispatch bench prints its manifests there too; a parcel whose
	// order names no carrier goes with the [pack] default.
	sopts.Dispatch = station.DispatchOptions{Carrier: cfg.Pack.Carrier, Printer: sopts.Pack.Printer, DPI: sopts.Pack.DPI, Kick: sopts.Pack.Kick}
	if r.stn, err = station.Open(ctx, st, interp, sopts); err != nil {
		return fail(1, "tote: %v\n", err)
	}
	opts.Devices = deviceList(cfg)
	if r.stn.Weighs() && len(cfg.Scales) > 0 {
		opts.Devices = append(opts.Devices, devices.State{Device: cfg.Scales[0].Name, Kind: devices.KindScale, Status: devices.StatusUnknown})
	}
	log.Info("station started", "store", storePath(cfg), "bench", r.stn.Bench())
	// Every scanner's input, serial or typed on the scan line, goes to the
	// station through the intake.
	r.in = intake.New(r.stn)
	r.model = tui.New(r.in, r.stn.Outcomes(), r.stn.Snapshot(), opts)
	return r, 0
}

// attach starts the station and what tells its screen through send: a
// device's input not taken, the scanners, the printers' spooler, the
// bench scale, the sync status.
func (r *openedStation) attach(send func(tea.Msg)) error {
	cfg, log := r.cfg, r.log
	if r.link != nil { // the hub's site health shows the station's devices
		send = reportingDevices(send, r.link.rep.SetDevices, deviceList(cfg))
	}
	r.app.Go(r.stn.Serve)
	r.in.NotTaken(func(a station.Action) { send(tui.NotTakenMsg(a)) })
	if err := startScanners(r.app.Go, cfg, r.in, send, log); err != nil {
		return fmt.Errorf("scanner: %w", err)
	}
	sp, err := startPrinters(r.app.Go, cfg, r.app.st, send, log)
	if err != nil {
		return fmt.Errorf("printer: %w", err)
	}
	r.spooler.Store(sp)
	if r.stn.Weighs() && len(cfg.Scales) > 0 {
		// A bench weighs on one scale: the first configured.
		if err := startScale(r.app.Go, cfg.Scales[0], cfg.Pack.ScaleEmptyBelowG, r.stn, send, log); err != nil {
			return fmt.Errorf("scale: %w", err)
		}
	}
	if r.link != nil {
		r.app.Go(func(ctx context.Context) { r.link.forward(ctx, send, r.stn.Refusals, log) })
	}
	return nil
}

// close stops the station's goroutines, closes its store, then its log.
func (r *openedStation) close() {
	if err := r.app.Close(); err != nil {
		r.log.Error("store did not close", "err", err)
	}
	r.closeLog()
}

// keepPruning moves or deletes the journal's acknowledged, old events as
// [store] says, at start and every prune_every, until ctx ends.
func keepPruning(ctx context.Context, cfg *config.Config, st *store.Store, log *slog.Logger) {
	o := store.PruneOptions{Mode: string(cfg.Store.PushedEvents), KeepPushed: cfg.Store.KeepPushed}
	st.KeepPruning(ctx, o, cfg.Store.PruneEvery, func(n int, err error) {
		switch {
		case err != nil:
			log.Error("pruning the journal", "err", err, "moved", n)
		case n > 0:
			log.Info("pruned the journal", "events", n, "to", cfg.Store.PushedEvents)
		}
	})
}

func patternsOf(cfg *config.Config) barcode.Patterns {
	b := cfg.Barcodes
	return barcode.Patterns{Location: b.Location.String(), Tote: b.Tote.String(), Badge: b.Badge.String(),
		Command: b.Command.String(), Order: b.Order.String(), RMA: b.RMA.String()}
}

// newProgram is the station's terminal program; tty, when set, is the
// terminal to run on instead of the process's own (the frame benchmark's).
// Its frames are drawn by station/tui/frame as soon as the model has taken
// a message: an outcome is on the screen without waiting for a frame tick.
func newProgram(model tea.Model, ctx context.Context, tty *os.File) *frame.Program {
	o := frame.Options{}
	if tty != nil {
		o = frame.Options{In: tty, Out: tty, NoSignals: true, Env: []string{"TERM=xterm-256color"}}
	}
	return frame.New(ctx, model, o)
}
