package barcode

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func parseLines(t *testing.T, input string) ([]map[string]any, []string, int, int) {
	t.Helper()
	in := newTestInterpreter(t)
	var out bytes.Buffer
	scans, rejected, err := in.ParseLines(strings.NewReader(input), &out, march2026)
	if err != nil {
		t.Fatal(err)
	}
	var objs []map[string]any
	var lines []string
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		var o map[string]any
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		objs = append(objs, o)
	}
	return objs, lines, scans, rejected
}

func TestParseLines(t *testing.T) {
	input := "]C1010950110153000310ABC123<GS>17261231\r\n" +
		"]E04006381333932\n" +
		"\n" +
		"(01)09501101530003(3103)001250(17)260200\n" +
		"CMD:SHORT\n" +
		"]C100106141411234567897\n" +
		"SKU-4711\n" +
		"]C10109501101530003\x1d3932978" + "1299\x1d" + "302" // no final newline
	objs, lines, scans, rejected := parseLines(t, input)
	if scans != 7 || rejected != 1 || len(objs) != 7 {
		t.Fatalf("scans %d rejected %d lines %d, want 7, 1, 7", scans, rejected, len(objs))
	}

	// The first line exactly: field order and contents are the interface.
	want := `{"input":"]C1010950110153000310ABC123<GS>17261231","ok":true,"kind":"gs1","symbology":"]C1","form":"element-string",` +
		`"gtin":"09501101530003","lot":"ABC123","expiry":"2026-12-31","expired":false,` +
		`"ais":{"01":"09501101530003","10":"ABC123","17":"261231"},` +
		`"elements":[{"ai":"01","title":"GTIN","value":"09501101530003"},{"ai":"10","title":"BATCH/LOT","value":"ABC123"},{"ai":"17","title":"USE BY or EXPIRY","value":"261231","date":"2026-12-31"}]}`
	if lines[0] != want {
		t.Errorf("line 1:\n%s\nwant\n%s", lines[0], want)
	}

	get := func(i int, k string) any { return objs[i][k] }
	if get(1, "ok") != false || get(1, "error") != "GTIN check digit should be 1, not 2" || get(1, "kind") != "gtin" {
		t.Errorf("line 2: %v", objs[1])
	}
	if get(2, "expiry") != "2026-02-28" || get(2, "expired") != true || get(2, "form") != "bracketed" {
		t.Errorf("line 3: %v", objs[2])
	}
	els := get(2, "elements").([]any)
	if w := els[1].(map[string]any); w["decimal"] != "1.250" || w["title"] != "NET WEIGHT (kg)" {
		t.Errorf("weight element: %v", w)
	}
	if get(3, "kind") != "command" || get(3, "code") != "SHORT" {
		t.Errorf("line 4: %v", objs[3])
	}
	if get(4, "kind") != "sscc" || get(4, "sscc") != "106141411234567897" {
		t.Errorf("line 5: %v", objs[4])
	}
	if get(5, "kind") != "unknown" || get(5, "ok") != true || get(5, "symbology") != "" {
		t.Errorf("line 6: %v", objs[5])
	}
	price := get(6, "elements").([]any)[1].(map[string]any)
	if price["decimal"] != "12.99" || price["currency"] != "978" {
		t.Errorf("line 7 price: %v", price)
	}
	if !strings.Contains(lines[6], `"input":"]C10109501101530003\u001d3932978`) {
		t.Errorf("line 7 input not escaped as JSON: %s", lines[6])
	}
}

func TestParseLinesLongLine(t *testing.T) {
	input := "T00042\n" + strings.Repeat("9", maxLine+10) + "\nT00043\n"
	objs, _, scans, rejected := parseLines(t, input)
	if scans != 3 || rejected != 1 || len(objs) != 3 {
		t.Fatalf("scans %d rejected %d objects %d", scans, rejected, len(objs))
	}
	if objs[1]["ok"] != false || !strings.HasPrefix(objs[1]["error"].(string), "line is longer than 65536 bytes") {
		t.Errorf("long line: %v", objs[1])
	}
	if objs[2]["code"] != "T00043" {
		t.Errorf("line after the long one: %v", objs[2])
	}
}

func TestParseLinesScanTooLong(t *testing.T) {
	objs, _, _, rejected := parseLines(t, strings.Repeat("A", MaxScanBytes+1)+"\n")
	if rejected != 1 || objs[0]["error"] != "scan is 4097 bytes long; at most 4096 are accepted" {
		t.Errorf("rejected %d: %v", rejected, objs[0])
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		r.n++
		return copy(p, "T00042\nT000"), nil
	}
	return 0, errors.New("device gone")
}

func TestParseLinesErrors(t *testing.T) {
	in := newTestInterpreter(t)
	if _, _, err := in.ParseLines(strings.NewReader("T00042\n"), failingWriter{}, march2026); err == nil || err.Error() != "disk full" {
		t.Errorf("write error: %v", err)
	}
	var out bytes.Buffer
	scans, _, err := in.ParseLines(&failingReader{}, &out, march2026)
	if err == nil || err.Error() != "device gone" || scans != 1 {
		t.Errorf("read error: scans %d err %v", scans, err)
	}
}

func TestDecodeGSText(t *testing.T) {
	if got := DecodeGSText("10A<GS>17261231<GS>"); got != "10A\x1d17261231\x1d" {
		t.Errorf("DecodeGSText = %q", got)
	}
	if got := DecodeGSText("<gs>"); got != "<gs>" {
		t.Errorf("lower-case <gs> changed: %q", got)
	}
}

func TestReportOfDateTimeAI(t *testing.T) {
	in := newTestInterpreter(t)
	m := in.Interpret("]C1", "0109501101530003"+"7003"+"2612311230")
	r := NewReport("x", &m, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if r.Elements[1].Date != "2026-12-31T12:30:00" {
		t.Errorf("date-time = %q", r.Elements[1].Date)
	}
	if r.Expired != nil {
		t.Error("expired set without an expiry")
	}
}
