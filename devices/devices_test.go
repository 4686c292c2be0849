package devices

import (
	"testing"
	"time"
)

func TestReporter(t *testing.T) {
	clock := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	var got []State
	r := NewReporter("cart-1", KindScanner, func(s State) { got = append(got, s) }, now)
	if s := r.State(); s.Status != StatusUnknown || s.Device != "cart-1" || s.Kind != KindScanner || !s.Since.Equal(clock) {
		t.Fatalf("initial state %+v", s)
	}

	clock = clock.Add(time.Second)
	r.Set(StatusConnected, "")
	r.Set(StatusConnected, "") // same again: not reported
	clock = clock.Add(time.Second)
	r.Set(StatusReconnecting, "port /dev/ttyACM0 hung up")
	clock = clock.Add(time.Second)
	r.Set(StatusReconnecting, "port /dev/ttyACM0 not found") // new reason, same status

	if len(got) != 3 {
		t.Fatalf("reported %d states %+v, want 3", len(got), got)
	}
	if got[1].Reason != "port /dev/ttyACM0 hung up" || !got[1].Since.Equal(clock.Add(-time.Second)) {
		t.Errorf("second report %+v", got[1])
	}
	// Since moves only when the status changes.
	if !got[2].Since.Equal(got[1].Since) {
		t.Errorf("since moved on a reason change: %v -> %v", got[1].Since, got[2].Since)
	}
	if s := got[2].String(); s != "scanner cart-1: reconnecting (port /dev/ttyACM0 not found)" {
		t.Errorf("String = %q", s)
	}
	if got[0].String() != "scanner cart-1: connected" || !got[0].OK() || got[2].OK() {
		t.Errorf("connected state %q OK=%v", got[0], got[0].OK())
	}
}

func TestReporterWithoutCallback(t *testing.T) {
	r := NewReporter("scale", KindScale, nil, nil)
	if s := r.Set(StatusError, "port /dev/ttyUSB0 not found"); s.Status != StatusError {
		t.Errorf("Set returned %+v", s)
	}
	if r.State().Reason != "port /dev/ttyUSB0 not found" {
		t.Errorf("state %+v", r.State())
	}
}
