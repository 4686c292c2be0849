package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Issue 14, defect 13: what tote barcode parse said yes to and should not
// (and the current currencies it refused), end to end through the command.
func TestBarcodeParseGS1Rules(t *testing.T) {
	tests := []struct {
		scan  string
		ok    bool
		error string // a part of the message
	}{
		{"https://id.gs1.org/01/09501101530003/10/LOTA?10=LOTA", false, "AI (10) is given in both the path and the query"},
		{"https://id.gs1.org/01/09501101530003/10/LOTA?17=261231", true, ""},
		{"]C10109501101530003<GS>3932191129", false, "currency 191 (HRK) has been withdrawn"},
		{"]C10109501101530003<GS>3932932129", false, "currency 932 (ZWL) has been withdrawn"},
		{"]C10109501101530003<GS>3932396129", true, ""},
		{"]C10109501101530003<GS>3932924129", true, ""},
		{"]C10109501101530003<GS>3932926129", true, ""},
		{"]C1001061414112345678978030ABC=", false, "not valid padding"},
		{"]C10109501101530003<GS>8030ABC", false, "needs the serialised key it signs in the same barcode"},
		{"]C10109501101530003<GS>21S1<GS>8030AB=", true, ""},
	}
	var in strings.Builder
	for _, tc := range tests {
		in.WriteString(tc.scan + "\n")
	}
	var out, errb strings.Builder
	code := run([]string{"barcode", "parse", "-today", "2026-03-01"}, stdio{in: strings.NewReader(in.String()), out: &out, err: &errb})
	if code != 1 {
		t.Errorf("exit %d, want 1 (some scans rejected); stderr %q", code, errb.String())
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != len(tests) {
		t.Fatalf("%d lines for %d scans:\n%s", len(lines), len(tests), out.String())
	}
	for i, tc := range tests {
		var got struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, lines[i])
		}
		if got.OK != tc.ok || !strings.Contains(got.Error, tc.error) {
			t.Errorf("%s: ok %v error %q, want ok %v error containing %q", tc.scan, got.OK, got.Error, tc.ok, tc.error)
		}
	}
}
