package protocol

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// PathDevices is where a station reports its devices' states (POST, the
// station's token), after its pushes whenever they changed.
const PathDevices = "/sync/v1/devices"

// MaxDevices bounds a devices report.
const MaxDevices = 64

// DevicesReport is a station's devices as they are now: the whole list,
// which replaces the one the hub held.
type DevicesReport struct {
	Station string        `json:"station"`
	Devices []DeviceState `json:"devices"`
	// StationFacts ride along (added later: a station that does not send
	// them reports nothing waiting and nobody signed in).
	StationFacts
}

// StationFacts is what a station says of itself for the site's health:
// events waiting for the hub and the device time of the oldest (zero
// when none), and the operator signed in ("" when nobody). At is when
// the hub took them (set by the hub, not sent).
type StationFacts struct {
	Waiting       int64     `json:"waiting,omitempty"`
	OldestWaiting time.Time `json:"oldest_waiting,omitzero"`
	Operator      string    `json:"operator,omitempty"`
	At            time.Time `json:"-"`
}

// DeviceState is one device of a station: a scanner, printer or scale,
// its status (connected, reconnecting, error, unknown) and why, since
// when; PaperOut marks a printer out of labels (the site's health shows
// those first).
type DeviceState struct {
	Device   string    `json:"device"`
	Kind     string    `json:"kind"`
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	PaperOut bool      `json:"paper_out,omitempty"`
}

// Validate checks a report as the hub takes it: plain text of sane
// lengths, at most MaxDevices devices.
func (r *DevicesReport) Validate() error {
	if err := CheckStationID(r.Station); err != nil {
		return err
	}
	if r.Waiting < 0 {
		return fmt.Errorf("the report has %d events waiting; it cannot be below zero", r.Waiting)
	}
	if len(r.Operator) > 64 || !utf8.ValidString(r.Operator) {
		return fmt.Errorf("the report's operator is not a valid badge")
	}
	for _, c := range r.Operator {
		if c < 0x20 || c == 0x7f {
			return fmt.Errorf("the report's operator has control characters")
		}
	}
	if len(r.Devices) > MaxDevices {
		return fmt.Errorf("the report has %d devices; at most %d are allowed", len(r.Devices), MaxDevices)
	}
	for i, d := range r.Devices {
		for _, f := range []struct{ name, v string }{{"device", d.Device}, {"kind", d.Kind}, {"status", d.Status}, {"reason", d.Reason}} {
			limit := 64
			if f.name == "reason" {
				limit = 300
			}
			if (f.v == "" && f.name != "reason") || len(f.v) > limit || !utf8.ValidString(f.v) {
				return fmt.Errorf("device %d has no valid %s", i+1, f.name)
			}
			for _, c := range f.v {
				if c < 0x20 || c == 0x7f {
					return fmt.Errorf("device %d: its %s has control characters", i+1, f.name)
				}
			}
		}
	}
	return nil
}
