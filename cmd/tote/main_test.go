package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runTote(args ...string) (code int, stdout, stderr string) {
	var out, errb strings.Builder
	code = run(args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func TestEverySubcommandHasHelp(t *testing.T) {
	if len(commands) < 4 {
		t.Fatalf("only %d commands registered", len(commands))
	}
	for _, c := range commands {
		code, out, _ := runTote(c.name, "--help")
		if code != 0 || !strings.Contains(out, "usage: tote "+c.name) {
			t.Errorf("tote %s --help: exit %d, output %q", c.name, code, out)
		}
	}
	if code, _, errs := runTote("no-such-command"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: exit %d %q", code, errs)
	}
}

func TestStationRefusesABadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.toml")
	os.WriteFile(path, []byte("[station]\nid = \"ST-01\"\nsite = \"DC1\"\nroles = [\"picker\", \"driver\"]\n\n[barcodes]\ntote = \"^T(\\\\d{5}$\"\n"), 0o600)
	code, _, errs := runTote("station", "--config", path)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{path + ":4: station.roles", path + ":7: barcodes.tote", "will not start"} {
		if !strings.Contains(errs, want) {
			t.Errorf("error output lacks %q:\n%s", want, errs)
		}
	}
}

func TestStationRefusesACorruptStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "station.db")
	os.MkdirAll(filepath.Dir(db), 0o750)
	garbage := []byte(strings.Repeat("not a database ", 500))
	os.WriteFile(db, garbage, 0o600)
	cfg := filepath.Join(dir, "station.toml")
	os.WriteFile(cfg, []byte("[station]\nid = \"ST-01\"\nsite = \"DC1\"\ndata_dir = \""+filepath.Join(dir, "data")+"\"\n"), 0o600)
	code, _, errs := runTote("station", "--config", cfg)
	if code != 1 || !strings.Contains(errs, db) || !strings.Contains(errs, "corrupt") || !strings.Contains(errs, "move it aside") {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	if b, _ := os.ReadFile(db); string(b) != string(garbage) {
		t.Fatal("the corrupt store was changed")
	}
	log, _ := os.ReadFile(filepath.Join(dir, "data", "tote.log"))
	if !strings.Contains(string(log), "store did not open") {
		t.Fatalf("log lacks the failure:\n%s", log)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runTote(args...)
		if code != 0 || !strings.HasPrefix(out, "tote ") || !strings.Contains(out, "\ncommit  ") || !strings.Contains(out, "\nbuilt   ") {
			t.Fatalf("%v: exit %d %q", args, code, out)
		}
	}
}
