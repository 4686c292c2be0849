package config

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// minimal is the smallest valid file: the two required keys.
const minimal = "[station]\nid = \"PACK-03\"\nsite = \"DC1\"\n"

// want is one expected problem: its line, key and a piece of its message.
type want struct {
	line int
	key  string
	msg  string
}

// problems parses src and returns its errors, failing the test when the
// error is not an *Errors.
func problems(t *testing.T, src string) []*Error {
	t.Helper()
	cfg, err := Parse("/etc/tote/station.toml", []byte(src))
	if err == nil {
		return nil
	}
	if cfg != nil {
		t.Errorf("Parse returned a config along with errors")
	}
	var errs *Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, not *Errors: %v", err, err)
	}
	return errs.List
}

func TestErrorClasses(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	cases := []struct {
		name string
		src  string
		want []want
	}{
		{
			name: "syntax error with line and column",
			src:  minimal + "[pick]\nconfirm_quantity_above = \n",
			want: []want{{5, "pick.confirm_quantity_above", "not valid TOML (column 26): expected value"}},
		},
		{
			name: "duplicate key is a syntax error",
			src:  minimal + "id = \"X\"\n",
			want: []want{{4, "station.id", "already been defined"}},
		},
		{
			name: "unknown key with a suggestion",
			src:  minimal + "sit = \"DC2\"\n",
			want: []want{{4, "station.sit", `did you mean "site"?`}},
		},
		{
			name: "unknown key listing what the table takes",
			src:  minimal + "colour = \"red\"\n",
			want: []want{{4, "station.colour", "[station] takes id, site, data_dir, roles, log_file"}},
		},
		{
			name: "unknown table",
			src:  minimal + "[statoin]\nid = 1\n",
			want: []want{{4, "statoin", `did you mean "station"?`}},
		},
		{
			name: "unknown dotted key",
			src:  minimal + "extra.deep = 1\n",
			want: []want{{4, "station.extra", "unknown key"}},
		},
		{
			name: "key in another case",
			src:  "[station]\nID = \"PACK-03\"\nsite = \"DC1\"\n",
			want: []want{{2, "station.ID", `lower case, as "id"`}},
		},
		{
			name: "bad regular expression",
			src:  minimal + "[barcodes]\ntote = '^T(\\d{5}$'\n",
			want: []want{{5, "barcodes.tote", "not a valid regular expression: missing closing )"}},
		},
		{
			name: "command pattern without a group",
			src:  minimal + "[barcodes]\ncommand = '^CMD:[A-Z]+$'\n",
			want: []want{{5, "barcodes.command", "needs a group"}},
		},
		{
			name: "bad enum",
			src:  minimal + "[log]\nlevel = \"verbose\"\n",
			want: []want{{5, "log.level", `"verbose" is not one of "debug", "info", "warn", "error"`}},
		},
		{
			name: "pick on_hold is skip or pick",
			src:  minimal + "[pick]\non_hold = \"ignore\"\n",
			want: []want{{5, "pick.on_hold", `"ignore" is not one of "skip", "pick"`}},
		},
		{
			name: "missing required key names its table and line",
			src:  "# station\n[station]\nid = \"PACK-03\"\n",
			want: []want{{2, "station.site", "add site = \"DC1\" to this [station] table"}},
		},
		{
			name: "missing table",
			src:  "[log]\nlevel = \"info\"\n",
			want: []want{
				{0, "station.id", "add a [station] table with id ="},
				{0, "station.site", "add a [station] table with site ="},
			},
		},
		{
			name: "duplicate device name across kinds",
			src: minimal + "[[scanners]]\nname = \"bench\"\nport = \"/dev/ttyACM0\"\n" +
				"[[scales]]\nname = \"bench\"\nport = \"/dev/ttyUSB0\"\nprotocol = \"mt-sics\"\n",
			want: []want{{8, "scales[0].name", `"bench" is already the name of scanners[0] (line 5)`}},
		},
		{
			name: "two devices on one port",
			src: minimal + "[[scanners]]\nname = \"a\"\nport = \"COM3\"\n" +
				"[[scanners]]\nname = \"b\"\nport = \"com3\"\n",
			want: []want{{9, "scanners[1].port", "already the port of scanners[0] (line 6)"}},
		},
		{
			name: "wrong type",
			src:  minimal + "[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\nbaud = \"9600\"\n",
			want: []want{{7, "scanners[0].baud", `must be a whole number, not the string "9600"`}},
		},
		{
			name: "fraction where a whole number belongs",
			src:  minimal + "[pick]\nconfirm_quantity_above = 12.0\n",
			want: []want{{5, "pick.confirm_quantity_above", "must be a whole number, not the number 12.0"}},
		},
		{
			name: "table where a value belongs",
			src:  minimal + "[station.data_dir]\npath = \"/x\"\n",
			want: []want{{4, "station.data_dir", "must be a string in quotes, not a table"}},
		},
		{
			name: "value where a table belongs",
			src:  "log = \"debug\"\n" + minimal,
			want: []want{{1, "log", "must be a table"}},
		},
		{
			name: "a malformed table is one problem, not one per key",
			src:  "station = \"PACK-03\"\n",
			want: []want{{1, "station", "must be a table"}},
		},
		{
			name: "store: pushed events and how long to keep them",
			src:  minimal + "[store]\npushed_events = \"shred\"\nkeep_pushed = \"1h\"\n",
			want: []want{
				{5, "store.pushed_events", `"shred" is not one of "archive", "delete", "keep"`},
				{6, "store.keep_pushed", "1h0m0s is out of range: must be from 24h0m0s"},
			},
		},
		{
			name: "bad duration",
			src:  minimal + "[sync]\npush_interval = \"2 seconds\"\n",
			want: []want{{5, "sync.push_interval", `"2 seconds" is not a duration like "200ms"`}},
		},
		{
			name: "duration out of range and not in tenths",
			src: minimal + "[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\nread_timeout = \"30s\"\n" +
				"[[scanners]]\nname = \"b\"\nport = \"/dev/ttyACM1\"\nread_timeout = \"150ms\"\n",
			want: []want{
				{7, "scanners[0].read_timeout", "out of range: must be from 100ms to 25.5s"},
				{11, "scanners[1].read_timeout", "tenths of a second"},
			},
		},
		{
			name: "key in the second [[scanners]] reported on its line",
			src: minimal +
				"[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\nparity = \"even\"\n\n" +
				"[[scanners]]\nname = \"b\"\nport = \"/dev/ttyACM1\"\n# a comment [with] = brackets\nparity = \"evn\"\n",
			want: []want{{13, "scanners[1].parity", `"evn" is not one of`}},
		},
		{
			name: "missing key in the second [[scanners]] on its header line",
			src: minimal +
				"[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\n" +
				"[[scanners]]\nname = \"b\"\n",
			want: []want{{7, "scanners[1].port", "to this [[scanners]] table"}},
		},
		{
			name: "unknown key in two scanners reported at each",
			src: minimal +
				"[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\nbud = 1\n" +
				"[[scanners]]\nname = \"b\"\nport = \"/dev/ttyACM1\"\nbud = 2\n",
			want: []want{
				{7, "scanners[0].bud", `did you mean "baud"?`},
				{11, "scanners[1].bud", `did you mean "baud"?`},
			},
		},
		{
			name: "inline tables report their keys' lines",
			src: "scanners = [\n  {name = \"a\", port = \"/dev/ttyACM0\"},\n" +
				"  {name = \"b\", port = \"/dev/ttyACM1\", baud = 9601},\n]\n" + minimal,
			want: []want{{3, "scanners[1].baud", "9601 is not a standard rate"}},
		},
		{
			name: "element of a multi-line list",
			src:  minimal + "roles = [\n  \"picker\",\n  \"boss\",\n]\n",
			want: []want{{6, "station.roles[1]", `"boss" is not one of`}},
		},
		{
			name: "empty roles",
			src:  minimal + "roles = []\n",
			want: []want{{4, "station.roles", "must not be empty"}},
		},
		{
			name: "station id charset",
			src:  "[station]\nid = \"pack 3\"\nsite = \"DC1\"\n",
			want: []want{{2, "station.id", "use 1 to 32 of A–Z, 0–9 and -"}},
		},
		{
			name: "gs1 prefix as a number loses zeros",
			src:  minimal + "[pack]\ngs1_company_prefix = 614141\n",
			want: []want{{5, "pack.gs1_company_prefix", "as a number (614141) its leading zeros are lost"}},
		},
		{
			name: "printer keys of another transport",
			src: minimal + "[[printers]]\nname = \"z\"\ntransport = \"tcp\"\naddress = \"10.0.0.5\"\nbaud = 9600\npath = \"/tmp/x\"\n" +
				"[[printers]]\nname = \"s\"\ntransport = \"spool\"\npath = \"/var/spool/labels\"\nstatus_timeout = \"1s\"\n",
			want: []want{
				{8, "printers[0].baud", `does not apply to transport = "tcp", only to "serial"`},
				{9, "printers[0].path", `only to "spool"`},
				{14, "printers[1].status_timeout", `only to "serial" or "tcp"`},
			},
		},
		{
			name: "printer without transport",
			src:  minimal + "[[printers]]\nname = \"z\"\n",
			want: []want{{4, "printers[0].transport", "add transport ="}},
		},
		{
			name: "printer address",
			src:  minimal + "[[printers]]\nname = \"z\"\ntransport = \"tcp\"\naddress = \"10.0.0.5:http\"\n",
			want: []want{{7, "printers[0].address", `port "http" is not a number`}},
		},
		{
			name: "box code that looks like a tote",
			src:  minimal + "[[pack.boxes]]\nname = \"tiny\"\ncode = \"T00001\"\nlength_mm = 100\nwidth_mm = 100\nheight_mm = 0\ntare_g = 50\nfill_factor = 1.5\n",
			want: []want{
				{6, "pack.boxes[0].code", "also matches barcodes.tote"},
				{9, "pack.boxes[0].height_mm", "0 is out of range: must be at least 1"},
				{11, "pack.boxes[0].fill_factor", "must be more than 0 and at most 1"},
			},
		},
		{
			name: "one table where a list of tables belongs",
			src:  minimal + "[pack.boxes]\nname = \"s\"\n[scanners]\nname = \"a\"\n",
			want: []want{
				{4, "pack.boxes", "must be a list of tables: write [[pack.boxes]]"},
				{6, "scanners", "must be a list of tables: write [[scanners]]"},
			},
		},
		{
			name: "no boxes at all",
			src:  minimal + "[pack]\nboxes = []\n",
			want: []want{{5, "pack.boxes", "at least one box"}},
		},
		{
			name: "element of a list of tables that is not a table",
			src:  "scales = [1]\n" + minimal,
			want: []want{{1, "scales[0]", "must be a table"}},
		},
		{
			name: "hub url",
			src:  minimal + "[sync]\nhub = \"hub.example.com\"\n",
			want: []want{{5, "sync.hub", "must start with https://"}},
		},
		{
			name: "not a finite number",
			src:  minimal + "[pack]\nweight_tolerance_percent = nan\n",
			want: []want{{5, "pack.weight_tolerance_percent", "must be a finite number"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, tc.src)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.want), (&Errors{List: got}).Error())
			}
			for i, w := range tc.want {
				g := got[i]
				if g.File != "/etc/tote/station.toml" || g.Line != w.line || g.Key != w.key || !strings.Contains(g.Msg, w.msg) {
					t.Errorf("problem %d:\n got  %s\n want /etc/tote/station.toml:%d: %s: …%s…", i, g, w.line, w.key, w.msg)
				}
			}
		})
	}
}

// manyProblems has a problem of nearly every kind.
const manyProblems = `[station]
id = "pack 3"
roles = ["picker", "picker"]

[barcodes]
tote = '(('
badge = 5

[[scanners]]
name = "gun"
port = "ttyACM0"
baud = 9601

[[printers]]
name = "gun"
transport = "fax"

[log]
level = "loud"
volume = 11
`

func TestAllErrorsReportedTogether(t *testing.T) {
	got := problems(t, manyProblems)
	wantKeys := []string{
		"station.site", // missing: on the [station] line
		"station.id",
		"station.roles[1]",
		"barcodes.tote",
		"barcodes.badge",
		"scanners[0].port",
		"scanners[0].baud",
		"printers[0].name",
		"printers[0].transport",
		"log.level",
		"log.volume",
	}
	var keys []string
	for _, e := range got {
		keys = append(keys, e.Key)
	}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("problems for keys\n %q\nwant\n %q\n%s", keys, wantKeys, (&Errors{List: got}).Error())
	}
	text := (&Errors{List: got}).Error()
	if n := strings.Count(text, "\n") + 1; n != len(wantKeys) {
		t.Errorf("Error() has %d lines, want one per problem (%d):\n%s", n, len(wantKeys), text)
	}
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "/etc/tote/station.toml:") {
			t.Errorf("line does not start with the file and line: %q", line)
		}
	}
}

func TestDefaultsFilled(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", "")
	cfg, err := Parse("/etc/tote/station.toml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	want := defaults()
	want.Path = "/etc/tote/station.toml"
	want.Station = Station{
		ID: "PACK-03", Site: "DC1",
		DataDir:        filepath.Join(home, ".local", "share", "tote"),
		Roles:          AllRoles(),
		LogFile:        filepath.Join(home, ".local", "share", "tote", "tote.log"),
		PINMaxFailures: 5,
	}
	sameConfig(t, cfg, want)

	if cfg.Pick.ConfirmQuantityAbove != 10 || len(cfg.Pack.Boxes) != 4 || cfg.Pack.GS1CompanyPrefix != "0614141" ||
		cfg.Sync.PushInterval != 2*time.Second || cfg.Log.Level != slog.LevelInfo || !cfg.Pack.HazmatAlone {
		t.Errorf("defaults not as documented: %+v", cfg)
	}
	if cfg.Barcodes.Location.String() != `^[A-Z]{1,2}-\d{2}-\d{2}-\d{1,2}$` || !cfg.Barcodes.Tote.MatchString("T12345") {
		t.Errorf("default barcodes: location %s", cfg.Barcodes.Location)
	}
}

func TestDeviceDefaults(t *testing.T) {
	src := minimal + `
[[scanners]]
name = "gun"
port = "/dev/ttyACM0"

[[printers]]
name = "zebra"
transport = "tcp"
address = "printer-7.dc1.example"

[[printers]]
name = "v6"
transport = "tcp"
address = "[fd00::5]"

[[printers]]
name = "drop"
transport = "spool"
path = "labels"

[[scales]]
name = "scale"
port = "/dev/ttyUSB0"
protocol = "scp-01"
unit_override = "lb"
`
	cfg, err := Parse("/srv/bench/station.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	serial := Serial{Baud: 9600, DataBits: 8, Parity: ParityNone, StopBits: 1, ReadTimeout: 200 * time.Millisecond}
	wantScanner := Scanner{Name: "gun", Serial: serial, Suffix: SuffixAuto, MaxFrame: 4096}
	wantScanner.Serial.Port = "/dev/ttyACM0"
	if !reflect.DeepEqual(cfg.Scanners, []Scanner{wantScanner}) {
		t.Errorf("scanner\n got  %+v\n want %+v", cfg.Scanners, wantScanner)
	}
	wantPrinters := []Printer{
		{Name: "zebra", Transport: TransportTCP, Address: "printer-7.dc1.example:9100", DPI: 203, StatusTimeout: time.Second, Role: PrinterShipping},
		{Name: "v6", Transport: TransportTCP, Address: "[fd00::5]:9100", DPI: 203, StatusTimeout: time.Second, Role: PrinterShipping},
		{Name: "drop", Transport: TransportSpool, Path: "/srv/bench/labels", DPI: 203, Role: PrinterShipping},
	}
	if !reflect.DeepEqual(cfg.Printers, wantPrinters) {
		t.Errorf("printers\n got  %+v\n want %+v", cfg.Printers, wantPrinters)
	}
	wantScale := Scale{Name: "scale", Serial: serial, Protocol: ProtocolSCP01, UnitOverride: "lb"}
	wantScale.Serial.Port = "/dev/ttyUSB0"
	if !reflect.DeepEqual(cfg.Scales, []Scale{wantScale}) {
		t.Errorf("scale\n got  %+v\n want %+v", cfg.Scales, wantScale)
	}
}

func TestPaths(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	src := minimal + "data_dir = \"data\"\nlog_file = \"~/logs/tote.log\"\n[sync]\ntoken_file = \"../secret/token\"\n"
	cfg, err := Parse("/srv/bench/station.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Station.DataDir != "/srv/bench/data" {
		t.Errorf("relative data_dir resolved to %q, want it next to the file", cfg.Station.DataDir)
	}
	if want := filepath.Join(home, "logs", "tote.log"); cfg.Station.LogFile != want {
		t.Errorf("log_file %q, want %q", cfg.Station.LogFile, want)
	}
	if cfg.Sync.TokenFile != "/srv/secret/token" {
		t.Errorf("token_file %q", cfg.Sync.TokenFile)
	}

	// The default log file follows a data_dir given in the file.
	cfg, err = Parse("/etc/tote/station.toml", []byte(minimal+"data_dir = \"/var/lib/tote\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Station.LogFile != "/var/lib/tote/tote.log" {
		t.Errorf("default log_file %q", cfg.Station.LogFile)
	}

	got := problems(t, minimal+"data_dir = \"~someone/tote\"\n")
	if len(got) != 1 || got[0].Key != "station.data_dir" || !strings.Contains(got[0].Msg, "not ~user") {
		t.Errorf("~user: %v", &Errors{List: got})
	}
}

func TestDefaultDataDirFromXDG(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/xdg")
	cfg, err := Parse("/etc/tote/station.toml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Station.DataDir != "/data/xdg/tote" || cfg.Station.LogFile != "/data/xdg/tote/tote.log" {
		t.Errorf("data dir %q, log %q", cfg.Station.DataDir, cfg.Station.LogFile)
	}
}

func TestNoHomeNoDefaultDataDir(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "")
	got := problems(t, minimal)
	if len(got) != 1 || got[0].Key != "station.data_dir" || got[0].Line != 1 || !strings.Contains(got[0].Msg, "set data_dir") {
		t.Fatalf("want one station.data_dir problem on the [station] line, got %v", &Errors{List: got})
	}
	if _, err := Parse("/etc/tote/station.toml", []byte(minimal+"data_dir = \"/var/lib/tote\"\n")); err != nil {
		t.Errorf("with data_dir set: %v", err)
	}
}

func TestExampleLoads(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	cfg, err := Load(filepath.Join("..", "..", "docs", "station.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(cfg.Path) {
		t.Errorf("Path %q is not absolute", cfg.Path)
	}
	if cfg.Station.ID != "PACK-03" || cfg.Station.DataDir != filepath.Join(home, ".local/share/tote") ||
		cfg.Station.HasRole(RolePicker) || !cfg.Station.HasRole(RolePacker) {
		t.Errorf("station: %+v", cfg.Station)
	}
	if len(cfg.Pack.Boxes) != 3 || len(cfg.Scanners) != 1 || len(cfg.Printers) != 2 || len(cfg.Scales) != 1 {
		t.Errorf("boxes %d scanners %d printers %d scales %d", len(cfg.Pack.Boxes), len(cfg.Scanners), len(cfg.Printers), len(cfg.Scales))
	}
	if cfg.Sync.Hub != "https://hub.example.com" || cfg.Printers[1].Serial.Port != "/dev/ttyUSB0" {
		t.Errorf("sync %+v printer %+v", cfg.Sync, cfg.Printers[1])
	}
}

// TestExampleShowsEveryKey keeps the example complete: every key of the
// schema is set in it, or shown in a comment.
func TestExampleShowsEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "station.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for table, keys := range everyKey() {
		for _, k := range keys {
			re := regexp.MustCompile(`(?m)^\s*#?\s*` + regexp.QuoteMeta(k) + `\s*=`)
			if !re.Match(data) {
				t.Errorf("the example does not show %s.%s", table, k)
			}
		}
	}
}

// TestReferenceDocumentsEveryKey keeps docs/configuration.md complete: each
// table has a section naming each of its keys.
func TestReferenceDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for table, keys := range everyKey() {
		header := "[" + table + "]"
		if isTableArray(table) {
			header = "[" + header + "]"
		}
		start := strings.Index(doc, "## `"+header+"`")
		if start < 0 {
			t.Errorf("no section \"## `%s`\"", header)
			continue
		}
		section := doc[start+1:]
		if end := strings.Index(section, "\n## "); end >= 0 {
			section = section[:end]
		}
		var documented []string // the first cells of the section's table rows
		for _, line := range strings.Split(section, "\n") {
			if cells := strings.Split(line, "|"); len(cells) > 2 && cells[0] == "" {
				documented = append(documented, cells[1])
			}
		}
		for _, k := range keys {
			if !slices.ContainsFunc(documented, func(cell string) bool { return strings.Contains(cell, "`"+k+"`") }) {
				t.Errorf("section %s has no table row for `%s`", header, k)
			}
		}
	}
}

// everyKey is every value key of the schema by table.
func everyKey() map[string][]string {
	out := map[string][]string{}
	for _, table := range []string{"station", "pick", "pack", "pack.boxes", "pack.ship_from", "barcodes", "scanners", "printers", "scales", "sync", "store", "log"} {
		for _, k := range schemaKeys(schemaType(table)) {
			if !k.table {
				out[table] = append(out[table], k.name)
			}
		}
	}
	return out
}

func TestDefault(t *testing.T) {
	cfg := Default()
	if cfg.Station.ID != "DEMO-01" || cfg.Station.Site != "DEMO" || cfg.Station.DataDir != "" || len(cfg.Station.Roles) != 5 {
		t.Errorf("Default station %+v", cfg.Station)
	}
	cfg.Station.SetDataDir("/tmp/demo")
	if cfg.Station.LogFile != "/tmp/demo/tote.log" {
		t.Errorf("SetDataDir: log file %q", cfg.Station.LogFile)
	}
	// Each call is independent: changing one must not change the next.
	cfg.Pack.Boxes[0].Name = "changed"
	if Default().Pack.Boxes[0].Name != "small" {
		t.Error("Default shares state between calls")
	}
	// The demo's configuration is itself valid: the same file, written out, parses.
	if got := problems(t, "[station]\nid = \"DEMO-01\"\nsite = \"DEMO\"\ndata_dir = \"/tmp/demo\"\n"); got != nil {
		t.Errorf("demo station as a file: %v", &Errors{List: got})
	}
}

func TestStoreSection(t *testing.T) {
	cfg, err := Parse("s.toml", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Store{FullCheckEvery: 168 * time.Hour, PushedEvents: PushedArchive, KeepPushed: 720 * time.Hour, PruneEvery: time.Hour}); cfg.Store != want {
		t.Errorf("defaults %+v, want %+v", cfg.Store, want)
	}
	cfg, err = Parse("s.toml", []byte(minimal+"[store]\nfull_check_every = \"0s\"\npushed_events = \"delete\"\nkeep_pushed = \"48h\"\nprune_every = \"10m\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Store{PushedEvents: PushedDelete, KeepPushed: 48 * time.Hour, PruneEvery: 10 * time.Minute}); cfg.Store != want {
		t.Errorf("set %+v, want %+v", cfg.Store, want)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("TOTE_CONFIG", "/etc/tote/bench.toml")
	if got := DefaultPath(); got != "/etc/tote/bench.toml" {
		t.Errorf("with TOTE_CONFIG: %q", got)
	}
	t.Setenv("TOTE_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", "/cfg")
	if got := DefaultPath(); got != "/cfg/tote/station.toml" {
		t.Errorf("with XDG_CONFIG_HOME: %q", got)
	}
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", "/home/packer")
	if got := DefaultPath(); got != "/home/packer/.config/tote/station.toml" {
		t.Errorf("from HOME: %q", got)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Load(filepath.Join(dir, "missing.toml"))
	var errs *Errors
	if !errors.As(err, &errs) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %T %v", err, err)
	}
	if want := filepath.Join(dir, "missing.toml") + ": cannot read: no such file or directory"; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}

	if _, err := Load(""); err == nil || !strings.Contains(err.Error(), "TOTE_CONFIG") {
		t.Errorf("empty path: %v", err)
	}

	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(strings.Repeat("# padding\n", maxFileSize/10+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than 1024 KiB") {
		t.Errorf("big file: %v", err)
	}

	// A relative path is reported absolute, so the message says which file.
	t.Chdir(dir)
	if err := os.WriteFile("bad.toml", []byte("[station\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load("bad.toml")
	if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, "bad.toml")+":1: ") {
		t.Errorf("syntax error: %v", err)
	}
}

func TestErrorFormat(t *testing.T) {
	cases := []struct {
		e    Error
		want string
	}{
		{Error{File: "/f.toml", Line: 3, Key: "log.level", Msg: "bad"}, "/f.toml:3: log.level: bad"},
		{Error{File: "/f.toml", Key: "station.id", Msg: "missing"}, "/f.toml: station.id: missing"},
		{Error{Line: 2, Msg: "bad"}, "line 2: bad"},
		{Error{Msg: "bad"}, "bad"},
	}
	for _, tc := range cases {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

// sameConfig compares configurations, patterns by their text.
func sameConfig(t *testing.T, got, want *Config) {
	t.Helper()
	gb, wb := got.Barcodes.kinds(), want.Barcodes.kinds()
	for i := range gb {
		if gb[i].re.String() != wb[i].re.String() {
			t.Errorf("barcodes.%s = %s, want %s", gb[i].key, gb[i].re, wb[i].re)
		}
	}
	g, w := *got, *want
	g.Barcodes, w.Barcodes = Barcodes{}, Barcodes{}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("config\n got  %+v\n want %+v", g, w)
	}
}
