package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/office"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
	"github.com/totewms/tote/station/tui/switcher"
)

func init() {
	register(command{name: "demo", summary: "run a demo site in this terminal: a pick cart, a pack bench and a dispatch bench (no hardware needed)", run: runDemo})
}

func runDemo(args []string, s stdio) int {
	fs := newFlags("demo", "demo [--dir DIR] [--seed N] [--bench pick|pack|dispatch]",
		"Run a demo site in this terminal: a hub with 500 locations, 500 items and a wave of 60 orders,\n"+
			"and three stations joined by it, each with its own store and virtual devices: a pick cart,\n"+
			"a pack bench and a dispatch bench. Tab moves to the next station (Shift+Tab back); each goes\n"+
			"on where you left it. F1 shows what to type next; F12 scans it for you. --bench pack starts\n"+
			"at the pack bench, after the demo's cart picked the first 12 orders for it.", s)
	dir := fs.String("dir", "", "data directory to use (default: a new temporary directory)")
	seed := fs.Uint64("seed", 1, "seed for the generated site")
	benchFlag := fs.String("bench", "pick", "the station to start at: pick, pack or dispatch")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	defer station.TuneGC()()
	first, ok := office.Place(*benchFlag)
	if !ok {
		fmt.Fprintf(s.err, "tote demo: --bench %q: want pick, pack or dispatch\n", *benchFlag)
		return 2
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "tote-demo-")
		if err != nil {
			fmt.Fprintf(s.err, "tote demo: %v\n", err)
			return 1
		}
		*dir = d
	}
	if abs, err := filepath.Abs(*dir); err == nil {
		*dir = abs // said on the screen and in the log: where to find it again
	}
	if err := os.MkdirAll(*dir, 0o750); err != nil {
		fmt.Fprintf(s.err, "tote demo: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.out, "tote demo: data in %s (a folder per station, the hub's log in hub.log); open it again with tote demo --dir %s\n", *dir, *dir)
	// The office: a hub in this process that holds the demo's orders,
	// joins the stations and sends a hold and a cancellation while you work.
	hq, err := office.Start(context.Background(), *dir, *seed)
	if err != nil {
		fmt.Fprintf(s.err, "tote demo: %v\n", err)
		return 1
	}
	defer hq.Stop()
	var badges []string
	for _, op := range demo.Operators {
		badges = append(badges, op.Badge+" "+op.Name)
	}
	opening := &actors.Opening{Start: station.BenchName(*benchFlag),
		Say: func(note string) { fmt.Fprintf(s.out, "tote demo: %s\n", note) }}
	// Each station: its own folder, store, replicator and virtual devices,
	// opened in the order the goods go through them.
	var runs []*openedStation
	var unplug []func()
	defer func() { // the stations stop before their devices go
		for _, r := range runs {
			r.close()
		}
		for _, f := range unplug {
			f()
		}
	}()
	var models []tea.Model
	for i, ds := range office.Stations {
		cfg, closeDevices, dev, err := demoConfig(ds.Dir(*dir), ds.ID)
		if err != nil {
			fmt.Fprintf(s.err, "tote demo: %s: %v\n", ds.ID, err)
			return 1
		}
		unplug = append(unplug, closeDevices)
		cfg.Sync.Hub = hq.URL
		if opening.Interp == nil {
			if opening.Interp, err = barcode.NewInterpreter(patternsOf(cfg)); err != nil {
				fmt.Fprintf(s.err, "tote demo: %v\n", err)
				return 1
			}
		}
		bench := station.BenchName(ds.Bench)
		next := office.Stations[(i+1)%len(office.Stations)]
		opts := tui.Options{Station: ds.ID, Site: cfg.Station.Site, Bench: bench, Demo: true, Badges: badges, PINs: demo.PINs,
			DemoScan: dev.scan, DemoNewWave: hq.NewWave, DemoDir: *dir, More: []key.Binding{switcher.KeyTo(next.Short)}}
		before := func(ctx context.Context, st *store.Store, wait actors.Wait) ([]string, error) {
			return opening.Before(ctx, bench, st, wait)
		}
		r, code := openStation(cfg, opts, hq.Tokens[ds.ID], dev.outcome, before, s)
		if r == nil {
			return code
		}
		runs = append(runs, r)
		models = append(models, r.model)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := newProgram(switcher.New(models, first), ctx, nil)
	for i, r := range runs {
		send := func(m tea.Msg) { p.Send(switcher.To(i, m)) }
		if err := r.attach(send); err != nil {
			fmt.Fprintf(s.err, "tote demo: %s: %v\n", r.cfg.Station.ID, err)
			return 1
		}
		r.app.Go(func(ctx context.Context) {
			opening.During(ctx, r.stn.Bench(), r.app.st, func(h []string) { send(tui.HintsMsg(h)) })
		})
	}
	return runProgram(p, runs[first].log, s)
}

// demoDevices are a demo station's virtual devices, as its screen and
// station use them.
type demoDevices struct {
	scan    func(data string) error // F12: a scan through the virtual scanner
	outcome func(station.Outcome)   // the hand that puts cartons on the scale
}

// demoConfig is the configuration of a demo station with id, kept in dir:
// a virtual serial scanner (F12 scans through it, so the demo runs the
// same serial code a real scanner does), a virtual label printer that
// files each label in dir/printed and a virtual scale that settles on
// about the carton's weight (the station reads it only at a bench that
// weighs). The caller calls closeDevices when done.
func demoConfig(dir, id string) (cfg *config.Config, closeDevices func(), dev demoDevices, err error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, nil, dev, err
	}
	cfg = config.Default()
	cfg.Station.ID = id
	cfg.Station.SetDataDir(dir)
	// Yoga mats and the like are longer than the standard boxes: the demo's
	// bench has a long box too, as real benches do.
	cfg.Pack.Boxes = append(cfg.Pack.Boxes, config.Box{Name: "long", Code: "BOX-LONG", LengthMM: 800, WidthMM: 300, HeightMM: 250, TareG: 700, FillFactor: 0.85})
	var closers []func() error
	closeDevices = func() {
		for _, c := range closers {
			c()
		}
	}
	sc, err := sim.NewScanner(filepath.Join(dir, "scanner"), sim.ScannerOptions{Suffix: "CRLF"})
	if err != nil {
		return nil, nil, dev, fmt.Errorf("virtual scanner: %w", err)
	}
	closers = append(closers, sc.Close)
	pr, err := sim.NewPrinter(filepath.Join(dir, "printer"), filepath.Join(dir, "printed"))
	if err != nil {
		closeDevices()
		return nil, nil, dev, fmt.Errorf("virtual printer: %w", err)
	}
	closers = append(closers, pr.Close)
	scale, scfg, err := startDemoScale(dir)
	if err != nil {
		closeDevices()
		return nil, nil, dev, fmt.Errorf("virtual scale: %w", err)
	}
	closers = append(closers, scale.Close)
	cfg.Printers = []config.Printer{{Name: "demo-printer", Transport: config.TransportSerial, DPI: 203, StatusTimeout: time.Second,
		Role: config.PrinterShipping, Serial: config.Serial{Port: pr.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1, ReadTimeout: 200 * time.Millisecond}}}
	cfg.Scanners = []config.Scanner{{Name: "demo-scanner", Prefix: "", Suffix: config.SuffixAuto, MaxFrame: 4096,
		Serial: config.Serial{Port: sc.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1, ReadTimeout: 200 * time.Millisecond}}}
	cfg.Scales = []config.Scale{scfg}
	return cfg, closeDevices, demoDevices{scan: sc.Send, outcome: actors.ScaleHand(scale)}, nil
}

// startDemoScale plugs a virtual MT-SICS scale in at dir/scale and returns
// it with the [[scales]] entry that reads it, so the demo's pack bench runs
// the same serial code a real scale does. The caller closes the sim.
func startDemoScale(dir string) (*sim.ScaleSim, config.Scale, error) {
	sc, err := sim.NewScale(filepath.Join(dir, "scale"), sim.ProtocolMTSICS)
	if err != nil {
		return nil, config.Scale{}, err
	}
	return sc, config.Scale{Name: "demo-scale", Protocol: config.ProtocolMTSICS,
		Serial: config.Serial{Port: sc.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1,
			ReadTimeout: 200 * time.Millisecond}}, nil
}
