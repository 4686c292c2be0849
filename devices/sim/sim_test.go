package sim

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestZPLStream(t *testing.T) {
	var z zplStream
	var got []zplEvent
	for _, part := range []string{"junk ~H", "S^X", "A^FDone^FS^", "XZ", "\r\n^xa^FDtwo~HS^FS^xz~hs^XA^FDcut"} {
		got = append(got, z.feed([]byte(part))...)
	}
	want := []zplEvent{{status: true}, {job: []byte("^XA^FDone^FS^XZ")}, {status: true}, {job: []byte("^xa^FDtwo^FS^xz")}, {status: true}}
	if len(got) != len(want) {
		t.Fatalf("got %d events %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i].status != want[i].status || !bytes.Equal(got[i].job, want[i].job) {
			t.Errorf("event %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !z.inJob || string(z.job) != "^XA^FDcut" {
		t.Errorf("unfinished format %q", z.job)
	}
}

// FuzzZPLStream checks that splitting the printer's input into reads does not
// change the formats and queries found.
func FuzzZPLStream(f *testing.F) {
	f.Add([]byte("~HS^XA^FDx^FS^XZ^XA^XZ~hs"), uint8(3))
	f.Add([]byte("^XA^XA~H^XZ"), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, step uint8) {
		var whole, split zplStream
		want := whole.feed(in)
		n := int(step)%7 + 1
		var got []zplEvent
		for i := 0; i < len(in); i += n {
			got = append(got, split.feed(in[i:min(i+n, len(in))])...)
		}
		if len(got) != len(want) {
			t.Fatalf("split gave %d events, whole %d", len(got), len(want))
		}
		for i := range want {
			if got[i].status != want[i].status || !bytes.Equal(got[i].job, want[i].job) {
				t.Fatalf("event %d differs: %+v vs %+v", i, got[i], want[i])
			}
		}
	})
}

func TestLinkRefusesToReplaceAFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "important")
	if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewScanner(path, ScannerOptions{}); err == nil || !strings.Contains(err.Error(), "not a symlink") {
		t.Fatalf("NewScanner over a file: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep" {
		t.Error("file was touched")
	}
}

func TestLinkReplacedAndRemoved(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyS")
	a, err := NewScanner(link, ScannerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if target, _ := os.Readlink(link); target != a.TTY() {
		t.Fatalf("link points at %q, want %q", target, a.TTY())
	}
	// A second device at the same path takes the link over...
	b, err := NewScanner(link, ScannerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if target, _ := os.Readlink(link); target != b.TTY() {
		t.Fatalf("link points at %q, want %q", target, b.TTY())
	}
	// ...and closing the first leaves it alone.
	a.Close()
	if target, _ := os.Readlink(link); target != b.TTY() {
		t.Fatalf("closing the old device moved the link to %q", target)
	}
	b.Close()
	if _, err := os.Lstat(link); !os.IsNotExist(err) {
		t.Errorf("link left behind: %v", err)
	}
}

func TestScannerOptions(t *testing.T) {
	if _, err := NewScanner(filepath.Join(t.TempDir(), "x"), ScannerOptions{Suffix: "TAB"}); err == nil {
		t.Error("bad suffix accepted")
	}
	if got := ExpandGS("01095011015300031<GS>0ABC"); got != "01095011015300031\x1d0ABC" {
		t.Errorf("ExpandGS = %q", got)
	}
}

func TestPrinterCommands(t *testing.T) {
	p, err := NewPrinterTCP("127.0.0.1:0", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for cmd, want := range map[string]Fault{"paper-out": FaultPaperOut, "head-open": FaultHeadOpen, "pause": FaultPaused, "ribbon-out": FaultRibbonOut, "ok": FaultNone} {
		if _, err := p.Command(cmd); err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		if p.Fault() != want {
			t.Errorf("%s: fault %s", cmd, p.Fault())
		}
	}
	if _, err := p.Command("explode"); err == nil {
		t.Error("unknown command accepted")
	}
	if out, _ := p.Command("mute"); !strings.Contains(out, "not answering") {
		t.Errorf("mute said %q", out)
	}
}

func TestPrinterContinuesNumbering(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "job-0007.zpl"), []byte("^XA^XZ"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := NewPrinterTCP("127.0.0.1:0", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c.Write([]byte("^XA^FDnext^FS^XZ"))
	c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	jobs, err := p.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].Seq != 8 || filepath.Base(jobs[0].Path) != "job-0008.zpl" {
		t.Errorf("job %d at %s, want 8 at job-0008.zpl", jobs[0].Seq, jobs[0].Path)
	}
}

func TestScaleCommands(t *testing.T) {
	s, err := NewScale(filepath.Join(t.TempDir(), "ttyW"), ProtocolSCP01)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []struct{ cmd, want string }{
		{"1250", "1250.0 g, stable"},
		{"1.5kg moving", "1500.0 g, moving"},
		{"stable", "1500.0 g, stable"},
		{"2lb", "907.2 g, stable"},
		{"over", "overloaded"},
		{"ok", "907.2 g, stable"},
		{"under", "under zero"},
		{"mute", "not answering"},
	} {
		out, err := s.Command(c.cmd)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%q: %q, %v; want %q", c.cmd, out, err, c.want)
		}
	}
	for _, bad := range []string{"heavy", "12 wobbly", "1.2stone"} {
		if _, err := s.Command(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := NewScale(filepath.Join(t.TempDir(), "ttyX"), "toledo"); err == nil {
		t.Error("unknown protocol accepted")
	}
}
