package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/devices/serialport"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

func init() {
	register(command{name: "doctor", summary: "check the configuration, each device and the data directory, and say what is wrong", run: runDoctor})
}

// Free space below which the station is at risk: under doctorDiskFail a
// shift's journal may not fit, under doctorDiskWarn it is time to clean up.
const (
	doctorDiskFail = 100 << 20
	doctorDiskWarn = 1 << 30
	// doctorHubTimeout bounds the hub check: a hub that has not answered
	// by then is as good as down for a station.
	doctorHubTimeout = 10 * time.Second
)

func runDoctor(args []string, s stdio) int {
	fs := newFlags("doctor", "doctor [--config FILE] [--test-label PRINTER] [--full-check]",
		"Check the station's configuration, open each scanner, printer and scale, and check the data directory.\n"+
			"Prints one line per check (OK, WARN or FAIL, with what to do) and exits 1 if any check failed.\n"+
			"Run it with the station stopped: a running station holds the serial ports.", s)
	path := fs.String("config", config.DefaultPath(), "configuration file (default $TOTE_CONFIG, else ~/.config/tote/station.toml)")
	testLabel := fs.String("test-label", "", "also print a small label marked TEST on this printer (its name in the configuration)")
	fullCheck := fs.Bool("full-check", false, "also read the whole store and check its integrity (PRAGMA integrity_check; about 2 ms per MB)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote doctor: takes no arguments")
		fs.Usage()
		return 2
	}
	d := &doctor{out: s.out, fullCheck: *fullCheck}
	cfg, err := config.Load(*path)
	if err != nil {
		d.line("FAIL", "config", "the configuration is not valid; the station will not start. Fix these:")
		fmt.Fprintln(s.out, err)
		return 1
	}
	if *testLabel != "" && !doctorHasPrinter(cfg, *testLabel) {
		fmt.Fprintf(s.err, "tote doctor: --test-label %s: %s has no printer of that name (its printers: %s)\n",
			*testLabel, cfg.Path, doctorPrinterNames(cfg))
		return 2
	}
	d.line("OK", "config", fmt.Sprintf("%s: station %s at site %s; %s, %s, %s", cfg.Path, cfg.Station.ID, cfg.Station.Site,
		doctorCount(len(cfg.Scanners), "scanner"), doctorCount(len(cfg.Printers), "printer"), doctorCount(len(cfg.Scales), "scale")))

	ctx := context.Background()
	for _, sc := range cfg.Scanners {
		d.scanner(sc)
	}
	for _, p := range cfg.Printers {
		d.printer(ctx, p, p.Name == *testLabel)
	}
	for _, sc := range cfg.Scales {
		d.scale(ctx, sc)
	}
	d.dataDir(ctx, cfg)
	d.sync(ctx, cfg)

	fmt.Fprintf(s.out, "\n%d checks: %d OK, %d WARN, %d FAIL\n", d.oks+d.warns+d.fails, d.oks, d.warns, d.fails)
	if d.fails > 0 {
		return 1
	}
	return 0
}

// doctor prints one line per check and counts them.
type doctor struct {
	fullCheck bool // --full-check

	out               io.Writer
	oks, warns, fails int
}

func (d *doctor) line(verdict, what, msg string) {
	switch verdict {
	case "OK":
		d.oks++
	case "WARN":
		d.warns++
	default:
		d.fails++
	}
	fmt.Fprintf(d.out, "%-4s %s: %s\n", verdict, what, msg)
}

func doctorCount(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

func doctorHasPrinter(cfg *config.Config, name string) bool {
	for _, p := range cfg.Printers {
		if p.Name == name {
			return true
		}
	}
	return false
}

func doctorPrinterNames(cfg *config.Config) string {
	if len(cfg.Printers) == 0 {
		return "none"
	}
	names := make([]string, len(cfg.Printers))
	for i, p := range cfg.Printers {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func doctorSerial(s config.Serial) serialport.Config {
	return serialport.Config{Path: s.Port, Baud: s.Baud, DataBits: s.DataBits, Parity: string(s.Parity),
		StopBits: s.StopBits, ReadTimeout: s.ReadTimeout}
}

// doctorPrinterConfig maps a [[printers]] entry onto the printer package's config.
func doctorPrinterConfig(p config.Printer) printer.Config {
	c := printer.Config{Name: p.Name, Transport: string(p.Transport), Address: p.Address, Path: p.Path, StatusTimeout: p.StatusTimeout}
	if p.Transport == config.TransportSerial {
		c.Port, c.Baud, c.DataBits, c.Parity, c.StopBits, c.ReadTimeout =
			p.Serial.Port, p.Serial.Baud, p.Serial.DataBits, string(p.Serial.Parity), p.Serial.StopBits, p.Serial.ReadTimeout
	}
	return c
}

// doctorPortFix says what to do about a port that did not open.
func doctorPortFix(err error) string {
	switch {
	case errors.Is(err, serialport.ErrNotFound):
		return "plug the device in, or use its stable /dev/serial/by-id/… name (tote devices lists them)"
	case errors.Is(err, serialport.ErrBusy):
		return "stop the program that has it open (a running tote station, ModemManager, a terminal program); two devices cannot share a port"
	case errors.Is(err, serialport.ErrPermission):
		return "add the user to the dialout group (sudo usermod -aG dialout $USER), then log in again"
	case errors.Is(err, serialport.ErrNotSerial):
		return "check port in the configuration: it must be the device's serial port"
	case errors.Is(err, serialport.ErrBadConfig):
		return "fix the serial settings in the configuration"
	case errors.Is(err, serialport.ErrHangup):
		return "check the cable and that the device is switched on"
	}
	return "check that the device is switched on and connected"
}

func (d *doctor) scanner(sc config.Scanner) {
	what := "scanner " + sc.Name
	port, err := serialport.Open(doctorSerial(sc.Serial))
	if err != nil {
		d.line("FAIL", what, fmt.Sprintf("%v — %s", err, doctorPortFix(err)))
		return
	}
	port.Close()
	d.line("OK", what, fmt.Sprintf("port %s opens; scan a barcode at the station to check its settings", sc.Serial.Port))
}

func (d *doctor) printer(ctx context.Context, pc config.Printer, testLabel bool) {
	what := "printer " + pc.Name
	p, err := printer.New(doctorPrinterConfig(pc))
	if err != nil {
		d.line("FAIL", what, err.Error())
		return
	}
	defer p.Close()
	st, err := p.Status(ctx)
	ready := false
	switch {
	case errors.Is(err, printer.ErrNoStatus):
		ready = true // a spool takes labels whatever the printer's state
		d.line("WARN", what, fmt.Sprintf("spool %s cannot say how the printer is: check the printer itself", pc.Path))
	case errors.Is(err, printer.ErrNoReply):
		d.line("FAIL", what, fmt.Sprintf("not answering (%v) — check that the printer is switched on and connected, the port or address, and the baud rate; raise status_timeout on a slow link", err))
	case errors.Is(err, printer.ErrBadReply):
		d.line("FAIL", what, fmt.Sprintf("%v — check that the printer speaks ZPL and that the baud rate and parity match its settings", err))
	case err != nil && pc.Transport == config.TransportSerial:
		d.line("FAIL", what, fmt.Sprintf("%v — %s", err, doctorPortFix(err)))
	case err != nil:
		d.line("FAIL", what, fmt.Sprintf("%v — check that the printer is switched on and on the network, and its address", err))
	case !st.Ready():
		d.line("FAIL", what, fmt.Sprintf("%s — %s", strings.Join(st.Problems(), ", "), doctorLowerFirst(st.Instruction())))
	case st.Instruction() != "":
		ready = true
		d.line("WARN", what, fmt.Sprintf("ready, but %s — %s", strings.Join(st.Problems(), ", "), doctorLowerFirst(st.Instruction())))
	default:
		ready = true
		d.line("OK", what, "ready: "+st.String())
	}
	if !testLabel {
		return
	}
	if !ready {
		d.line("FAIL", what, "test label not sent: the printer is not ready (see above)")
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	switch err := p.Send(sctx, doctorTestLabel(pc.Name, time.Now())); {
	case errors.Is(err, printer.ErrPartlySent):
		d.line("FAIL", what, fmt.Sprintf("test label cut off (%v) — the printer may print a broken label; check the cable and try again", err))
	case err != nil:
		d.line("FAIL", what, fmt.Sprintf("test label not sent: %v", err))
	default:
		d.line("OK", what, "test label sent: check that a label marked TEST came out, with a readable barcode")
	}
}

// doctorTestLabel is a small label that says plainly it is a test, with a
// barcode to try the scanner on. It sets nothing on the printer (no ^PW,
// ^LL or ~ commands), so the station's labels print as before.
func doctorTestLabel(name string, at time.Time) []byte {
	var b strings.Builder
	b.WriteString("^XA^CI28\n")
	b.WriteString("^FO30,20^A0N,90,90^FDTEST^FS\n")
	b.WriteString("^FO30,120^A0N,28,28^FDtote doctor test label: not for shipping^FS\n")
	b.WriteString("^FO30,160^A0N,28,28^FH^FDprinter " + doctorFieldHex(name) + "^FS\n")
	b.WriteString("^FO30,200^A0N,28,28^FD" + at.Format("2006-01-02 15:04:05") + "^FS\n")
	b.WriteString("^FO30,250^BY2^BCN,70,Y,N,N^FDTEST-LABEL^FS\n")
	b.WriteString("^XZ\n")
	return []byte(b.String())
}

// doctorFieldHex escapes text for a ^FH field: ^, ~, _ and control bytes become
// _XX, so a name is printed, never obeyed.
func doctorFieldHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '^' || c == '~' || c == '_' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "_%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (d *doctor) scale(ctx context.Context, sc config.Scale) {
	what := "scale " + sc.Name
	s, err := scale.New(scale.Config{Name: sc.Name, Port: sc.Serial.Port, Baud: sc.Serial.Baud, DataBits: sc.Serial.DataBits,
		Parity: string(sc.Serial.Parity), StopBits: sc.Serial.StopBits, ReadTimeout: sc.Serial.ReadTimeout,
		Protocol: string(sc.Protocol), UnitOverride: sc.UnitOverride}, nil)
	if err != nil {
		d.line("FAIL", what, err.Error())
		return
	}
	defer s.Close()
	w, err := s.Read(ctx)
	switch {
	case err == nil:
		d.line("OK", what, fmt.Sprintf("reads %s, stable", doctorGrams(w.Grams)))
	case errors.Is(err, scale.ErrMotion):
		d.line("WARN", what, fmt.Sprintf("answers, but the weight is still moving (%s) — steady the bench and keep draughts off the pan", doctorGrams(w.Grams)))
	case errors.Is(err, scale.ErrOverload), errors.Is(err, scale.ErrUnderload), errors.Is(err, scale.ErrNotReady):
		d.line("WARN", what, fmt.Sprintf("answers, but %v", err))
	case errors.Is(err, scale.ErrNoReply):
		d.line("FAIL", what, fmt.Sprintf("not answering (%v) — check that the scale is on and connected, its baud rate and the protocol setting", err))
	case errors.Is(err, scale.ErrRejected), errors.Is(err, scale.ErrBadReply):
		d.line("FAIL", what, fmt.Sprintf("%v — check the protocol setting (mt-sics or scp-01) against the scale's manual", err))
	default:
		d.line("FAIL", what, fmt.Sprintf("%v — %s", err, doctorPortFix(err)))
	}
}

func doctorGrams(g float64) string {
	if g >= 1000 || g <= -1000 {
		return fmt.Sprintf("%.3f kg", g/1000)
	}
	return fmt.Sprintf("%.0f g", g)
}

// dataDir checks where the station keeps its store: that it can write
// there, that the store opens, what its print queue holds, and the free
// space.
func (d *doctor) dataDir(ctx context.Context, cfg *config.Config) {
	dir := cfg.Station.DataDir
	what := "data_dir " + dir
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		parent := doctorExistingParent(dir)
		if werr := doctorWritable(parent); werr != nil {
			d.line("FAIL", what, fmt.Sprintf("does not exist, and the station cannot create it: %v — create it for the station's user", werr))
		} else {
			d.line("WARN", what, "does not exist yet: the station creates it at start")
		}
		d.disk(parent)
		return
	case err != nil:
		d.line("FAIL", what, fmt.Sprintf("%v — check the path and its permissions", err))
		return
	case !fi.IsDir():
		d.line("FAIL", what, "is not a directory — point data_dir at a folder")
		return
	}
	if err := doctorWritable(dir); err != nil {
		d.line("FAIL", what, fmt.Sprintf("not writable: %v — give the station's user write permission", err))
	} else {
		d.line("OK", what, "writable")
	}
	d.store(ctx, cfg)
	d.disk(dir)
}

func (d *doctor) store(ctx context.Context, cfg *config.Config) {
	path := filepath.Join(cfg.Station.DataDir, "station.db")
	what := "store " + path
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		d.line("OK", what, "none yet: the station creates it at first start")
		return
	}
	st, err := store.OpenWith(ctx, path, cfg.Station.ID, sqlitedb.Options{FullCheck: d.fullCheck, CheckEvery: cfg.Store.FullCheckEvery})
	if err != nil {
		d.line("FAIL", what, err.Error())
		return
	}
	defer st.Close()
	check := "quick_check ok, run because: " + st.DB().FullCheck
	if st.DB().FullCheck == "" {
		check = "full check not due: last shutdown clean; --full-check runs it"
	}
	d.line("OK", what, fmt.Sprintf("opens (schema %d, %s)", st.DB().Version, check))
	if d.fullCheck {
		if err := st.DB().IntegrityCheck(ctx); err != nil {
			d.line("FAIL", what, fmt.Sprintf("integrity_check: %v — stop the station, keep the file for recovery, move it aside and let sync refill a new one", err))
		} else {
			d.line("OK", what, "integrity_check ok")
		}
	}
	qs, err := st.PrintQueues(ctx)
	if err != nil {
		d.line("FAIL", "print queue", err.Error())
		return
	}
	quiet := true
	for _, q := range qs {
		if n := len(q.InDoubt); n > 0 {
			quiet = false
			refs := make([]string, n)
			for i, j := range q.InDoubt {
				refs[i] = fmt.Sprintf("job %d %s", j.ID, j.Ref)
			}
			d.line("WARN", "print queue", fmt.Sprintf("printer %s: %s may not have printed (%s) — check the printer, then reprint or confirm at the station",
				q.Printer, doctorCount(n, "label"), strings.Join(refs, ", ")))
		}
		if n := q.Waiting + q.Sending; n > 0 {
			quiet = false
			d.line("WARN", "print queue", fmt.Sprintf("printer %s: %s waiting to print; they go out when the station runs and the printer is ready", q.Printer, doctorCount(n, "label")))
		}
	}
	if quiet {
		d.line("OK", "print queue", "nothing waiting, nothing in doubt")
	}
}

func (d *doctor) disk(dir string) {
	what := "disk"
	free, err := doctorFreeSpace(dir)
	switch {
	case err != nil:
		d.line("WARN", what, fmt.Sprintf("free space under %s not measured: %v", dir, err))
	case free < doctorDiskFail:
		d.line("FAIL", what, fmt.Sprintf("only %s free under %s — the station stops recording scans when the disk is full: free some space", doctorBytes(free), dir))
	case free < doctorDiskWarn:
		d.line("WARN", what, fmt.Sprintf("%s free under %s — free some space soon", doctorBytes(free), dir))
	default:
		d.line("OK", what, fmt.Sprintf("%s free under %s", doctorBytes(free), dir))
	}
}

func doctorBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// doctorExistingParent is dir or its nearest ancestor that exists.
func doctorExistingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}

// doctorWritable tries to create (and removes) a file in dir.
func doctorWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".tote-doctor-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	name := f.Name()
	_, werr := f.WriteString("tote doctor\n")
	cerr := f.Close()
	os.Remove(name)
	return errors.Join(werr, cerr)
}

func doctorLowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// sync checks [sync]: the token file, then the hub itself with hello
// (which changes nothing at the hub): reachable, the same protocol
// version, the token known and this station's. The station refuses to
// start, or stops syncing, on each of these.
func (d *doctor) sync(ctx context.Context, cfg *config.Config) {
	if cfg.Sync.Hub == "" {
		d.line("OK", "sync", "no hub configured: the station works alone (a pack bench prints shipping labels only once a hub gave it a station number)")
		return
	}
	what := "hub " + cfg.Sync.Hub
	token, ok := d.tokenFile(cfg)
	if !ok {
		d.line("FAIL", what, "not checked: the station has no token to show it")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, doctorHubTimeout)
	defer cancel()
	client, err := replicator.NewClient(cfg.Sync.CAFile)
	if err != nil {
		d.line("FAIL", what, fmt.Sprintf("%v — point [sync] ca_file in %s at the PEM file of the site's CA", err, cfg.Path))
		return
	}
	h, err := replicator.Hello(ctx, client, cfg.Sync.Hub, token)
	var pe *protocol.Error
	var down replicator.HubUnreachable
	switch {
	case errors.As(err, &down):
		d.line("FAIL", what, fmt.Sprintf("cannot reach it (%v) — check [sync] hub (address and port) in %s, that the hub runs (`tote hub --listen ADDR --db FILE` on its machine), and the network between them", err, cfg.Path))
	case errors.Is(err, replicator.ErrNotAHub):
		d.line("FAIL", what, fmt.Sprintf("%v — check [sync] hub in %s: it must be the address the hub serves on (`tote hub --listen ADDR`)", err, cfg.Path))
	case errors.As(err, &pe) && pe.Code == protocol.CodeVersion:
		d.line("FAIL", what, fmt.Sprintf("%s — run the same tote version on the hub and the stations", pe.Message))
	case errors.As(err, &pe) && pe.Code == protocol.CodeUnauth:
		d.line("FAIL", what, fmt.Sprintf("the hub does not know the token in %s — on the hub run `tote hub token --db hub.db --station %s` and put the token it prints in that file", cfg.Sync.TokenFile, cfg.Station.ID))
	case errors.As(err, &pe) && pe.Code == protocol.CodeForbidden:
		d.line("FAIL", what, fmt.Sprintf("the token in %s is not a station token — on the hub run `tote hub token --db hub.db --station %s` and put the token it prints in that file", cfg.Sync.TokenFile, cfg.Station.ID))
	case errors.As(err, &pe) && pe.Status == http.StatusNotFound && pe.Code == "":
		d.line("WARN", what, "reachable, but the hub is older than this station and cannot check the token — update tote on the hub")
	case errors.As(err, &pe):
		d.line("FAIL", what, fmt.Sprintf("the hub answered %d: %s — see the hub's log", pe.Status, pe.Message))
	case err != nil:
		d.line("FAIL", what, fmt.Sprintf("%v — check [sync] hub in %s", err, cfg.Path))
	case h.Version != protocol.Version:
		d.line("FAIL", what, fmt.Sprintf("the hub speaks sync protocol version %d, this station %d — run the same tote version on the hub and the stations", h.Version, protocol.Version))
	case h.Station != cfg.Station.ID:
		d.line("FAIL", what, fmt.Sprintf("the token in %s belongs to station %s, not %s — on the hub run `tote hub token --db hub.db --station %s` and put the token it prints in that file",
			cfg.Sync.TokenFile, floor.Printable(h.Station), cfg.Station.ID, cfg.Station.ID))
	default:
		number := "no station number yet"
		if h.Number > 0 {
			number = fmt.Sprintf("station number %d", h.Number)
		}
		news := fmt.Sprintf("news every %v: the hub answers pulls at once, it does not hold them", cfg.Sync.PullInterval)
		if h.PullWaitMS > 0 {
			news = fmt.Sprintf("news as it commits: the hub holds a pull up to %v", time.Duration(h.PullWaitMS)*time.Millisecond)
		}
		d.line("OK", what, fmt.Sprintf("reachable, sync protocol %d, token accepted for station %s (%s); %s", h.Version, h.Station, number, news))
	}
}

// tokenFile reads the station's hub token and says what is wrong with its
// file: missing, unreadable, empty, or readable by others.
func (d *doctor) tokenFile(cfg *config.Config) (string, bool) {
	path := cfg.Sync.TokenFile
	if path == "" {
		d.line("FAIL", "sync token_file", fmt.Sprintf("[sync] hub is set but token_file is not, so the station will not start — set [sync] token_file in %s to a file holding the station's token (`tote hub token --db hub.db --station %s` prints one)", cfg.Path, cfg.Station.ID))
		return "", false
	}
	what := "sync token_file " + path
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.line("FAIL", what, fmt.Sprintf("does not exist, so the station will not start — on the hub run `tote hub token --db hub.db --station %s` and put the token it prints in this file (chmod 600)", cfg.Station.ID))
		return "", false
	case errors.Is(err, fs.ErrPermission):
		d.line("FAIL", what, "cannot be read by this user, so the station will not start — let the station's user read it (chown, chmod 600)")
		return "", false
	case err != nil:
		d.line("FAIL", what, fmt.Sprintf("%v — point token_file at the file holding the station's token", err))
		return "", false
	}
	token := strings.TrimSpace(string(b))
	if token == "" {
		d.line("FAIL", what, fmt.Sprintf("is empty, so the station will not start — on the hub run `tote hub token --db hub.db --station %s` and put the token it prints in this file", cfg.Station.ID))
		return "", false
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o044 != 0 {
		d.line("WARN", what, fmt.Sprintf("others can read it (mode %04o), and the token lets them sync as this station — chmod 600 %s", fi.Mode().Perm(), path))
	} else {
		d.line("OK", what, "readable by this user only")
	}
	return token, true
}
