package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/totewms/tote/labels"
)

func init() {
	register(command{name: "label", summary: "render labels: ZPL for the printer, PNG previews", run: runLabel})
}

func runLabel(args []string, s stdio) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "render labels: ZPL for the printer, PNG previews")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "usage: tote label render --template NAME --data FILE.json --format zpl|png --out FILE")
		fmt.Fprintln(w, "       tote label commands --format zpl|png --out FILE")
		fmt.Fprintln(w)
		fmt.Fprintf(w, "templates: %s (data schemas in docs/labels.md)\n", strings.Join(labels.Templates(), ", "))
	}
	if len(args) == 0 {
		usage(s.err)
		return 2
	}
	switch args[0] {
	case "render":
		return runLabelRender(args[1:], s)
	case "commands":
		return runLabelCommands(args[1:], s)
	case "-h", "-help", "--help", "help":
		usage(s.out)
		return 0
	}
	fmt.Fprintf(s.err, "tote label: unknown subcommand %q\n\n", args[0])
	usage(s.err)
	return 2
}

func runLabelRender(args []string, s stdio) int {
	fs := newFlags("label render", "label render --template NAME --data FILE.json --format zpl|png --out FILE [--dpi N]",
		"render one label template from a JSON data file", s)
	template := fs.String("template", "", "template: "+strings.Join(labels.Templates(), ", "))
	data := fs.String("data", "", "JSON data file (schema per template in docs/labels.md)")
	format := fs.String("format", "zpl", "output format: zpl or png")
	out := fs.String("out", "", "output file, or - for standard output")
	dpi := fs.Int("dpi", 203, "printer resolution: 203, 300 or 600 (png also takes 72–1200)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if *template == "" || *data == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote label render: --template, --data and --out are required, and nothing else")
		fs.Usage()
		return 2
	}
	raw, err := os.ReadFile(*data)
	if err != nil {
		fmt.Fprintf(s.err, "tote label render: %v\n", err)
		return 1
	}
	ls, err := labels.FromJSON(*template, raw)
	if err != nil {
		fmt.Fprintf(s.err, "tote label render: %s: %v\n", *data, err)
		return 1
	}
	return writeLabels(ls, *format, *dpi, *out, "tote label render", s)
}

func runLabelCommands(args []string, s stdio) int {
	fs := newFlags("label commands", "label commands --format zpl|png --out FILE [--dpi N] [--title TEXT]",
		"render the command-barcode sheet of the pick and pack flows", s)
	format := fs.String("format", "zpl", "output format: zpl or png")
	out := fs.String("out", "", "output file, or - for standard output")
	dpi := fs.Int("dpi", 203, "printer resolution: 203, 300 or 600 (png also takes 72–1200)")
	title := fs.String("title", "", "sheet title (default COMMAND BARCODES)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote label commands: --out is required, and nothing else")
		fs.Usage()
		return 2
	}
	ls, err := labels.CommandSheet(labels.CommandSheetData{Title: *title, Commands: labels.DefaultCommands()})
	if err != nil {
		fmt.Fprintf(s.err, "tote label commands: %v\n", err)
		return 1
	}
	return writeLabels(ls, *format, *dpi, *out, "tote label commands", s)
}

func writeLabels(ls []labels.Label, format string, dpi int, out, who string, s stdio) int {
	var b []byte
	var err error
	switch format {
	case "zpl":
		b, err = labels.ZPLPages(ls, dpi)
	case "png":
		b, err = labels.PNGPages(ls, dpi)
	default:
		fmt.Fprintf(s.err, "%s: --format %q must be zpl or png\n", who, format)
		return 2
	}
	if err != nil {
		fmt.Fprintf(s.err, "%s: %v\n", who, err)
		return 1
	}
	if out == "-" {
		_, err = s.out.Write(b)
	} else {
		err = os.WriteFile(out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintf(s.err, "%s: %v\n", who, err)
		return 1
	}
	return 0
}
