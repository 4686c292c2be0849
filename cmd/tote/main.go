// Command tote is the warehouse floor terminal: one binary whose subcommands
// run a station, the demo, the hub, virtual devices and the tools around them.
// This package only parses flags and wires packages together.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand. run returns the process exit code; usage errors
// return 2, failures 1.
type command struct {
	name    string
	summary string
	run     func(args []string, io stdio) int
}

// stdio is what a subcommand may touch of the process, so tests can run
// subcommands in-process.
type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

// commands is filled by each subcommand file's init; main sorts it for help.
var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	os.Exit(run(os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr}))
}

func run(args []string, s stdio) int {
	sort.Slice(commands, func(i, j int) bool { return commands[i].name < commands[j].name })
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(s.out)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		return runVersion(nil, s)
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], s)
		}
	}
	fmt.Fprintf(s.err, "tote: unknown command %q\n\n", args[0])
	usage(s.err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tote: the warehouse floor terminal")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: tote COMMAND [flags]   (tote COMMAND --help for its flags)")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}

// newFlags makes a FlagSet for a subcommand whose --help prints the summary,
// the usage line and the flags to s.out.
func newFlags(name, usageLine, summary string, s stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "%s\n\nusage: tote %s\n", summary, usageLine)
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(w)
		if b.Len() > 0 {
			fmt.Fprintf(w, "\nflags:\n%s", b.String())
		}
	}
	return fs
}

// parseFlags parses args; it returns (exit code, false) when the caller must
// stop: 0 after --help (usage on standard output), 2 after a usage error.
func parseFlags(fs *flag.FlagSet, args []string, s stdio) (int, bool) {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(s.out)
			fs.Usage()
			fs.SetOutput(s.err)
			return 0, false
		}
	}
	if err := fs.Parse(args); err != nil {
		return 2, false
	}
	return 0, true
}
