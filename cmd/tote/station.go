package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
)

func init() {
	register(command{name: "station", summary: "run the station terminal from a configuration file", run: runStation})
}

func runStation(args []string, s stdio) int {
	fs := newFlags("station", "station [--config FILE]", "Run the station terminal: log in, pick, and record every scan durably.", s)
	path := fs.String("config", config.DefaultPath(), "configuration file (default $TOTE_CONFIG, else ~/.config/tote/station.toml)")
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
	return runTerminal(cfg, tui.Options{Station: cfg.Station.ID, Site: cfg.Station.Site}, "", s)
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
// quits. seed, when set, loads site data first (the demo).
func runTerminal(cfg *config.Config, opts tui.Options, token string, s stdio) int {
	log, closeLog, err := openLog(cfg)
	if err != nil {
		fmt.Fprintf(s.err, "tote: cannot open log file %s: %v\n", cfg.Station.LogFile, err)
		return 1
	}
	defer closeLog()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	st, err := store.Open(ctx, storePath(cfg), cfg.Station.ID)
	if err != nil {
		log.Error("store did not open", "err", err)
		fmt.Fprintf(s.err, "tote: the station's store did not open; the station will not start:\n  %v\n", err)
		return 1
	}
	defer st.Close()
	link, err := startSync(ctx, cfg, st, token, log)
	if err != nil {
		log.Error("sync did not start", "err", err)
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	if link != nil && opts.Demo {
		// A fresh demo store has nothing until the hub's first pull.
		ready := func() bool { w, err := st.NextWave(ctx); return err == nil && w.ID != "" }
		if err := link.waitForWork(ctx, 20*time.Second, ready); err != nil {
			fmt.Fprintf(s.err, "tote demo: %v\n", err)
			return 1
		}
	}
	interp, err := barcode.NewInterpreter(patternsOf(cfg))
	if err != nil {
		fmt.Fprintf(s.err, "tote: barcode patterns: %v\n", err)
		return 1
	}
	sopts := station.Options{ConfirmAbove: cfg.Pick.ConfirmQuantityAbove, Roles: cfg.Station.Roles, Log: log}
	if link != nil {
		sopts.Committed = link.rep.Kick
	}
	stn, err := station.Open(ctx, st, interp, sopts)
	if err != nil {
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	log.Info("station started", "store", storePath(cfg), "step", stn.State().Step)
	opts.Devices = deviceList(cfg)
	model := tui.New(stn, stn.Outcomes(), stn.State(), opts)
	go stn.Serve(ctx)

	p := tea.NewProgram(model, tea.WithContext(ctx))
	if err := startScanners(ctx, cfg, p.Send, log); err != nil {
		fmt.Fprintf(s.err, "tote: scanner: %v\n", err)
		return 1
	}
	if _, err := startPrinters(ctx, cfg, st, p.Send, log); err != nil {
		fmt.Fprintf(s.err, "tote: printer: %v\n", err)
		return 1
	}
	if link != nil {
		go link.forward(ctx, p.Send)
	}
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		log.Error("terminal ended", "err", err)
		fmt.Fprintf(s.err, "tote: %v\n", err)
		return 1
	}
	log.Info("station stopped", "at", time.Now().Format(time.RFC3339))
	return 0
}

func patternsOf(cfg *config.Config) barcode.Patterns {
	b := cfg.Barcodes
	return barcode.Patterns{Location: b.Location.String(), Tote: b.Tote.String(), Badge: b.Badge.String(),
		Command: b.Command.String(), Order: b.Order.String(), RMA: b.RMA.String()}
}
