package hub_test

import (
	"encoding/json"
	"fmt"
	"github.com/totewms/tote/internal/buildstamp"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// TestStationsGetDistinctNumbers: each registered station gets its own
// number, through the admin API and `tote hub token` alike, and learns it
// from its pull and from hello.
func TestStationsGetDistinctNumbers(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	first := sitetest.Register(t, h.Store, "PACK-01")
	a := call(t, "POST", h.URL+"/admin/v1/stations", h.Admin, "application/json", mustJSON(t, protocol.RegisterStation{ID: "PACK-02"}))
	var reg protocol.Registered
	if a.status != 201 || json.Unmarshal(a.body, &reg) != nil {
		t.Fatalf("register: %d %s", a.status, a.body)
	}
	if reg.Number != 2 {
		t.Fatalf("the second station registered got number %d, want 2", reg.Number)
	}
	for _, c := range []struct {
		token string
		id    string
		want  int
	}{{first, "PACK-01", 1}, {reg.Token, "PACK-02", 2}} {
		var pull protocol.PullResponse
		if a := call(t, "GET", h.URL+protocol.PathPull+"?limit=10", c.token, "", nil); a.status != 200 || json.Unmarshal(a.body, &pull) != nil {
			t.Fatalf("pull: %d %s", a.status, a.body)
		}
		if pull.StationNumber != c.want {
			t.Errorf("%s pulled station number %d, want %d", c.id, pull.StationNumber, c.want)
		}
		var hello protocol.Hello
		if a := call(t, "GET", h.URL+protocol.PathHello, c.token, "", nil); a.status != 200 || json.Unmarshal(a.body, &hello) != nil {
			t.Fatalf("hello: %d %s", a.status, a.body)
		}
		if hello != (protocol.Hello{Station: c.id, Number: c.want, Version: protocol.Version, PullWaitMS: hub.DefaultMaxPullWait.Milliseconds(), Tote: buildstamp.Read().Short()}) {
			t.Errorf("hello %+v, want %s number %d", hello, c.id, c.want)
		}
	}
	stations, err := h.Store.Stations(ctx)
	if err != nil || len(stations) != 2 || stations[0].Number != 1 || stations[1].Number != 2 {
		t.Fatalf("stations %+v %v", stations, err)
	}
}

// TestHelloWritesNothingAndNeedsAStationToken: hello is what `tote doctor`
// asks, so it must not count as a pull, and it authenticates.
func TestHelloWritesNothingAndNeedsAStationToken(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	if a := call(t, "GET", h.URL+protocol.PathHello, token, "", nil); a.status != 200 {
		t.Fatalf("hello: %d %s", a.status, a.body)
	}
	st, err := h.Store.Stations(ctx)
	if err != nil || st[0].LastPull != nil || st[0].LastPush != nil {
		t.Fatalf("hello left a trace: %+v %v", st, err)
	}
	call(t, "GET", h.URL+protocol.PathHello, "", "", nil).err(t, 401, protocol.CodeUnauth)
	call(t, "GET", h.URL+protocol.PathHello, "tote_station_nonsense", "", nil).err(t, 401, protocol.CodeUnauth)
	call(t, "GET", h.URL+protocol.PathHello, h.Admin, "", nil).err(t, 403, protocol.CodeForbidden)
}

// TestDuplicateSSCCIsAConflict is issue 14's tenth defect at the hub: two
// stations with the same settings issued the same SSCC, and the hub took
// both. A carton whose SSCC another carton has (another order, from
// another station or the same) is rejected as a conflict, without effect;
// the same carton again (its own label) is not a conflict.
func TestDuplicateSSCCIsAConflict(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	site := demo.Site(1, time.Now())
	tokens := map[string]string{"PACK-01": sitetest.Register(t, h.Store, "PACK-01"), "PACK-02": sitetest.Register(t, h.Store, "PACK-02")}
	sitetest.Import(t, h.Store, sitetest.ImportOf(site, "PACK-01"))
	seqs := map[string]int64{}
	push := func(stn string, typ floor.EventType, v any) protocol.Outcome {
		t.Helper()
		seqs[stn]++
		ev := floor.NewEvent(typ, "B2001", v)
		pe := protocol.Event{Station: stn, Seq: seqs[stn], ID: fmt.Sprintf("%s-%d", stn, seqs[stn]), DeviceTime: time.Now(), Type: string(ev.Type), Payload: ev.Payload}
		a := call(t, "POST", h.URL+protocol.PathPush, tokens[stn], "application/json", mustJSON(t, protocol.PushRequest{Station: stn, Events: []protocol.Event{pe}}))
		return a.push(t).Outcomes[0]
	}
	label := func(o floor.Order, sscc, tracking string) map[string]any {
		return map[string]any{"order": o.ID, "shipment": o.ID + "-1", "carton": 1, "cartons": 1, "box": "BOX-M", "weight_g": 800,
			"units": o.Lines[0].Qty, "lines": []map[string]any{{"line": o.Lines[0].LineNo, "sku": o.Lines[0].SKU, "qty": o.Lines[0].Qty}},
			"sscc": sscc, "tracking": tracking}
	}
	const sscc = "006141410000000012" // what every bench issued first with default settings
	o0, o1, o2 := site.Orders[0], site.Orders[1], site.Orders[2]
	if o := push("PACK-01", floor.EvPackLabelRequested, label(o0, sscc, "TT00000000017")); o.Status != protocol.Accepted {
		t.Fatalf("the first carton: %+v", o)
	}
	// The same carton's label event again from its own bench (a reprint of
	// the record, say) is the same carton: no conflict.
	if o := push("PACK-01", floor.EvPackLabelRequested, label(o0, sscc, "TT00000000017")); o.Status != protocol.Accepted {
		t.Fatalf("the same carton again: %+v", o)
	}
	// Another bench's carton of another order under the same SSCC.
	o := push("PACK-02", floor.EvPackLabelRequested, label(o1, sscc, "TT00000000017"))
	if o.Status != protocol.Rejected || !strings.Contains(o.Reason, "SSCC "+sscc+" is already on a carton of order "+o0.ID) {
		t.Fatalf("a duplicate SSCC from another station: %+v", o)
	}
	// The same bench, another order: the same rule.
	if o := push("PACK-01", floor.EvPackLabelRequested, label(o2, sscc, "TT00000000024")); o.Status != protocol.Rejected {
		t.Fatalf("a duplicate SSCC from the same station: %+v", o)
	}
	cs, err := h.Store.Conflicts(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Kind != hub.ConflictDuplicateSSCC || cs[0].Station != "PACK-02" || cs[0].Order != o1.ID ||
		cs[1].Kind != hub.ConflictDuplicateSSCC || cs[1].Order != o2.ID {
		t.Fatalf("conflicts %+v, want two duplicate-sscc", cs)
	}
	// Without effect: the SSCC stays with the first carton only.
	for _, id := range []string{o1.ID, o2.ID} {
		f, err := h.Store.Fulfilment(ctx, id)
		if err != nil || len(f.Parcels) != 0 {
			t.Fatalf("%s has parcels %+v after its duplicate was rejected (%v)", id, f.Parcels, err)
		}
	}
	if f, _ := h.Store.Fulfilment(ctx, o0.ID); len(f.Parcels) != 1 || f.Parcels[0].SSCC != sscc {
		t.Fatalf("the first carton: %+v", f.Parcels)
	}
}
