package protocol_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/protocol"
)

// FuzzDevicesReport: a devices report either reads and validates, with
// every text printable and within its bounds, or is refused; never a
// panic.
func FuzzDevicesReport(f *testing.F) {
	for _, s := range []string{
		`{"station":"PACK-01","devices":[{"device":"zebra","kind":"printer","status":"error","reason":"out of labels: load labels","paper_out":true}]}`,
		`{"station":"PACK-01","devices":[]}`,
		`{"station":"PACK-01","devices":[{"device":"","kind":"scanner","status":"connected"}]}`,
		`{"station":"P","devices":[{"device":"a\u0007","kind":"k","status":"s"}]}`,
		`{"station":"../x","devices":null}`,
		`{"station":"PACK-01","devices":[],"waiting":3,"oldest_waiting":"2026-03-02T09:27:00Z","operator":"B1003"}`,
		`{"station":"PACK-01","devices":[],"waiting":-1,"operator":"B\u001b"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r protocol.DevicesReport
		if json.Unmarshal(body, &r) != nil {
			return
		}
		if r.Validate() != nil {
			return
		}
		if r.Waiting < 0 || len(r.Operator) > 64 || strings.ContainsFunc(r.Operator, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			t.Fatalf("station facts taken: %+v", r.StationFacts)
		}
		if len(r.Devices) > protocol.MaxDevices {
			t.Fatalf("%d devices taken", len(r.Devices))
		}
		for _, d := range r.Devices {
			for _, v := range []string{d.Device, d.Kind, d.Status, d.Reason} {
				if len(v) > 300 || strings.ContainsFunc(v, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
					t.Fatalf("taken: %q", v)
				}
			}
			if d.Device == "" || d.Kind == "" || d.Status == "" {
				t.Fatalf("taken without a name, kind or status: %+v", d)
			}
		}
	})
}

func TestDevicesReportRefusals(t *testing.T) {
	ok := protocol.DeviceState{Device: "zebra", Kind: "printer", Status: "connected"}
	for _, c := range []struct {
		name string
		r    protocol.DevicesReport
		want string
	}{
		{"no station", protocol.DevicesReport{Devices: []protocol.DeviceState{ok}}, "station"},
		{"no device name", protocol.DevicesReport{Station: "P-1", Devices: []protocol.DeviceState{{Kind: "printer", Status: "connected"}}}, "no valid device"},
		{"a control character", protocol.DevicesReport{Station: "P-1", Devices: []protocol.DeviceState{{Device: "z", Kind: "printer", Status: "error", Reason: "out\x1b[2J"}}}, "control characters"},
		{"too many", protocol.DevicesReport{Station: "P-1", Devices: make([]protocol.DeviceState, protocol.MaxDevices+1)}, "at most"},
	} {
		err := c.r.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if err := (&protocol.DevicesReport{Station: "P-1", Devices: []protocol.DeviceState{ok}}).Validate(); err != nil {
		t.Errorf("a good report: %v", err)
	}
}
