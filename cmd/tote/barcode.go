package main

import (
	"fmt"
	"time"

	"github.com/totewms/tote/internal/barcode"
)

func init() {
	register(command{name: "barcode", summary: "interpret scans (barcode parse: one JSON line per scan)", run: runBarcode})
}

func runBarcode(args []string, s stdio) int {
	if len(args) == 0 || args[0] != "parse" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(s.out, "usage: tote barcode parse [flags] < scans.txt")
			return 0
		}
		fmt.Fprintln(s.err, "usage: tote barcode parse [flags] < scans.txt")
		return 2
	}
	return runBarcodeParse(args[1:], s)
}

func runBarcodeParse(args []string, s stdio) int {
	fs := newFlags("barcode parse", "barcode parse [flags] < scans.txt",
		"Read scans from standard input, one per line (GS as the byte 0x1D or the text <GS>,\n"+
			"the AIM identifier such as ]C1 as a prefix), and print one JSON object per scan.\n"+
			"Exit status 1 when any scan is rejected.", s)
	def := barcode.DefaultPatterns()
	var p barcode.Patterns
	fs.StringVar(&p.Location, "location", def.Location, "location `pattern` (Go regular expression; empty switches it off)")
	fs.StringVar(&p.Tote, "tote", def.Tote, "tote `pattern`")
	fs.StringVar(&p.Badge, "badge", def.Badge, "badge `pattern`")
	fs.StringVar(&p.Command, "command", def.Command, "command `pattern` (first capture group is the command name)")
	fs.StringVar(&p.Order, "order", def.Order, "order `pattern`")
	fs.StringVar(&p.RMA, "rma", def.RMA, "return (RMA) `pattern`")
	today := fs.String("today", "", "the `date` (YYYY-MM-DD) that decides expiry and the century of two-digit years (default: today)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.err, "tote barcode parse: unexpected argument %q (scans are read from standard input)\n", fs.Arg(0))
		return 2
	}
	day := time.Now()
	if *today != "" {
		d, err := time.Parse("2006-01-02", *today)
		if err != nil {
			fmt.Fprintf(s.err, "tote barcode parse: -today %q is not a date like 2026-03-31\n", *today)
			return 2
		}
		day = d
	}
	in, err := barcode.NewInterpreter(p)
	if err != nil {
		fmt.Fprintf(s.err, "tote barcode parse: %v\n", err)
		return 2
	}
	in = in.WithClock(func() time.Time { return day })
	_, rejected, err := in.ParseLines(s.in, s.out, day)
	if err != nil {
		fmt.Fprintf(s.err, "tote barcode parse: %v\n", err)
		return 1
	}
	if rejected > 0 {
		return 1
	}
	return 0
}
