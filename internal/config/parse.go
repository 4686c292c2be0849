package config

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"github.com/totewms/tote/internal/floor"
)

// The raw* types mirror the file. Tables are toml.Primitive so that one
// table of the wrong shape does not stop the others from being checked, and
// every value is `any` so that a value of the wrong type is reported by us,
// with its line, instead of aborting the decoder at the first one. Their
// toml tags are the schema: unknown-key detection and the documentation
// test read them.

type rawFile struct {
	Station  toml.Primitive `toml:"station"`
	Pick     toml.Primitive `toml:"pick"`
	Pack     toml.Primitive `toml:"pack"`
	Barcodes toml.Primitive `toml:"barcodes"`
	Scanners toml.Primitive `toml:"scanners"`
	Printers toml.Primitive `toml:"printers"`
	Scales   toml.Primitive `toml:"scales"`
	Sync     toml.Primitive `toml:"sync"`
	Store    toml.Primitive `toml:"store"`
	Log      toml.Primitive `toml:"log"`
}

type rawStation struct {
	ID      any `toml:"id"`
	Site    any `toml:"site"`
	DataDir any `toml:"data_dir"`
	Roles   any `toml:"roles"`
	LogFile any `toml:"log_file"`
	// PINMaxFailures: wrong PINs in a row that lock a badge here.
	PINMaxFailures any `toml:"pin_max_failures"`
}

type rawPick struct {
	ConfirmQuantityAbove any `toml:"confirm_quantity_above"`
	ShortReasons         any `toml:"short_reasons"`
	OnHold               any `toml:"on_hold"`
}

type rawPack struct {
	ConfirmQuantityAbove   any            `toml:"confirm_quantity_above"`
	WeightTolerancePercent any            `toml:"weight_tolerance_percent"`
	WeightToleranceGrams   any            `toml:"weight_tolerance_grams"`
	ScaleEmptyBelowG       any            `toml:"scale_empty_below_g"`
	HoldingLocation        any            `toml:"holding_location"`
	HazmatAlone            any            `toml:"hazmat_alone"`
	GS1CompanyPrefix       any            `toml:"gs1_company_prefix"`
	SSCCExtension          any            `toml:"sscc_extension"`
	Carrier                any            `toml:"carrier"`
	Service                any            `toml:"service"`
	TrackingPrefix         any            `toml:"tracking_prefix"`
	CarrierLabels          any            `toml:"carrier_labels"`
	Printer                any            `toml:"printer"`
	Boxes                  toml.Primitive `toml:"boxes"`
	ShipFrom               toml.Primitive `toml:"ship_from"`
}

// rawAddress is a postal address table: [pack.ship_from].
type rawAddress struct {
	Name       any `toml:"name"`
	Company    any `toml:"company"`
	Line1      any `toml:"line1"`
	Line2      any `toml:"line2"`
	City       any `toml:"city"`
	Region     any `toml:"region"`
	PostalCode any `toml:"postal_code"`
	Country    any `toml:"country"`
}

type rawBox struct {
	Name       any `toml:"name"`
	Code       any `toml:"code"`
	LengthMM   any `toml:"length_mm"`
	WidthMM    any `toml:"width_mm"`
	HeightMM   any `toml:"height_mm"`
	TareG      any `toml:"tare_g"`
	FillFactor any `toml:"fill_factor"`
}

type rawBarcodes struct {
	Location any `toml:"location"`
	Tote     any `toml:"tote"`
	Badge    any `toml:"badge"`
	Command  any `toml:"command"`
	Order    any `toml:"order"`
	RMA      any `toml:"rma"`
}

type rawSerial struct {
	Port        any `toml:"port"`
	Baud        any `toml:"baud"`
	DataBits    any `toml:"data_bits"`
	Parity      any `toml:"parity"`
	StopBits    any `toml:"stop_bits"`
	ReadTimeout any `toml:"read_timeout"`
}

type rawScanner struct {
	Name any `toml:"name"`
	rawSerial
	Prefix   any `toml:"prefix"`
	Suffix   any `toml:"suffix"`
	MaxFrame any `toml:"max_frame"`
}

type rawPrinter struct {
	Name      any `toml:"name"`
	Transport any `toml:"transport"`
	rawSerial
	Address              any `toml:"address"`
	Path                 any `toml:"path"`
	DPI                  any `toml:"dpi"`
	StatusTimeout        any `toml:"status_timeout"`
	Role                 any `toml:"role"`
	AllowCarrierSettings any `toml:"allow_carrier_settings"`
}

type rawScale struct {
	Name any `toml:"name"`
	rawSerial
	Protocol     any `toml:"protocol"`
	UnitOverride any `toml:"unit_override"`
}

type rawSync struct {
	Hub          any `toml:"hub"`
	TokenFile    any `toml:"token_file"`
	PushInterval any `toml:"push_interval"`
	PullInterval any `toml:"pull_interval"`
	CAFile       any `toml:"ca_file"`
	InsecureHTTP any `toml:"insecure_http"`
}

type rawStore struct {
	FullCheckEvery any `toml:"full_check_every"`
	PushedEvents   any `toml:"pushed_events"`
	KeepPushed     any `toml:"keep_pushed"`
	PruneEvery     any `toml:"prune_every"`
}

type rawLog struct {
	Level any `toml:"level"`
}

// config decodes and checks the whole file; nil when it is not TOML.
func (c *checker) config() *Config {
	var raw rawFile
	md, err := decode(c.data, &raw)
	if err != nil {
		c.syntax(err)
		return nil
	}
	c.md = md
	c.lines = indexKeys(c.data)
	c.unknownKeys()

	cfg := defaults()
	root := keyPath(nil)

	var st rawStation
	if at := root.child("station"); c.table(at, raw.Station, &st) {
		c.station(at, &st, &cfg.Station)
	}
	var pick rawPick
	if at := root.child("pick"); c.table(at, raw.Pick, &pick) {
		c.pick(at, &pick, &cfg.Pick)
	}
	var bc rawBarcodes
	if at := root.child("barcodes"); c.table(at, raw.Barcodes, &bc) {
		c.barcodes(at, &bc, &cfg.Barcodes)
	}
	var pack rawPack
	packAt := root.child("pack")
	packRead := c.table(packAt, raw.Pack, &pack)
	if packRead {
		c.pack(packAt, &pack, &cfg.Pack, &cfg.Barcodes)
	}

	devs := newDeviceSet(c)
	scanners, _ := tableArray[rawScanner](c, root.child("scanners"), raw.Scanners)
	for _, e := range scanners {
		cfg.Scanners = append(cfg.Scanners, devs.scanner(e.at, e.raw))
	}
	printers, _ := tableArray[rawPrinter](c, root.child("printers"), raw.Printers)
	for _, e := range printers {
		cfg.Printers = append(cfg.Printers, devs.printer(e.at, e.raw))
	}
	scales, _ := tableArray[rawScale](c, root.child("scales"), raw.Scales)
	for _, e := range scales {
		cfg.Scales = append(cfg.Scales, devs.scale(e.at, e.raw))
	}
	if packRead {
		// The label printer is checked once the printers are known.
		c.labelPrinter(packAt.child("printer"), pack.Printer, cfg.Printers, &cfg.Pack.Printer)
	}

	var sy rawSync
	if at := root.child("sync"); c.table(at, raw.Sync, &sy) {
		c.sync(at, &sy, &cfg.Sync)
	}
	var sto rawStore
	if at := root.child("store"); c.table(at, raw.Store, &sto) {
		c.store(at, &sto, &cfg.Store)
	}
	var lg rawLog
	if at := root.child("log"); c.table(at, raw.Log, &lg) {
		c.log(at, &lg, &cfg.Log)
	}
	return cfg
}

// decode runs the TOML decoder, turning a panic in it (none is known) into
// an error: bad input must never bring the station down with a stack trace.
func decode(data []byte, raw *rawFile) (md toml.MetaData, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the TOML reader failed on this file: %v", r)
		}
	}()
	return toml.Decode(string(data), raw)
}

// syntax reports an error from the decoder; only one is known, as it stops
// at the first.
func (c *checker) syntax(err error) {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		c.errs = append(c.errs, &Error{File: c.file, Msg: err.Error(), err: err})
		return
	}
	// The decoder's line is one too far when the error is at a line break it
	// has already read ("[station⏎"); the byte offset is exact.
	line, col := pe.Position.Line, 0
	if start := pe.Position.Start; start > 0 && start <= len(c.data) {
		before := c.data[:start]
		line = 1 + bytes.Count(before, []byte("\n"))
		col = start - bytes.LastIndexByte(before, '\n')
	}
	msg := "not valid TOML: " + oneLine(pe.Message)
	if col > 0 {
		msg = fmt.Sprintf("not valid TOML (column %d): %s", col, oneLine(pe.Message))
	}
	c.errs = append(c.errs, &Error{File: c.file, Line: line, Key: oneLine(pe.LastKey), Msg: msg, err: err})
}

// oneLine escapes control characters the decoder may quote from the file
// as they are, so each problem stays on its own line.
func oneLine(s string) string {
	if strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// table decodes the table at p into raw. An absent table leaves raw empty
// (all defaults); a value that is not a table is reported, and false tells
// the caller not to report its keys as missing too.
func (c *checker) table(p keyPath, prim toml.Primitive, raw any) bool {
	if !c.md.IsDefined(p.names()...) {
		return true
	}
	if err := c.md.PrimitiveDecode(prim, raw); err != nil {
		c.errorf(p, "must be a table: write [%s] on a line of its own with its keys below it", p.schema())
		return false
	}
	return true
}

type element[T any] struct {
	at  keyPath
	raw *T
}

// tableArray decodes each table of the [[array]] at p. Elements that are not
// tables are reported and left out; n is how many elements there were.
func tableArray[T any](c *checker, p keyPath, prim toml.Primitive) (elems []element[T], n int) {
	if !c.md.IsDefined(p.names()...) {
		return nil, 0
	}
	var prims []toml.Primitive
	if err := c.md.PrimitiveDecode(prim, &prims); err != nil {
		c.errorf(p, "must be a list of tables: write [[%s]] above each one's keys", p.schema())
		return nil, 0
	}
	for i, pr := range prims {
		at := p.elem(i)
		raw := new(T)
		if err := c.md.PrimitiveDecode(pr, raw); err != nil {
			c.errorf(at, "must be a table: write [[%s]] above each one's keys", p.schema())
			continue
		}
		elems = append(elems, element[T]{at: at, raw: raw})
	}
	return elems, len(prims)
}

func (c *checker) station(tbl keyPath, r *rawStation, st *Station) {
	if r.ID == nil {
		c.missing(tbl, "id", `"PACK-03"`)
	}
	c.code(tbl.child("id"), r.ID, &st.ID)
	if r.Site == nil {
		c.missing(tbl, "site", `"DC1"`)
	}
	c.code(tbl.child("site"), r.Site, &st.Site)

	if r.DataDir == nil {
		dir, err := defaultDataDir()
		if err != nil {
			c.errorf(tbl.child("data_dir"), "no default data directory (%v): set data_dir", err)
		}
		st.DataDir = dir
	}
	c.path(tbl.child("data_dir"), r.DataDir, &st.DataDir)

	at := tbl.child("roles")
	var roles []string
	c.words(at, r.Roles, `["picker", "packer"]`, func(el keyPath, s string) bool {
		var role Role
		return enum(c, el, s, &role, AllRoles()...)
	}, &roles)
	if roles != nil {
		st.Roles = make([]Role, len(roles))
		for i, s := range roles {
			st.Roles[i] = Role(s)
		}
	}

	if r.LogFile == nil && st.DataDir != "" {
		st.LogFile = filepath.Join(st.DataDir, "tote.log")
	}
	c.path(tbl.child("log_file"), r.LogFile, &st.LogFile)
	st.PINMaxFailures = floor.DefaultPINMaxFailures
	c.integer(tbl.child("pin_max_failures"), r.PINMaxFailures, 1, 100, &st.PINMaxFailures)
}

func (c *checker) pick(tbl keyPath, r *rawPick, pk *Pick) {
	c.integer(tbl.child("confirm_quantity_above"), r.ConfirmQuantityAbove, 1, math.MaxInt32, &pk.ConfirmQuantityAbove)
	c.words(tbl.child("short_reasons"), r.ShortReasons, `["not-found", "damaged"]`, func(el keyPath, s string) bool {
		if !shortReason.MatchString(s) {
			c.errorf(el, "%q is not valid: use 1 to 32 of a–z, 0–9 and -", s)
			return false
		}
		return true
	}, &pk.ShortReasons)
	enum(c, tbl.child("on_hold"), r.OnHold, &pk.OnHold, OnHoldSkip, OnHoldPick)
}

var shortReason = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

func (c *checker) pack(tbl keyPath, r *rawPack, pk *Pack, bc *Barcodes) {
	c.integer(tbl.child("confirm_quantity_above"), r.ConfirmQuantityAbove, 1, math.MaxInt32, &pk.ConfirmQuantityAbove)
	c.number(tbl.child("weight_tolerance_percent"), r.WeightTolerancePercent, 0, 100, false, &pk.WeightTolerancePercent)
	c.integer(tbl.child("weight_tolerance_grams"), r.WeightToleranceGrams, 0, math.MaxInt32, &pk.WeightToleranceGrams)
	c.number(tbl.child("scale_empty_below_g"), r.ScaleEmptyBelowG, 0, 10_000, true, &pk.ScaleEmptyBelowG)
	c.token(tbl.child("holding_location"), r.HoldingLocation, 64, &pk.HoldingLocation)
	c.boolean(tbl.child("hazmat_alone"), r.HazmatAlone, &pk.HazmatAlone)

	at := tbl.child("gs1_company_prefix")
	var prefix string
	switch n, isNumber := r.GS1CompanyPrefix.(int64); {
	case isNumber:
		c.errorf(at, "must be a string in quotes, such as \"0614141\": as a number (%d) its leading zeros are lost", n)
	case !c.str(at, r.GS1CompanyPrefix, &prefix): // absent, or reported
	case !gs1Prefix.MatchString(prefix):
		c.errorf(at, "%q is not valid: a GS1 company prefix is 6 to 11 digits", prefix)
	default:
		pk.GS1CompanyPrefix = prefix
	}
	c.integer(tbl.child("sscc_extension"), r.SSCCExtension, 0, 9, &pk.SSCCExtension)

	c.text(tbl.child("carrier"), r.Carrier, maxCarrierLen, &pk.Carrier)
	c.text(tbl.child("service"), r.Service, maxCarrierLen, &pk.Service)
	at = tbl.child("tracking_prefix")
	var tp string
	if c.str(at, r.TrackingPrefix, &tp) {
		if trackingPrefix.MatchString(tp) {
			pk.TrackingPrefix = tp
		} else {
			c.errorf(at, "%q is not valid: use 1 to 10 of A–Z and 0–9", tp)
		}
	}
	at = tbl.child("carrier_labels")
	var cl string
	if c.str(at, r.CarrierLabels, &cl) {
		if cl == CarrierLabelsInstead || cl == CarrierLabelsBeside {
			pk.CarrierLabels = cl
		} else {
			c.errorf(at, "%q is not valid: use %q (the carrier's label only) or %q (also tote's GS1 label)", cl, CarrierLabelsInstead, CarrierLabelsBeside)
		}
	}
	var addr rawAddress
	if at := tbl.child("ship_from"); c.table(at, r.ShipFrom, &addr) && c.md.IsDefined(at.names()...) {
		pk.ShipFrom = c.address(at, &addr)
	}

	at = tbl.child("boxes")
	if !c.md.IsDefined(at.names()...) {
		return
	}
	elems, n := tableArray[rawBox](c, at, r.Boxes)
	pk.Boxes = nil
	if n == 0 && c.md.Type(at.names()...) == "Array" {
		c.errorf(at, "must list at least one box: packers choose from these")
		return
	}
	names := map[string]keyPath{}
	codes := map[string]keyPath{}
	for _, e := range elems {
		pk.Boxes = append(pk.Boxes, c.box(e.at, e.raw, names, codes, bc))
	}
}

var (
	gs1Prefix      = regexp.MustCompile(`^[0-9]{6,11}$`)
	trackingPrefix = regexp.MustCompile(`^[A-Z0-9]{1,10}$`)
	postalCode     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 -]*$`)
	countryCode    = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Lengths of label text, in characters. A carrier takes about 35 per
// address line; these leave room, yet stop a paste of a whole document.
const (
	maxCarrierLen     = 50 // carrier and service names
	maxAddressLineLen = 100
	maxRegionLen      = 50
	maxPostalCodeLen  = 20
)

// address checks a postal address table. Given at all, it replaces the
// default whole: a return address half ours and half the default would be
// wrong on every label.
func (c *checker) address(tbl keyPath, r *rawAddress) floor.Address {
	var a floor.Address
	required := []struct {
		key, example string
		raw          any
		dst          *string
		max          int
	}{
		{"name", `"Tote Fulfilment"`, r.Name, &a.Name, maxAddressLineLen},
		{"line1", `"1 Dock Road"`, r.Line1, &a.Line1, maxAddressLineLen},
		{"city", `"Springfield"`, r.City, &a.City, maxAddressLineLen},
	}
	for _, f := range required {
		if f.raw == nil {
			c.missing(tbl, f.key, f.example)
		}
		c.text(tbl.child(f.key), f.raw, f.max, f.dst)
	}
	c.text(tbl.child("company"), r.Company, maxAddressLineLen, &a.Company)
	c.text(tbl.child("line2"), r.Line2, maxAddressLineLen, &a.Line2)
	c.text(tbl.child("region"), r.Region, maxRegionLen, &a.Region)

	at := tbl.child("postal_code")
	var pc string
	if c.str(at, r.PostalCode, &pc) {
		if len(pc) <= maxPostalCodeLen && postalCode.MatchString(pc) {
			a.PostalCode = pc
		} else {
			c.errorf(at, "%q is not a postal code: use 1 to %d of letters, digits, spaces and -", pc, maxPostalCodeLen)
		}
	}
	if r.Country == nil {
		c.missing(tbl, "country", `"US"`)
	}
	at = tbl.child("country")
	var cc string
	if c.str(at, r.Country, &cc) {
		if countryCode.MatchString(cc) {
			a.Country = cc
		} else {
			c.errorf(at, "%q is not a country code: use the two capital letters of ISO 3166 (US, DE, GB)", cc)
		}
	}
	return a
}

// labelPrinter checks that the shipping label printer, when named, is a
// configured printer that prints shipping labels.
func (c *checker) labelPrinter(at keyPath, v any, printers []Printer, dst *string) {
	var name string
	if !c.str(at, v, &name) {
		return
	}
	if name == "" {
		c.errorf(at, "must not be empty: leave printer out to use the first printer")
		return
	}
	i := slices.IndexFunc(printers, func(p Printer) bool { return p.Name == name })
	switch {
	case i < 0 && len(printers) == 0:
		c.errorf(at, "%q is not a configured printer: there is no [[printers]] table", name)
	case i < 0:
		names := make([]string, len(printers))
		for j, p := range printers {
			names[j] = fmt.Sprintf("%q", p.Name)
		}
		c.errorf(at, "%q is not a configured printer: the [[printers]] are %s", name, strings.Join(names, ", "))
	case printers[i].Role != PrinterShipping:
		c.errorf(at, "printer %q has role = %q: shipping labels need a printer with role = %q", name, printers[i].Role, PrinterShipping)
	default:
		*dst = name
	}
}

// box checks one [[pack.boxes]]; names and codes hold those seen before.
func (c *checker) box(tbl keyPath, r *rawBox, names, codes map[string]keyPath, bc *Barcodes) Box {
	b := Box{FillFactor: 0.85}
	if r.Name == nil {
		c.missing(tbl, "name", `"small"`)
	}
	if at := tbl.child("name"); c.label(at, r.Name, &b.Name) {
		c.unique(names, at, b.Name, "box name")
	}
	if r.Code == nil {
		c.missing(tbl, "code", `"BOX-S"`)
	}
	if at := tbl.child("code"); c.token(at, r.Code, 64, &b.Code) {
		c.unique(codes, at, b.Code, "box code")
		for _, p := range bc.kinds() {
			if p.re != nil && p.re.MatchString(b.Code) {
				c.errorf(at, "%q also matches barcodes.%s: a scan of it would be ambiguous", b.Code, p.key)
			}
		}
	}
	dims := []struct {
		key string
		raw any
		dst *int
	}{{"length_mm", r.LengthMM, &b.LengthMM}, {"width_mm", r.WidthMM, &b.WidthMM}, {"height_mm", r.HeightMM, &b.HeightMM}}
	for _, d := range dims {
		if d.raw == nil {
			c.missing(tbl, d.key, "300")
		}
		c.integer(tbl.child(d.key), d.raw, 1, math.MaxInt32, d.dst)
	}
	if r.TareG == nil {
		c.missing(tbl, "tare_g", "250")
	}
	c.integer(tbl.child("tare_g"), r.TareG, 0, math.MaxInt32, &b.TareG)
	c.number(tbl.child("fill_factor"), r.FillFactor, 0, 1, true, &b.FillFactor)
	return b
}

// unique reports name when seen already holds it; otherwise it records it.
func (c *checker) unique(seen map[string]keyPath, at keyPath, name, what string) {
	if first, dup := seen[name]; dup {
		c.errorf(at, "%q is already the %s of %s%s: each must be different", name, what, first.parent(), c.lineNote(first))
		return
	}
	seen[name] = at
}

// lineNote is " (line N)" for p, or nothing when p has no line.
func (c *checker) lineNote(p keyPath) string {
	if l := c.lines.line(p); l > 0 {
		return fmt.Sprintf(" (line %d)", l)
	}
	return ""
}

// label reads a name of 1–32 printable characters for people to read.
func (c *checker) label(p keyPath, v any, dst *string) bool {
	var s string
	if !c.str(p, v, &s) {
		return false
	}
	if !nameChars.MatchString(s) {
		c.errorf(p, "%q is not valid: use 1 to 32 of letters, digits, '.', '_' and '-'", s)
		return false
	}
	*dst = s
	return true
}

var nameChars = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// barcodeKind is one [barcodes] pattern by its key.
type barcodeKind struct {
	key string
	re  *regexp.Regexp
}

func (b *Barcodes) kinds() []barcodeKind {
	return []barcodeKind{
		{"location", b.Location}, {"tote", b.Tote}, {"badge", b.Badge},
		{"command", b.Command}, {"order", b.Order}, {"rma", b.RMA},
	}
}

func (c *checker) barcodes(tbl keyPath, r *rawBarcodes, bc *Barcodes) {
	fields := []struct {
		key string
		raw any
		dst **regexp.Regexp
	}{
		{"location", r.Location, &bc.Location}, {"tote", r.Tote, &bc.Tote}, {"badge", r.Badge, &bc.Badge},
		{"command", r.Command, &bc.Command}, {"order", r.Order, &bc.Order}, {"rma", r.RMA, &bc.RMA},
	}
	for _, f := range fields {
		at := tbl.child(f.key)
		var s string
		if !c.str(at, f.raw, &s) {
			continue
		}
		if s == "" {
			c.errorf(at, "must not be empty: an empty pattern matches every scan")
			continue
		}
		re, err := regexp.Compile(s)
		if err != nil {
			c.errorf(at, "not a valid regular expression: %s", regexpProblem(err))
			continue
		}
		if f.key == "command" && re.NumSubexp() < 1 {
			c.errorf(at, "%q needs a group in parentheses around the command name, like ^CMD:([A-Z0-9-]+)$", s)
			continue
		}
		*f.dst = re
	}
}

// regexpProblem is the compiler's complaint without its "error parsing
// regexp:" preamble.
func regexpProblem(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		if strings.IndexFunc(se.Expr, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			return fmt.Sprintf("%s in %q", se.Code, se.Expr) // keep the message on one line
		}
		return fmt.Sprintf("%s in `%s`", se.Code, se.Expr)
	}
	return err.Error()
}

func (c *checker) sync(tbl keyPath, r *rawSync, sy *Sync) {
	at := tbl.child("hub")
	var hub string
	if c.str(at, r.Hub, &hub) && hub != "" {
		u, err := url.Parse(hub)
		switch {
		case err != nil:
			c.errorf(at, "%q is not a URL: %v", hub, errors.Unwrap(err))
		case u.Scheme != "http" && u.Scheme != "https":
			c.errorf(at, "%q must start with https:// (or http://)", hub)
		case u.Host == "":
			c.errorf(at, "%q has no host name", hub)
		case u.User != nil:
			c.errorf(at, "%q has a user or password in it: put the station's token in token_file instead", hub)
		default:
			sy.Hub = hub
		}
	}
	c.path(tbl.child("token_file"), r.TokenFile, &sy.TokenFile)
	c.duration(tbl.child("push_interval"), r.PushInterval, 100*time.Millisecond, time.Hour, &sy.PushInterval)
	c.duration(tbl.child("pull_interval"), r.PullInterval, 100*time.Millisecond, time.Hour, &sy.PullInterval)
	c.path(tbl.child("ca_file"), r.CAFile, &sy.CAFile)
	c.boolean(tbl.child("insecure_http"), r.InsecureHTTP, &sy.InsecureHTTP)
}

func (c *checker) store(tbl keyPath, r *rawStore, st *Store) {
	c.duration(tbl.child("full_check_every"), r.FullCheckEvery, 0, 10*365*24*time.Hour, &st.FullCheckEvery)
	enum(c, tbl.child("pushed_events"), r.PushedEvents, &st.PushedEvents, PushedArchive, PushedDelete, PushedKeep)
	// Under a day, a hub restored from last night's backup could ask for
	// events the station no longer has.
	c.duration(tbl.child("keep_pushed"), r.KeepPushed, 24*time.Hour, 10*365*24*time.Hour, &st.KeepPushed)
	c.duration(tbl.child("prune_every"), r.PruneEvery, time.Minute, 24*time.Hour, &st.PruneEvery)
}

func (c *checker) log(tbl keyPath, r *rawLog, lg *Log) {
	var level string
	if !enum(c, tbl.child("level"), r.Level, &level, "debug", "info", "warn", "error") {
		return
	}
	levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
	lg.Level = levels[level]
}
