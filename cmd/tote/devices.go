package main

import (
	"fmt"

	"github.com/totewms/tote/devices/serialport"
)

func init() {
	register(command{name: "devices", summary: "list serial ports where scanners, printers and scales may be", run: runDevices})
}

func runDevices(args []string, s stdio) int {
	fs := newFlags("devices", "devices", "list candidate serial ports: /dev/serial/by-id names (use these in the config), /dev/ttyACM* and /dev/ttyUSB*", s)
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote devices: takes no arguments")
		fs.Usage()
		return 2
	}
	ports, err := serialport.List()
	if err != nil {
		fmt.Fprintf(s.err, "tote devices: %v\n", err)
		return 1
	}
	if len(ports) == 0 {
		fmt.Fprintln(s.out, "no serial ports found (looked at /dev/serial/by-id, /dev/ttyACM*, /dev/ttyUSB*)")
		fmt.Fprintln(s.out, "plug the device in and run this again; `dmesg | tail` shows what the kernel saw.")
		fmt.Fprintln(s.out, "for virtual devices see `tote sim --help`.")
		return 0
	}
	linked := map[string]string{}
	for _, p := range ports {
		if p.Stable {
			linked[p.Target] = p.Path
		}
	}
	for _, p := range ports {
		line := p.Path
		switch {
		case p.Stable:
			line += " -> " + p.Target + "   (stable name: use this in the config)"
		case linked[p.Path] != "":
			line += "   (same device as the by-id name above)"
		}
		if why := serialport.Access(p.Path); why != "" {
			line += "   [" + why + "]"
		}
		fmt.Fprintln(s.out, line)
	}
	return 0
}
