package replicator

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"

	"github.com/totewms/tote/sync/protocol"
)

// The station's devices for the site's health: the screen's device states
// are handed here (SetDevices), and after a push round the whole list goes
// to the hub whenever it or the station's own facts (events waiting and
// the oldest, the operator signed in, from the store's sync state the
// push round just read) changed since the hub last took them
// (protocol.DevicesReport). A hub that does not take it only costs a log
// line: the journal's push never waits on it.
type deviceReport struct {
	mu      sync.Mutex
	list    []protocol.DeviceState
	version int // moves with every change
	sent    int // the version the hub took
	facts   protocol.StationFacts
	took    bool // the hub took facts (the first report always goes)
}

// SetDevices tells the replicator the station's devices as they are now
// (every device, in a fixed order); the hub hears of a change after the
// next push round. Safe from any goroutine; it never blocks.
func (r *Replicator) SetDevices(ds []protocol.DeviceState) {
	d := &r.devices
	d.mu.Lock()
	changed := !slices.Equal(d.list, ds)
	if changed {
		d.list, d.version = slices.Clone(ds), d.version+1
	}
	d.mu.Unlock()
	if changed {
		r.Kick()
	}
}

// reportDevices sends the devices when they changed since the hub took
// them last.
func (r *Replicator) reportDevices(ctx context.Context) {
	d := &r.devices
	r.mu.Lock()
	facts := protocol.StationFacts{Waiting: int64(r.status.Waiting), Operator: r.status.Operator}
	if !r.status.OldestWaiting.IsZero() {
		facts.OldestWaiting = r.status.OldestWaiting.UTC()
	}
	r.mu.Unlock()
	d.mu.Lock()
	list, version := d.list, d.version
	due := version != d.sent || !d.took || !d.facts.OldestWaiting.Equal(facts.OldestWaiting) ||
		d.facts.Waiting != facts.Waiting || d.facts.Operator != facts.Operator
	d.mu.Unlock()
	if !due {
		return
	}
	if list == nil {
		list = []protocol.DeviceState{}
	}
	body, err := json.Marshal(protocol.DevicesReport{Station: r.j.Station(), Devices: list, StationFacts: facts})
	if err != nil {
		return
	}
	var answer struct{ Devices int }
	if err := r.do(ctx, http.MethodPost, protocol.PathDevices, nil, body, &answer); err != nil {
		if ctx.Err() == nil {
			r.log.Warn("devices not reported to the hub; again after the next push", "err", err)
		}
		return
	}
	d.mu.Lock()
	d.sent = max(d.sent, version)
	d.facts, d.took = facts, true
	d.mu.Unlock()
}

// refusedOverQuota: the hub answered the push and refused it over the
// station's storage quota.
func refusedOverQuota(err error) bool {
	var pe *protocol.Error
	return errors.As(err, &pe) && pe.Code == protocol.CodeQuota
}
