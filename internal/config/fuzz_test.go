package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds are starting points for the fuzzers: valid files, files with
// every kind of problem, and TOML corners the key index must handle.
func fuzzSeeds() []string {
	return []string{
		minimal,
		minimal + "[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\n[[scanners]]\nname = \"a\"\nport = \"/dev/ttyACM0\"\nbud = 1\n",
		"scanners = [{name = \"a\", port = \"COM3\"}, {name = \"b\",\n port = \"COM4\", baud = 9601}]\n" + minimal,
		minimal + "[[printers]]\nname = \"z\"\ntransport = \"tcp\"\naddress = \"[fd00::5]\"\nbaud = 9600\n",
		minimal + "[barcodes]\ntote = '(('\ncommand = \"^CMD$\"\n[log]\nlevel = \"loud\"\n",
		minimal + "[[pack.boxes]]\nname = \"s\"\ncode = \"T00001\"\nlength_mm = 1\nwidth_mm = 1\nheight_mm = 0\ntare_g = -1\nfill_factor = nan\n",
		"[station]\nID = \"A\"\nid = \"B\"\nsite = 5\nroles = [\"picker\", [\"x\"], {a = 1}]\n",
		"station = 5\nscanners = \"x\"\nprinters = [1, 2]\n[pack]\nboxes = 3\n",
		"a = \"\"\"\n[x]\n\\\"\"\" = 1\n\"\"\"\"\"\nb = '''\n'''''\n[\"q.r\".'s']\nt.u = {v = [[1], [{w = 2}]]}\n",
		"[station\n",
		minimal + "[store]\nfull_check_every = \"-1h\"\npushed_events = 1\nkeep_pushed = \"23h59m\"\nprune_every = [\"1h\"]\n",
		"[sync]\nhub = \"https://user:pw@hub\"\npush_interval = \"1h1s\"\ntoken_file = \"~nobody/t\"\n",
		"d = 1979-05-27T07:32:00Z\ne = 07:32:00\nf = 1979-05-27\n[station]\ndata_dir = 1979-05-27\n",
		minimal + "[pack]\ncarrier = \"UPS\\u001b[2J\"\ntracking_prefix = \"tt-1\"\nprinter = \"nope\"\n[pack.ship_from]\ncompany = \"Tote\"\ncountry = \"usa\"\nzip = 1\n",
		minimal + "[pack]\nprinter = \"z\"\nship_from = {name = \"A\", line1 = \"B\", city = \"C\", country = \"DE\"}\n[[printers]]\nname = \"z\"\ntransport = \"tcp\"\naddress = \"10.0.0.5\"\n",
	}
}

// FuzzParse feeds arbitrary files to Parse. It must never panic, must return
// exactly one of a config and an *Errors whose every problem names the file
// and says something, and the key index must place every key the decoder
// finds.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	if example, err := os.ReadFile(filepath.Join("..", "..", "docs", "station.example.toml")); err == nil {
		f.Add(example)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("/etc/tote/station.toml", data)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("Parse returned config %v and error %v", cfg != nil, err)
		}
		if err != nil {
			var errs *Errors
			if !errors.As(err, &errs) || len(errs.List) == 0 {
				t.Fatalf("error %T %v is not a non-empty *Errors", err, err)
			}
			for _, e := range errs.List {
				if e.File != "/etc/tote/station.toml" || e.Msg == "" || e.Line < 0 {
					t.Fatalf("problem without file or message: %#v", e)
				}
				if strings.ContainsAny(e.Error(), "\r\n") {
					t.Fatalf("problem printed over several lines: %q", e.Error())
				}
			}
		}
		checkIndexCovers(t, data)
	})
}

// FuzzKeyIndex feeds arbitrary bytes, valid TOML or not, to the key index,
// which must end without panicking and give only lines that exist.
func FuzzKeyIndex(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	f.Add([]byte("[[[[[[[[[[[[[[\"\"\"'''{{{{{{a.b.=\\"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kl := indexKeys(data)
		lines := 1
		for _, b := range data {
			if b == '\n' {
				lines++
			}
		}
		for k, l := range kl.at {
			if l < 1 || l > lines {
				t.Fatalf("key %q at line %d of %d", k, l, lines)
			}
		}
	})
}
