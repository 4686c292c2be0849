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
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/intake"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
)

func init() {
	register(command{name: "station", summary: "run the station terminal from a configuration file", run: runStation})
}

func runStation(args []string, s stdio) int {
	fs := newFlags("station", "station [--config FILE] [--bench pick|pack|dispatch]", "Run the station terminal: log in, pick, pack or dispatch, and record every scan durably.", s)
	path := fs.String("config", config.DefaultPath(), "configuration file (default $TOTE_CONFIG, else ~/.config/tote/station.toml)")
	benchFlag := fs.String("bench", "", benchNames()+" (default: the one bench the station's roles name, e.g. pack for packer only; else pick)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
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
	return runTerminal(cfg, tui.Options{Station: cfg.Station.ID, Site: cfg.Station.Site, Bench: bench}, "", nil, s)
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

// runTerminal opens the store and runs the station UI until the operator
// quits. token is the hub's (the demo's own hub); observe, when set, sees
// every outcome (the demo's virtual scale).
func runTerminal(cfg *config.Config, opts tui.Options, token string, observe func(station.Outcome), s stdio) int {
	log, closeLog, err := openLog(cfg)
	if err != nil {
		fmt.Fprintf(s.err, "tote: cannot open log file %s: %v\n", cfg.Station.LogFile, err)
		return 1
	}
	defer closeLog()
	opened := time.Now()
	st, err := store.OpenWith(context.Background(), storePath(cfg), cfg.Station.ID, sqlitedb.Options{CheckEvery: cfg.Store.FullCheckEvery})
	if err == nil {
		st.SetPINMaxFailures(cfg.Station.PINMaxFailures)
	}
	if err != nil {
		log.Error("store did not open", "err", err)
		fmt.Fprintf(s.err, "tote: the station's store did not open; the station will not start:\n  %v\n", err)
		return 1
	}
	log.Info("store opened", "took", time.Since(opened), "full_check", st.DB().FullCheck)
	// Every goroutine below starts with app.Go; Close cancels them, waits
	// for each, then closes the store.
	app := newStationApp(context.Background(), st)
	defer func() {
		if err := app.Close(); err != nil {
			log.Error("store did not close", "err", err)
		}
	}()
	ctx := app.ctx
	app.Go(func(ctx context.Context) { keepPruning(ctx, cfg, st, log) })
	link, err := startSync(app.Go, cfg, st, opts.Bench, token, log)
	if err != nil {
		log.Error("sync did not start", "err", err)
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	if opts.Demo {
		log.Info("demo", "dir", opts.DemoDir)
	}
	if link != nil && opts.Demo {
		// A fresh demo store has nothing until the hub's first pull; a
		// demo opened again has its wave already, done or not.
		ready := func() bool { return demoWorkReady(ctx, st) }
		if err := link.watch.WaitForWork(ctx, 20*time.Second, ready); err != nil {
			fmt.Fprintf(s.err, "tote demo: %v\n", err)
			return 1
		}
	}
	interp, err := barcode.NewInterpreter(patternsOf(cfg))
	if err != nil {
		fmt.Fprintf(s.err, "tote: barcode patterns: %v\n", err)
		return 1
	}
	if opts.Demo {
		// What the demo bench needs first (a pack bench: totes picked).
		say := func(note string) { fmt.Fprintf(s.out, "tote demo: %s\n", note) }
		if opts.PackHints, err = actors.Before(ctx, opts.Bench, st, interp, say); err != nil {
			fmt.Fprintf(s.err, "tote demo: getting the demo bench ready: %v\n", err)
			return 1
		}
	}
	var spooler atomic.Pointer[printing.Spooler] // started once the screen exists
	sopts := station.Options{Bench: opts.Bench, ConfirmAbove: cfg.Pick.ConfirmQuantityAbove, PickHeld: cfg.Pick.OnHold == config.OnHoldPick,
		ShortReasons: cfg.Pick.ShortReasons, Roles: cfg.Station.Roles, Log: log, Observe: observe}
	if link != nil {
		sopts.Committed = link.rep.Kick
	}
	// A bench that labels (a pack bench) prints on the shipping printer.
	sopts.Pack = station.PackOptions{Rules: cfg.Pack, Kick: func() {
		if sp := spooler.Load(); sp != nil {
			sp.Kick()
		}
	}}
	if pr, ok := shippingPrinter(cfg); ok {
		sopts.Pack.Printer, sopts.Pack.DPI = pr.Name, pr.DPI
	}
	// A dispatch bench prints its manifests there too; a parcel whose
	// order names no carrier goes with the [pack] default.
	sopts.Dispatch = station.DispatchOptions{Carrier: cfg.Pack.Carrier, Printer: sopts.Pack.Printer, DPI: sopts.Pack.DPI, Kick: sopts.Pack.Kick}
	stn, err := station.Open(ctx, st, interp, sopts)
	if err != nil {
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	opts.Devices = deviceList(cfg)
	if stn.Weighs() && len(cfg.Scales) > 0 {
		opts.Devices = append(opts.Devices, devices.State{Device: cfg.Scales[0].Name, Kind: devices.KindScale, Status: devices.StatusUnknown})
	}
	log.Info("station started", "store", storePath(cfg), "bench", stn.Bench())
	// Every scanner's input, serial or typed on the scan line, goes to the
	// station through the intake.
	in := intake.New(stn)
	model := tui.New(in, stn.Outcomes(), stn.Snapshot(), opts)
	app.Go(stn.Serve)

	p := newProgram(model, ctx, nil)
	in.NotTaken(func(a station.Action) { p.Send(tui.NotTakenMsg(a)) })
	if err := startScanners(app.Go, cfg, in, p.Send, log); err != nil {
		fmt.Fprintf(s.err, "tote: scanner: %v\n", err)
		return 1
	}
	sp, err := startPrinters(app.Go, cfg, st, p.Send, log)
	if err != nil {
		fmt.Fprintf(s.err, "tote: printer: %v\n", err)
		return 1
	}
	spooler.Store(sp)
	if stn.Weighs() && len(cfg.Scales) > 0 {
		// A bench weighs on one scale: the first configured.
		if err := startScale(app.Go, cfg.Scales[0], cfg.Pack.ScaleEmptyBelowG, stn, p.Send, log); err != nil {
			fmt.Fprintf(s.err, "tote: scale: %v\n", err)
			return 1
		}
	}
	if link != nil {
		app.Go(func(ctx context.Context) { link.forward(ctx, p.Send, stn.Refusals, log) })
	}
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		log.Error("terminal ended", "err", err)
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	log.Info("station stopped", "at", time.Now().Format(time.RFC3339))
	return 0
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

// demoWorkReady says whether a demo station has what it opens on: a wave
// to pick, or the demo's wave already there (done or not: a demo folder
// opened again, which must open and offer a new wave, not wait for one).
func demoWorkReady(ctx context.Context, st *store.Store) bool {
	if w, err := st.NextWave(ctx); err == nil && w.ID != "" {
		return true
	}
	w, err := st.Wave(ctx, demo.WaveID)
	return err == nil && w.ID != ""
}

// newProgram is the station's terminal program; tty, when set, is the
// terminal to run on instead of the process's own (the frame benchmark's).
func newProgram(model tea.Model, ctx context.Context, tty *os.File) *tea.Program {
	// 120 frames a second, Bubble Tea's most: an outcome waits for the
	// next frame, and at the default 60 that wait alone was up to 17 ms.
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithFPS(120)}
	if tty != nil {
		opts = append(opts, tea.WithInput(tty), tea.WithOutput(tty), tea.WithoutSignalHandler(),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	}
	return tea.NewProgram(model, opts...)
}
