package station_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
)

// packWithCarrierLabel packs ORD-0001 in one carton after the hub sent a
// carrier label for it, and returns the label event and the print jobs
// queued for the shipment.
func packWithCarrierLabel(t *testing.T, mode string, zpl []byte) (floor.PackLabelPayload, []store.PrintJob, packResult) {
	st := packStore(t)
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: clock(), Changes: []store.Change{{Label: &store.CarrierLabel{
		Order: "ORD-0001", Tracking: "1Z999AA10123456784", Carrier: "UPS", Service: "GROUND", Format: "zpl", Data: string(zpl)}}}}); err != nil {
		t.Fatal(err)
	}
	opts := packOptions()
	opts.Pack.Rules.CarrierLabels = mode
	b := bench{t, openBench(t, st, opts)}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00001"), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
	b.do(key(floor.CmdComplete), pack.StepBox)
	b.do(typed(""), pack.StepWeigh)
	box, _ := b.s.Snapshot().State.(pack.State).Box(b.s.Snapshot().State.(pack.State).Cartons[0].Box)
	o := b.s.Handle(ctx, typed(strconv.Itoa(800+box.TareG)))
	var lbl floor.PackLabelPayload
	for _, ev := range o.Events {
		if ev.Type == floor.EvPackLabelRequested {
			if err := json.Unmarshal(ev.Payload, &lbl); err != nil {
				t.Fatal(err)
			}
		}
	}
	var jobs []store.PrintJob
	for id := lbl.Job; id > 0 && id < lbl.Job+3; id++ {
		j, err := st.PrintJob(ctx, id)
		if err != nil {
			break
		}
		jobs = append(jobs, j)
	}
	return lbl, jobs, packResult{o.Feedback.Level, o.Feedback.Message}
}

type packResult struct {
	level   floor.Level
	message string
}

func TestPackPrintsTheCarrierLabelInstead(t *testing.T) {
	ups, err := os.ReadFile("../labels/testdata/carrier/ups_ground.zpl")
	if err != nil {
		t.Fatal(err)
	}
	lbl, jobs, o := packWithCarrierLabel(t, config.CarrierLabelsInstead, ups)
	if o.level != floor.OK {
		t.Fatalf("pack: %+v", o)
	}
	if lbl.Tracking != "1Z999AA10123456784" || lbl.Carrier != "UPS" || lbl.SSCC == "" {
		t.Fatalf("the carton reports %+v: want the carrier's tracking", lbl)
	}
	if len(jobs) != 1 || !bytes.Equal(jobs[0].ZPL, ups) || jobs[0].Kind != floor.LabelShipping {
		t.Fatalf("jobs %+v: want the carrier's label only, unchanged", jobs)
	}
}

func TestPackPrintsTheCarrierLabelBesideTheGS1Label(t *testing.T) {
	ups, _ := os.ReadFile("../labels/testdata/carrier/ups_ground.zpl")
	lbl, jobs, o := packWithCarrierLabel(t, config.CarrierLabelsBeside, ups)
	if o.level != floor.OK || lbl.Tracking != "1Z999AA10123456784" {
		t.Fatalf("pack: %+v %+v", o, lbl)
	}
	if len(jobs) != 2 || !bytes.Equal(jobs[0].ZPL, ups) || !bytes.Contains(jobs[1].ZPL, []byte(lbl.SSCC)) || !bytes.Contains(jobs[1].ZPL, []byte("1Z999AA10123456784")) {
		t.Fatalf("jobs: want the carrier's label, then tote's with the SSCC and the carrier's tracking: %d jobs", len(jobs))
	}
}

func TestPackRefusesACarrierLabelThatWouldUpsetThePrinter(t *testing.T) {
	// One that reached the station without the hub's check (an old hub).
	_, _, o := packWithCarrierLabel(t, config.CarrierLabelsInstead, []byte("^XA^POI^FO10,10^A0N,30,30^FDx^FS^XZ"))
	if o.level != floor.Error || !bytes.Contains([]byte(o.message), []byte("^PO")) || !bytes.Contains([]byte(o.message), []byte("NO LABEL")) {
		t.Fatalf("pack: %+v", o)
	}
}
