package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/totewms/tote/labels"
)

func runLabelCLI(args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	code = run(args, stdio{in: strings.NewReader(""), out: &o, err: &e})
	return code, o.String(), e.String()
}

// TestLabelRenderExamples renders every documented example data file both
// ways, as docs/labels.md tells people to.
func TestLabelRenderExamples(t *testing.T) {
	dir := t.TempDir()
	for _, name := range labels.Templates() {
		data := filepath.Join("..", "..", "docs", "label-data", name+".json")
		zpl := filepath.Join(dir, name+".zpl")
		if code, _, errOut := runLabelCLI("label", "render", "--template", name, "--data", data, "--format", "zpl", "--out", zpl); code != 0 {
			t.Fatalf("%s zpl: exit %d: %s", name, code, errOut)
		}
		b, err := os.ReadFile(zpl)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("^XA^CI28^PW")) || bytes.Count(b, []byte("^XA")) != bytes.Count(b, []byte("^XZ")) {
			t.Errorf("%s: not ZPL formats: %.60q", name, b)
		}
		pic := filepath.Join(dir, name+".png")
		if code, _, errOut := runLabelCLI("label", "render", "--template", name, "--data", data, "--format", "png", "--dpi", "300", "--out", pic); code != 0 {
			t.Fatalf("%s png: exit %d: %s", name, code, errOut)
		}
		f, err := os.Open(pic)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if img.Bounds().Dx() < 800 {
			t.Errorf("%s: a 300 dpi preview only %d pixels wide", name, img.Bounds().Dx())
		}
	}
}

func TestLabelCommands(t *testing.T) {
	code, out, errOut := runLabelCLI("label", "commands", "--format", "zpl", "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, c := range labels.DefaultCommands() {
		if !strings.Contains(out, c.Code[4:]) {
			t.Errorf("%s is not on the sheet", c.Code)
		}
	}
	if n := strings.Count(out, "^XA"); n < 2 {
		t.Errorf("16 commands on %d 4×6 labels", n)
	}
}

func TestLabelUsageErrors(t *testing.T) {
	data := filepath.Join("..", "..", "docs", "label-data", "tote.json")
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"tote": "T1", "colour": "red"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"label"}, 2, "usage"},
		{[]string{"label", "print"}, 2, "unknown subcommand"},
		{[]string{"label", "render", "--template", "tote"}, 2, "required"},
		{[]string{"label", "render", "--template", "tote", "--data", data, "--format", "pdf", "--out", "-"}, 2, "zpl or png"},
		{[]string{"label", "render", "--template", "crate", "--data", data, "--out", "-"}, 1, "no label template"},
		{[]string{"label", "render", "--template", "tote", "--data", bad, "--out", "-"}, 1, "unknown field"},
		{[]string{"label", "render", "--template", "tote", "--data", "missing.json", "--out", "-"}, 1, "missing.json"},
		{[]string{"label", "render", "--template", "tote", "--data", data, "--dpi", "250", "--out", "-"}, 1, "250 dpi"},
		{[]string{"label", "commands"}, 2, "--out is required"},
	} {
		code, _, errOut := runLabelCLI(c.args...)
		if code != c.code || !strings.Contains(errOut, c.says) {
			t.Errorf("tote %s: exit %d, %q; want exit %d saying %q", strings.Join(c.args, " "), code, errOut, c.code, c.says)
		}
	}
	if code, out, _ := runLabelCLI("label", "render", "--help"); code != 0 || !strings.Contains(out, "--template") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
}
