// Package config reads and validates a station's configuration file: who the
// station is, how picking and packing behave, what the barcodes look like and
// which scanners, printers and scales are plugged in.
//
// One TOML file configures a station (tote station --config FILE); the full
// reference is docs/configuration.md and docs/station.example.toml is a
// complete example. Load refuses a file rather than guess: every problem is
// reported, all at once, each with the file, the line and the key, and keys
// it does not know are errors, so a typo is never silently ignored. Absent
// optional keys take the defaults listed in the reference.
//
// The package must never open devices, create directories or touch anything
// but the one file Load reads: it describes the station, other packages act
// on it. Paths are only expanded (~) and resolved against the file's
// directory; whether they exist is for the code that uses them to find out.
package config

import (
	"github.com/totewms/tote/internal/floor"

	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// Config is a station's whole configuration, every default filled in.
type Config struct {
	Path     string // file it was read from; empty for Default
	Station  Station
	Pick     Pick
	Pack     Pack
	Barcodes Barcodes
	Scanners []Scanner
	Printers []Printer
	Scales   []Scale
	Sync     Sync
	Store    Store
	Log      Log
}

// Station says who this terminal is and where it keeps its data.
type Station struct {
	ID      string // 1–32 of A–Z, 0–9 and -; unique per site
	Site    string // warehouse or site code, same charset
	DataDir string // absolute: local database and journal live here
	Roles   []Role // who may sign in here; never empty
	LogFile string // absolute; the TUI never logs to the terminal
	// PINMaxFailures: wrong PINs in a row for one badge that lock it at
	// this station (1–100; default floor.DefaultPINMaxFailures). The hub
	// also locks at its own pin_max_failures, counting every station.
	PINMaxFailures int
}

// HasRole reports whether people in role r may work at this station.
func (s Station) HasRole(r Role) bool { return slices.Contains(s.Roles, r) }

// SetDataDir points the station at dir and puts the log file inside it, for
// callers (the demo) that choose the data directory themselves.
func (s *Station) SetDataDir(dir string) {
	s.DataDir = dir
	s.LogFile = filepath.Join(dir, "tote.log")
}

// Role is a kind of work a person signs in for: the domain's roles.
type Role = floor.Role

// The roles a station can offer.
const (
	RolePicker     = floor.RolePicker
	RolePacker     = floor.RolePacker
	RoleSupervisor = floor.RoleSupervisor
	RoleReturns    = floor.RoleReturns
	RoleLoader     = floor.RoleLoader
)

// AllRoles is every role, the default for a station.
func AllRoles() []Role {
	return []Role{RolePicker, RolePacker, RoleSupervisor, RoleReturns, RoleLoader}
}

// Pick tunes the picking workflow.
type Pick struct {
	// ConfirmQuantityAbove: a keyed quantity above this needs a second
	// confirmation, so a slip of the finger (100 for 10) is caught.
	ConfirmQuantityAbove int
	// ShortReasons are the reasons a picker may give for a short pick.
	ShortReasons []string
	// OnHold is what the cart does with an order the office put on hold:
	// OnHoldSkip (its tasks wait until it is released) or OnHoldPick (pick
	// it anyway; the pack bench stops it).
	OnHold OnHold
}

// OnHold is the [pick] on_hold choice.
type OnHold string

const (
	OnHoldSkip OnHold = "skip"
	OnHoldPick OnHold = "pick"
)

// Pack tunes the packing workflow and the shipping labels it prints.
type Pack struct {
	ConfirmQuantityAbove int
	// A weighed carton is accepted when it is within either tolerance of the
	// expected weight (items plus box tare): the larger of the two applies.
	WeightTolerancePercent float64
	WeightToleranceGrams   int
	// ScaleEmptyBelowG: a scale reading under this is an empty pan. A
	// carton's weight counts only after the pan read empty since the last
	// one (station/pack ScaleArm).
	ScaleEmptyBelowG float64
	HoldingLocation  string // where cartons of orders put on hold go
	HazmatAlone      bool   // hazmat items ship in a carton of their own
	GS1CompanyPrefix string // 6–11 digits, for SSCC numbers on labels
	SSCCExtension    int    // 0–9, the SSCC's first digit
	Boxes            []Box  // the box sizes packers choose from; never empty
	// Shipping labels: the carrier and service an order gets when the OMS
	// chose none, the return address, and the prefix of the tracking
	// numbers this bench gives (own fleet, or a carrier that accepts
	// shipper-assigned numbers). The station's number from the hub keeps
	// the SSCCs and tracking numbers of one hub's benches apart.
	Carrier        string
	Service        string
	TrackingPrefix string // 1–10 capital letters or digits
	// CarrierLabels says what a carton of an order that came with carrier
	// labels prints: CarrierLabelsInstead (the carrier's label only) or
	// CarrierLabelsBeside (the carrier's and tote's GS1 logistic label).
	CarrierLabels string
	ShipFrom      floor.Address
	// Printer is the [[printers]] name shipping labels go to; "" means
	// the first printer configured.
	Printer string
}

// What a carton prints when its order came with carrier labels.
const (
	CarrierLabelsInstead = "instead"
	CarrierLabelsBeside  = "beside"
)

// Box is a box size a packer can choose, identified by scanning its code.
type Box struct {
	Name                        string
	Code                        string // barcode on the shelf or box
	LengthMM, WidthMM, HeightMM int
	TareG                       int     // empty box weight in grams
	FillFactor                  float64 // share of the volume items may fill, 0 < f ≤ 1
}

// Barcodes are the patterns that tell one kind of scan from another. Each is
// a compiled Go (RE2) regular expression; Command's first group is the
// command name.
type Barcodes struct {
	Location *regexp.Regexp
	Tote     *regexp.Regexp
	Badge    *regexp.Regexp
	Command  *regexp.Regexp
	Order    *regexp.Regexp
	RMA      *regexp.Regexp
}

// Serial is how to open a serial (or USB CDC) device.
type Serial struct {
	Port        string // /dev/serial/by-id/..., /dev/ttyACM0, COM3
	Baud        int
	DataBits    int // 5–8
	Parity      Parity
	StopBits    int           // 1 or 2
	ReadTimeout time.Duration // 100ms–25.5s in 100ms steps: the serial driver counts tenths of a second
}

// Parity of a serial line.
type Parity string

// Parity settings.
const (
	ParityNone  Parity = "none"
	ParityOdd   Parity = "odd"
	ParityEven  Parity = "even"
	ParityMark  Parity = "mark"
	ParitySpace Parity = "space"
)

// Scanner is a barcode scanner on a serial or USB CDC port.
type Scanner struct {
	Name     string
	Serial   Serial
	Prefix   string // bytes the scanner sends before each barcode, stripped
	Suffix   Suffix // what ends a barcode
	MaxFrame int    // longest barcode in bytes; longer input is dropped as noise
}

// Suffix is what a scanner sends after each barcode.
type Suffix string

// Suffixes. SuffixAuto accepts CR, LF and CR LF alike.
const (
	SuffixAuto Suffix = "auto"
	SuffixCR   Suffix = "cr"
	SuffixLF   Suffix = "lf"
	SuffixCRLF Suffix = "crlf"
)

// Printer is a ZPL label printer.
type Printer struct {
	Name                 string
	Transport            Transport
	Serial               Serial        // TransportSerial only
	Address              string        // TransportTCP only: host:port, port 9100 unless given
	Path                 string        // TransportSpool only: a file or a directory to drop labels in
	DPI                  int           // 203 or 300
	StatusTimeout        time.Duration // how long to wait for a ~HS reply; zero for spool
	Role                 PrinterRole
	AllowCarrierSettings bool // let labels from carriers change printer settings
}

// Transport is how labels reach a printer.
type Transport string

// Printer transports.
const (
	TransportSerial Transport = "serial"
	TransportTCP    Transport = "tcp"
	TransportSpool  Transport = "spool"
)

// PrinterRole is what a printer prints.
type PrinterRole string

// Printer roles.
const (
	PrinterShipping PrinterRole = "shipping" // shipping labels
	PrinterDocument PrinterRole = "document" // packing slips, tote and location labels
)

// Scale is a shipping scale on a serial port.
type Scale struct {
	Name         string
	Serial       Serial
	Protocol     ScaleProtocol
	UnitOverride string // "" (trust the scale), or g, kg, lb, oz: read every weight in this unit
}

// ScaleProtocol is the command set a scale speaks.
type ScaleProtocol string

// Scale protocols.
const (
	ProtocolMTSICS ScaleProtocol = "mt-sics" // Mettler Toledo
	ProtocolSCP01  ScaleProtocol = "scp-01"  // Avery Weigh-Tronix / NCI
)

// Sync is how the station talks to the central hub.
type Sync struct {
	Hub          string // http(s) URL; empty: the station works alone
	TokenFile    string // absolute path of the file holding the station's token; may be empty
	PushInterval time.Duration
	PullInterval time.Duration
	// CAFile: PEM CA certificates the hub's certificate must chain to;
	// empty: the system's roots.
	CAFile string
	// InsecureHTTP allows a plain http:// hub on another machine.
	InsecureHTTP bool
}

// Store is how the station looks after its database over a long life.
type Store struct {
	// FullCheckEvery: the full integrity check runs after an unclean
	// shutdown and, besides, when the last one is older than this; 0: only
	// after an unclean shutdown.
	FullCheckEvery time.Duration
	// PushedEvents is what happens to journal events the hub acknowledged
	// once they are older than KeepPushed: PushedArchive, PushedDelete or
	// PushedKeep.
	PushedEvents PushedEvents
	KeepPushed   time.Duration
	PruneEvery   time.Duration // how often the station looks for them
}

// PushedEvents is a [store] pushed_events value.
type PushedEvents string

// What happens to acknowledged, old journal events.
const (
	PushedArchive PushedEvents = "archive" // moved into journal-archive.db next to the store
	PushedDelete  PushedEvents = "delete"
	PushedKeep    PushedEvents = "keep" // never pruned: the journal grows for ever
)

// Log is what the station writes to its log file.
type Log struct {
	Level slog.Level
}

// DefaultPath is where a station looks for its configuration: $TOTE_CONFIG
// if set, else tote/station.toml in the user's configuration directory
// (~/.config/tote/station.toml on Linux). It is empty when neither is known.
func DefaultPath() string {
	if p := os.Getenv("TOTE_CONFIG"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "tote", "station.toml")
}

// Default is the configuration the demo runs with: every default filled in,
// station DEMO-01 at site DEMO, no devices. The data directory and log file
// are left empty for the caller to set (Station.SetDataDir).
func Default() *Config {
	c := defaults()
	c.Station.ID = "DEMO-01"
	c.Station.Site = "DEMO"
	return c
}

// defaults is every default that does not depend on the environment.
func defaults() *Config {
	return &Config{
		Station: Station{Roles: AllRoles()},
		Pick: Pick{
			ConfirmQuantityAbove: 10,
			ShortReasons:         []string{"not-found", "damaged", "quantity-short"},
			OnHold:               OnHoldSkip,
		},
		Pack: Pack{
			ConfirmQuantityAbove:   10,
			WeightTolerancePercent: 5,
			WeightToleranceGrams:   50,
			ScaleEmptyBelowG:       20,
			HoldingLocation:        "HOLD-01",
			HazmatAlone:            true,
			GS1CompanyPrefix:       "0614141",
			SSCCExtension:          0,
			Carrier:                "OWN FLEET",
			Service:                "STANDARD",
			TrackingPrefix:         "TT0",
			CarrierLabels:          CarrierLabelsInstead,
			ShipFrom: floor.Address{Name: "Tote Fulfilment", Line1: "1 Dock Road", City: "Springfield",
				PostalCode: "12345", Country: "US"},
			Boxes: []Box{
				{Name: "small", Code: "BOX-S", LengthMM: 230, WidthMM: 160, HeightMM: 80, TareG: 120, FillFactor: 0.85},
				{Name: "medium", Code: "BOX-M", LengthMM: 305, WidthMM: 230, HeightMM: 150, TareG: 250, FillFactor: 0.85},
				{Name: "large", Code: "BOX-L", LengthMM: 405, WidthMM: 305, HeightMM: 200, TareG: 450, FillFactor: 0.85},
				{Name: "extra-large", Code: "BOX-XL", LengthMM: 510, WidthMM: 405, HeightMM: 305, TareG: 800, FillFactor: 0.85},
			},
		},
		Barcodes: Barcodes{
			Location: regexp.MustCompile(defaultLocation),
			Tote:     regexp.MustCompile(defaultTote),
			Badge:    regexp.MustCompile(defaultBadge),
			Command:  regexp.MustCompile(defaultCommand),
			Order:    regexp.MustCompile(defaultOrder),
			RMA:      regexp.MustCompile(defaultRMA),
		},
		Sync:  Sync{PushInterval: 2 * time.Second, PullInterval: 10 * time.Second},
		Store: Store{FullCheckEvery: 168 * time.Hour, PushedEvents: PushedArchive, KeepPushed: 720 * time.Hour, PruneEvery: time.Hour},
		Log:   Log{Level: slog.LevelInfo},
	}
}

// The [barcodes] defaults.
const (
	defaultLocation = `^[A-Z]{1,2}-\d{2}-\d{2}-\d{1,2}$`
	defaultTote     = `^T\d{5}$`
	defaultBadge    = `^B\d{4,8}$`
	defaultCommand  = `^CMD:([A-Z0-9-]+)$`
	defaultOrder    = `^ORD-\d{4,10}$`
	defaultRMA      = `^RMA-\d{4,10}$`
)

// maxFileSize bounds what Load reads: a station file is a few kilobytes, and
// a wrong path (a device, a database) must not be read whole.
const maxFileSize = 1 << 20

// Load reads and validates the configuration file at path. Its error is
// always a *Errors listing every problem found.
func Load(path string) (*Config, error) {
	if path == "" {
		return nil, single(&Error{Msg: "no configuration file given: pass --config FILE or set TOTE_CONFIG"})
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, single(&Error{File: path, Msg: "cannot read: " + plainPathError(err), err: err})
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, single(&Error{File: path, Msg: "cannot read: " + plainPathError(err), err: err})
	}
	return Parse(path, data)
}

// plainPathError drops the "open /path:" the error would repeat.
func plainPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func single(e *Error) *Errors { return &Errors{List: []*Error{e}} }

// Parse validates data as the configuration file at path; path is used in
// error messages and to resolve relative paths in the file. Its error is
// always a *Errors listing every problem found.
func Parse(path string, data []byte) (*Config, error) {
	if len(data) > maxFileSize {
		return nil, single(&Error{File: path, Msg: fmt.Sprintf("file is larger than %d KiB: is this the station's configuration file?", maxFileSize>>10)})
	}
	c := newChecker(path, data)
	cfg := c.config()
	if len(c.errs) > 0 {
		sortErrors(c.errs)
		return nil, &Errors{List: c.errs}
	}
	cfg.Path = path
	return cfg, nil
}
