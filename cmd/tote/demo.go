package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/office"
	"github.com/totewms/tote/station/tui"
)

func init() {
	register(command{name: "demo", summary: "open the station on a fresh demo site (no hardware needed)", run: runDemo})
}

func runDemo(args []string, s stdio) int {
	fs := newFlags("demo", "demo [--dir DIR] [--seed N] [--bench pick|pack]", "Open the station terminal on a fresh demo site: 500 locations, 500 items, a wave of 60 orders.\nF1 shows what to type next; F12 scans it for you. --bench pack opens a packing bench\nwith a virtual scale, after its pick cart picked the first 12 orders.", s)
	dir := fs.String("dir", "", "data directory to use (default: a new temporary directory)")
	seed := fs.Uint64("seed", 1, "seed for the generated site")
	benchFlag := fs.String("bench", "pick", "pick or pack")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	cfg := config.Default()
	bench, err := benchOf(cfg, *benchFlag)
	if err != nil || *benchFlag == "" {
		fmt.Fprintf(s.err, "tote demo: --bench %q: want %s\n", *benchFlag, benchNames())
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
	cfg.Station.SetDataDir(*dir)
	// Yoga mats and the like are longer than the standard boxes: the demo's
	// bench has a long box too, as real benches do.
	cfg.Pack.Boxes = append(cfg.Pack.Boxes, config.Box{Name: "long", Code: "BOX-LONG", LengthMM: 800, WidthMM: 300, HeightMM: 250, TareG: 700, FillFactor: 0.85})
	// A virtual serial scanner: F12 scans through it, so the demo runs the
	// same serial code a real scanner does.
	sc, err := sim.NewScanner(filepath.Join(*dir, "scanner"), sim.ScannerOptions{Suffix: "CRLF"})
	if err != nil {
		fmt.Fprintf(s.err, "tote demo: virtual scanner: %v\n", err)
		return 1
	}
	defer sc.Close()
	// And a virtual label printer that files each label in dir/printed.
	pr, err := sim.NewPrinter(filepath.Join(*dir, "printer"), filepath.Join(*dir, "printed"))
	if err != nil {
		fmt.Fprintf(s.err, "tote demo: virtual printer: %v\n", err)
		return 1
	}
	defer pr.Close()
	cfg.Printers = []config.Printer{{Name: "demo-printer", Transport: config.TransportSerial, DPI: 203, StatusTimeout: time.Second,
		Role: config.PrinterShipping, Serial: config.Serial{Port: pr.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1, ReadTimeout: 200 * time.Millisecond}}}
	cfg.Scanners = []config.Scanner{{Name: "demo-scanner", Prefix: "", Suffix: config.SuffixAuto, MaxFrame: 4096,
		Serial: config.Serial{Port: sc.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1, ReadTimeout: 200 * time.Millisecond}}}
	// A virtual scale that settles on about the carton's weight, for a
	// bench that weighs (the station starts its poller only for one).
	scale, scfg, err := startDemoScale(*dir)
	if err != nil {
		fmt.Fprintf(s.err, "tote demo: virtual scale: %v\n", err)
		return 1
	}
	defer scale.Close()
	cfg.Scales = []config.Scale{scfg}
	observe := actors.ScaleHand(scale) // the hand that puts cartons on it
	fmt.Fprintf(s.out, "tote demo: data in %s (log: %s); open it again with tote demo --dir %s\n", *dir, cfg.Station.LogFile, *dir)
	var badges []string
	for _, op := range demo.Operators {
		badges = append(badges, op.Badge+" "+op.Name)
	}
	// The office: a hub in this process that holds the demo's orders and
	// sends a hold and a cancellation while you work.
	hq, err := office.Start(context.Background(), *dir, *seed)
	if err != nil {
		fmt.Fprintf(s.err, "tote demo: %v\n", err)
		return 1
	}
	defer hq.Stop()
	cfg.Sync.Hub = hq.URL
	return runTerminal(cfg, tui.Options{Station: cfg.Station.ID, Site: cfg.Station.Site, Bench: bench, Demo: true, Badges: badges, PINs: demo.PINs,
		DemoScan: sc.Send, DemoNewWave: hq.NewWave, DemoDir: *dir}, hq.Token, observe, s)
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
