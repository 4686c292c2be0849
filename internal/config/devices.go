package config

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// deviceSet checks scanners, printers and scales together: names are unique
// across all of them, and two devices cannot share a serial port.
type deviceSet struct {
	c     *checker
	names map[string]keyPath
	ports map[string]keyPath
}

func newDeviceSet(c *checker) *deviceSet {
	return &deviceSet{c: c, names: map[string]keyPath{}, ports: map[string]keyPath{}}
}

// The limits of serial settings.
const (
	minReadTimeout = 100 * time.Millisecond
	maxReadTimeout = 25500 * time.Millisecond
)

// standardBauds are the rates serial drivers set without special requests.
func standardBauds() []int { return []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200} }

func defaultSerial() Serial {
	return Serial{Baud: 9600, DataBits: 8, Parity: ParityNone, StopBits: 1, ReadTimeout: 200 * time.Millisecond}
}

// name checks a device's name; kind is "scanner", "printer" or "scale".
func (d *deviceSet) name(tbl keyPath, v any, kind string) string {
	var name string
	if v == nil {
		d.c.missing(tbl, "name", fmt.Sprintf("%q", kind+"-1"))
		return ""
	}
	if at := tbl.child("name"); d.c.label(at, v, &name) {
		d.c.unique(d.names, at, name, "name")
	}
	return name
}

// serial checks the serial settings of the device at tbl.
func (d *deviceSet) serial(tbl keyPath, r *rawSerial) Serial {
	c := d.c
	s := defaultSerial()
	if r.Port == nil {
		c.missing(tbl, "port", `"/dev/ttyACM0"`)
	}
	if at := tbl.child("port"); c.str(at, r.Port, &s.Port) {
		switch {
		case !serialPort(s.Port):
			c.errorf(at, "%q is not a serial port: write a device path such as /dev/serial/by-id/usb-… or /dev/ttyACM0, or COM3 on Windows", s.Port)
		default:
			key := s.Port
			if !filepath.IsAbs(key) {
				key = strings.ToUpper(strings.TrimPrefix(key, `\\.\`))
			}
			if first, dup := d.ports[key]; dup {
				c.errorf(at, "%q is already the port of %s%s: two devices cannot share a port", s.Port, first.parent(), c.lineNote(first))
			} else {
				d.ports[key] = at
			}
		}
	}
	if at := tbl.child("baud"); r.Baud != nil {
		var baud int
		if c.integer(at, r.Baud, 1, 1<<31-1, &baud) {
			if slices.Contains(standardBauds(), baud) {
				s.Baud = baud
			} else {
				c.errorf(at, "%d is not a standard rate: use one of %s", baud, joinInts(standardBauds()))
			}
		}
	}
	c.integer(tbl.child("data_bits"), r.DataBits, 5, 8, &s.DataBits)
	enum(c, tbl.child("parity"), r.Parity, &s.Parity, ParityNone, ParityOdd, ParityEven, ParityMark, ParitySpace)
	c.integer(tbl.child("stop_bits"), r.StopBits, 1, 2, &s.StopBits)
	if at := tbl.child("read_timeout"); c.duration(at, r.ReadTimeout, minReadTimeout, maxReadTimeout, &s.ReadTimeout) {
		if s.ReadTimeout%(100*time.Millisecond) != 0 {
			c.errorf(at, "%s is not a whole number of tenths of a second: the serial driver would round it", s.ReadTimeout)
		}
	}
	return s
}

// serialPort accepts absolute device paths and Windows COM ports (COM3,
// \\.\COM12).
func serialPort(p string) bool {
	if strings.HasPrefix(p, "/") {
		return len(p) > 1
	}
	return comPort.MatchString(p)
}

var comPort = regexp.MustCompile(`^(\\\\\.\\)?(?i:COM)[1-9][0-9]{0,2}$`)

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

func (d *deviceSet) scanner(tbl keyPath, r *rawScanner) Scanner {
	c := d.c
	sc := Scanner{Name: d.name(tbl, r.Name, "scanner"), Suffix: SuffixAuto, MaxFrame: 4096}
	sc.Serial = d.serial(tbl, &r.rawSerial)
	if at := tbl.child("prefix"); c.str(at, r.Prefix, &sc.Prefix) {
		switch {
		case len(sc.Prefix) > 16:
			c.errorf(at, "is %d bytes long: at most 16", len(sc.Prefix))
		case strings.ContainsAny(sc.Prefix, "\r\n"):
			c.errorf(at, "must not contain CR or LF: those end a barcode")
		}
	}
	enum(c, tbl.child("suffix"), r.Suffix, &sc.Suffix, SuffixAuto, SuffixCR, SuffixLF, SuffixCRLF)
	c.integer(tbl.child("max_frame"), r.MaxFrame, 64, 65536, &sc.MaxFrame)
	return sc
}

func (d *deviceSet) printer(tbl keyPath, r *rawPrinter) Printer {
	c := d.c
	pr := Printer{Name: d.name(tbl, r.Name, "printer"), DPI: 203, StatusTimeout: time.Second, Role: PrinterShipping}
	if r.Transport == nil {
		c.missing(tbl, "transport", `"tcp"`)
	}
	enum(c, tbl.child("transport"), r.Transport, &pr.Transport, TransportSerial, TransportTCP, TransportSpool)

	// A key of another transport is a sign the printer is not set up the way
	// its author thinks: refuse it rather than ignore it.
	serial, tcp, spool := []Transport{TransportSerial}, []Transport{TransportTCP}, []Transport{TransportSpool}
	only := []struct {
		key  string
		raw  any
		only []Transport
	}{
		{"port", r.Port, serial}, {"baud", r.Baud, serial}, {"data_bits", r.DataBits, serial},
		{"parity", r.Parity, serial}, {"stop_bits", r.StopBits, serial}, {"read_timeout", r.ReadTimeout, serial},
		{"address", r.Address, tcp}, {"path", r.Path, spool},
		{"status_timeout", r.StatusTimeout, []Transport{TransportSerial, TransportTCP}},
	}
	for _, k := range only {
		if k.raw != nil && pr.Transport != "" && !slices.Contains(k.only, pr.Transport) {
			names := make([]string, len(k.only))
			for i, t := range k.only {
				names[i] = fmt.Sprintf("%q", t)
			}
			c.errorf(tbl.child(k.key), "does not apply to transport = %q, only to %s", pr.Transport, strings.Join(names, " or "))
		}
	}

	switch pr.Transport {
	case TransportSerial:
		pr.Serial = d.serial(tbl, &r.rawSerial)
	case TransportTCP:
		if r.Address == nil {
			c.missing(tbl, "address", `"10.0.4.21:9100"`)
		}
		if at := tbl.child("address"); c.str(at, r.Address, &pr.Address) {
			addr, err := printerAddress(pr.Address)
			if err != nil {
				c.errorf(at, "%q: %v", pr.Address, err)
			}
			pr.Address = addr
		}
	case TransportSpool:
		if r.Path == nil {
			c.missing(tbl, "path", `"/var/spool/tote/labels"`)
		}
		c.path(tbl.child("path"), r.Path, &pr.Path)
		pr.StatusTimeout = 0 // a spool cannot answer ~HS
	}

	if at := tbl.child("dpi"); r.DPI != nil {
		var dpi int
		if c.integer(at, r.DPI, 1, 1<<31-1, &dpi) {
			if dpi == 203 || dpi == 300 {
				pr.DPI = dpi
			} else {
				c.errorf(at, "%d is not a printer resolution tote lays labels out for: use 203 or 300", dpi)
			}
		}
	}
	if pr.Transport != TransportSpool {
		c.duration(tbl.child("status_timeout"), r.StatusTimeout, 100*time.Millisecond, 30*time.Second, &pr.StatusTimeout)
	}
	enum(c, tbl.child("role"), r.Role, &pr.Role, PrinterShipping, PrinterDocument)
	c.boolean(tbl.child("allow_carrier_settings"), r.AllowCarrierSettings, &pr.AllowCarrierSettings)
	return pr
}

// printerAddress checks host:port, adding the raw printing port 9100 when
// the port is left out.
func printerAddress(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port, err = net.SplitHostPort(addr + ":9100")
		if err != nil {
			return "", fmt.Errorf("not host:port (write IPv6 addresses in brackets: [fd00::5]:9100)")
		}
	}
	if host == "" {
		return "", fmt.Errorf("has no host")
	}
	if strings.ContainsAny(host, " /") {
		return "", fmt.Errorf("%q is not a host name", host)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	return net.JoinHostPort(host, port), nil
}

func (d *deviceSet) scale(tbl keyPath, r *rawScale) Scale {
	c := d.c
	sc := Scale{Name: d.name(tbl, r.Name, "scale")}
	sc.Serial = d.serial(tbl, &r.rawSerial)
	if r.Protocol == nil {
		c.missing(tbl, "protocol", `"mt-sics"`)
	}
	enum(c, tbl.child("protocol"), r.Protocol, &sc.Protocol, ProtocolMTSICS, ProtocolSCP01)
	enum(c, tbl.child("unit_override"), r.UnitOverride, &sc.UnitOverride, "g", "kg", "lb", "oz")
	return sc
}
