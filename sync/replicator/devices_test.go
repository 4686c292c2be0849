package replicator_test

import (
	"context"
	"testing"
	"time"

	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestDevicesReachTheHubsHealth: a running replicator reports the
// station's devices to a real hub on loopback after its push rounds; the
// hub's site view shows them (the printer out of labels first), and a
// change replaces them.
func TestDevicesReachTheHubsHealth(t *testing.T) {
	r := newRig(t, nil)
	rounds := make(chan struct{}, 1)
	rep, err := replicator.New(r.st, fast(replicator.Options{Hub: r.hub.URL, Token: r.token, OnStatus: func(replicator.Status) {
		select {
		case rounds <- struct{}{}:
		default:
		}
	}}))
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(rctx); close(done) }()
	defer func() { cancel(); <-done }()

	devicesAtHub := func(want func([]protocol.DeviceState) bool) []protocol.DeviceState {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			v, err := r.hub.API.Site(ctx, 0, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Stations) == 1 && want(v.Stations[0].Devices) {
				return v.Stations[0].Devices
			}
			select {
			case <-rounds:
			case <-deadline:
				t.Fatalf("the hub has %+v", v.Stations)
			}
		}
	}
	out := protocol.DeviceState{Device: "zebra", Kind: "printer", Status: "error", Reason: "out of labels: load labels", PaperOut: true}
	scanner := protocol.DeviceState{Device: "scan-1", Kind: "scanner", Status: "connected"}
	rep.SetDevices([]protocol.DeviceState{out, scanner})
	got := devicesAtHub(func(ds []protocol.DeviceState) bool { return len(ds) == 2 })
	if !got[0].PaperOut || got[0].Device != "zebra" || got[1] != scanner {
		t.Fatalf("devices at the hub: %+v", got)
	}
	// Labels loaded: the report replaces the last.
	out.Status, out.Reason, out.PaperOut = "connected", "", false
	rep.SetDevices([]protocol.DeviceState{out, scanner})
	devicesAtHub(func(ds []protocol.DeviceState) bool {
		return len(ds) == 2 && ds[0].Status == "connected" && !ds[0].PaperOut
	})
}

// TestSupervisorFetchesWaveAndStory: the supervisor's fetch brings the
// open wave's orders and an order's lines and story into the store, which
// keeps them when the hub is gone.
func TestSupervisorFetchesWaveAndStory(t *testing.T) {
	r := newRig(t, nil)
	rep, err := replicator.New(r.st, fast(replicator.Options{Hub: r.hub.URL, Token: r.token}))
	if err != nil {
		t.Fatal(err)
	}
	order := r.site.Orders[0].ID
	at := time.Date(2026, 3, 2, 17, 5, 0, 0, time.UTC)
	if err := rep.FetchSupervisor(ctx, r.st, demo.WaveID, order, at); err != nil {
		t.Fatal(err)
	}
	r.hub.Server.CloseClientConnections()
	r.hub.Server.Close()
	if err := rep.FetchSupervisor(ctx, r.st, demo.WaveID, order, at.Add(time.Minute)); err == nil {
		t.Fatal("a fetch from a closed hub succeeded")
	}
	w, ok, err := replicator.LastWave(ctx, r.st)
	if err != nil || !ok || w.Progress.Wave != demo.WaveID || len(w.Orders) != len(r.site.Orders) {
		t.Fatalf("kept wave %+v %v %v", w.Progress, ok, err)
	}
	s, ok, err := replicator.LastStory(ctx, r.st)
	if err != nil || !ok || s.Order != order || len(s.Lines) != len(r.site.Orders[0].Lines) || s.Wave != demo.WaveID {
		t.Fatalf("kept story %+v %v %v", s, ok, err)
	}
}
