package serialport

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

// Candidate is a port that could be a scanner, printer or scale.
type Candidate struct {
	Path   string // what to put in the config, e.g. /dev/serial/by-id/usb-Zebra_...-if00
	Target string // for a by-id link, the node it points at (/dev/ttyACM0); else ""
	Stable bool   // true for /dev/serial/by-id names, which survive replugging
}

// List finds candidate serial ports: on Linux the stable names under
// /dev/serial/by-id (with their targets) and /dev/ttyACM* and /dev/ttyUSB*.
// Elsewhere it returns an error saying where to look instead.
func List() ([]Candidate, error) {
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("listing ports is supported on Linux only; on %s look for COM ports (Windows Device Manager) or /dev/cu.* (macOS)", runtime.GOOS)
	}
	return listUnder("/dev")
}

// listUnder lists ports below dev (a /dev tree; tests pass a temp dir).
func listUnder(dev string) ([]Candidate, error) {
	var out []Candidate
	byID, _ := filepath.Glob(filepath.Join(dev, "serial", "by-id", "*"))
	sort.Strings(byID)
	for _, p := range byID {
		c := Candidate{Path: p, Stable: true}
		if t, err := filepath.EvalSymlinks(p); err == nil {
			c.Target = t
		} else {
			c.Target = "(broken link)"
		}
		out = append(out, c)
	}
	for _, pattern := range []string{"ttyACM*", "ttyUSB*"} {
		nodes, _ := filepath.Glob(filepath.Join(dev, pattern))
		sort.Strings(nodes)
		for _, p := range nodes {
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				out = append(out, Candidate{Path: p})
			}
		}
	}
	return out, nil
}
