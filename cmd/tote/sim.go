package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/totewms/tote/devices/sim"
)

func init() {
	register(command{name: "sim", summary: "run a virtual scanner, printer or scale on a pseudo-terminal", run: runSim})
}

func runSim(args []string, s stdio) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "run a virtual scanner, printer or scale on a pseudo-terminal")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "usage: tote sim scanner --link PATH [--aim ]C1] [--prefix P] [--suffix CR|LF|CRLF]")
		fmt.Fprintln(w, "       tote sim printer --link PATH | --tcp HOST:PORT  [--dir DIR]")
		fmt.Fprintln(w, "       tote sim scale   --link PATH [--protocol mt-sics|scp-01]")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "The device's path (or address) is printed on standard output; standard input")
		fmt.Fprintln(w, "drives it (type help). It runs until Ctrl-C or quit. See docs/devices.md.")
	}
	if len(args) == 0 {
		usage(s.err)
		return 2
	}
	switch args[0] {
	case "scanner":
		return runSimScanner(args[1:], s)
	case "printer":
		return runSimPrinter(args[1:], s)
	case "scale":
		return runSimScale(args[1:], s)
	case "-h", "-help", "--help", "help":
		usage(s.out)
		return 0
	}
	fmt.Fprintf(s.err, "tote sim: unknown device %q\n\n", args[0])
	usage(s.err)
	return 2
}

func runSimScanner(args []string, s stdio) int {
	fs := newFlags("sim scanner", "sim scanner --link PATH [--aim ID] [--prefix P] [--suffix CR|LF|CRLF]",
		"virtual serial barcode scanner: each line of standard input is sent as one scan (<GS> becomes byte 0x1D)", s)
	link := fs.String("link", "", "path to link the virtual port at (required)")
	aim := fs.String("aim", "", `AIM symbology identifier sent before each scan, e.g. "]C1"`)
	prefix := fs.String("prefix", "", `bytes sent before each scan; Go escapes allowed, e.g. "\x02"`)
	suffix := fs.String("suffix", "CRLF", "what ends each scan: CR, LF or CRLF")
	exitOnEOF := fs.Bool("exit-on-eof", false, "stop when standard input ends (for scripts)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if *link == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote sim scanner: --link PATH is required, and nothing else")
		fs.Usage()
		return 2
	}
	p, err := unescape(*prefix)
	if err != nil {
		fmt.Fprintf(s.err, "tote sim scanner: --prefix: %v\n", err)
		return 2
	}
	sc, err := sim.NewScanner(*link, sim.ScannerOptions{Prefix: p, AIM: *aim, Suffix: *suffix})
	if err != nil {
		fmt.Fprintf(s.err, "tote sim scanner: %v\n", err)
		return 1
	}
	defer sc.Close()
	fmt.Fprintln(s.out, sc.Path())
	fmt.Fprintf(s.err, "virtual scanner on %s, linked at %s\ntype one scan per line (<GS> sends 0x1D); Ctrl-C stops\n", sc.TTY(), sc.Path())
	return serveInput(s, *exitOnEOF, func(line string) (string, error) {
		if line == "" {
			return "", nil
		}
		data := sim.ExpandGS(line)
		if err := sc.Send(data); err != nil {
			return "", err
		}
		return fmt.Sprintf("sent %d bytes", len(p)+len(*aim)+len(data)), nil
	})
}

func runSimPrinter(args []string, s stdio) int {
	fs := newFlags("sim printer", "sim printer (--link PATH | --tcp HOST:PORT) [--dir DIR]",
		"virtual ZPL label printer: writes each ^XA...^XZ format to a file, answers ~HS, and takes faults on standard input", s)
	link := fs.String("link", "", "serial: path to link the virtual port at")
	tcp := fs.String("tcp", "", "network: address to listen on, e.g. 127.0.0.1:9100 (port 0 picks one)")
	dir := fs.String("dir", "printed", "directory for printed formats (job-0001.zpl, ...)")
	exitOnEOF := fs.Bool("exit-on-eof", false, "stop when standard input ends (for scripts)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if (*link == "") == (*tcp == "") || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote sim printer: give exactly one of --link PATH or --tcp HOST:PORT")
		fs.Usage()
		return 2
	}
	var p *sim.PrinterSim
	var err error
	if *link != "" {
		p, err = sim.NewPrinter(*link, *dir)
	} else {
		p, err = sim.NewPrinterTCP(*tcp, *dir)
	}
	if err != nil {
		fmt.Fprintf(s.err, "tote sim printer: %v\n", err)
		return 1
	}
	defer p.Close()
	where := p.Path()
	if where == "" {
		where = p.Addr()
	}
	fmt.Fprintln(s.out, where)
	fmt.Fprintf(s.err, "virtual printer at %s, printing into %s\ncommands: paper-out, head-open, pause, ribbon-out, ok, mute, unmute, status, quit\n", where, p.Dir())

	// Tell the operator about each printed format as it comes out.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := 1; ; n++ {
			jobs, err := p.WaitJobs(ctx, n)
			if err != nil {
				return
			}
			fmt.Fprintf(s.err, "printed %s\n", jobs[n-1].Path)
		}
	}()
	code := serveInput(s, *exitOnEOF, p.Command)
	cancel()
	<-done
	for _, err := range p.Errors() {
		fmt.Fprintf(s.err, "tote sim printer: %v\n", err)
	}
	return code
}

func runSimScale(args []string, s stdio) int {
	fs := newFlags("sim scale", "sim scale --link PATH [--protocol mt-sics|scp-01] [--unit U]",
		"virtual shipping scale: answers MT-SICS or SCP-01 with the weight and motion typed on standard input", s)
	link := fs.String("link", "", "path to link the virtual port at (required)")
	protocol := fs.String("protocol", sim.ProtocolMTSICS, "protocol: mt-sics or scp-01")
	unit := fs.String("unit", "", "unit of the replies: g, kg, lb or oz (default kg for mt-sics, LB for scp-01)")
	exitOnEOF := fs.Bool("exit-on-eof", false, "stop when standard input ends (for scripts)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if *link == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote sim scale: --link PATH is required, and nothing else")
		fs.Usage()
		return 2
	}
	if *protocol != sim.ProtocolMTSICS && *protocol != sim.ProtocolSCP01 {
		fmt.Fprintf(s.err, "tote sim scale: --protocol %q: want mt-sics or scp-01\n", *protocol)
		return 2
	}
	sc, err := sim.NewScale(*link, *protocol)
	if err != nil {
		fmt.Fprintf(s.err, "tote sim scale: %v\n", err)
		return 1
	}
	defer sc.Close()
	if *unit != "" {
		if err := sc.SetUnit(*unit); err != nil {
			fmt.Fprintf(s.err, "tote sim scale: --unit: %v\n", err)
			return 2
		}
	}
	fmt.Fprintln(s.out, sc.Path())
	fmt.Fprintf(s.err, "virtual %s scale on %s, linked at %s, empty and stable\ntype a weight (1250, 1.25kg, 2lb) with moving or stable, or over, under, ok, mute, unmute, status, quit\n",
		*protocol, sc.TTY(), sc.Path())
	return serveInput(s, *exitOnEOF, sc.Command)
}

// serveInput feeds standard input to handle line by line until quit, Ctrl-C
// or SIGTERM. When input ends the device keeps running (so it can run in the
// background with no terminal) unless exitOnEOF is set.
func serveInput(s stdio, exitOnEOF bool, handle func(string) (string, error)) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(s.in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return 0
		case line, ok := <-lines:
			if !ok {
				if exitOnEOF {
					return 0
				}
				lines = nil // keep serving until a signal
				continue
			}
			if strings.TrimSpace(line) == "quit" {
				return 0
			}
			out, err := handle(line)
			if err != nil {
				fmt.Fprintf(s.err, "error: %v\n", err)
				continue
			}
			if out != "" {
				fmt.Fprintln(s.err, out)
			}
		}
	}
}

// unescape reads Go string escapes such as \x02 in a flag value.
func unescape(v string) (string, error) {
	if !strings.Contains(v, `\`) {
		return v, nil
	}
	u, err := strconv.Unquote(`"` + strings.ReplaceAll(v, `"`, `\"`) + `"`)
	if err != nil {
		return "", fmt.Errorf("%q has a bad escape", v)
	}
	return u, nil
}
