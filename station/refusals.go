package station

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// Refusal is an event of this station the office (the hub) refused, in the
// floor's words: which order, what was refused, and what to do.
type Refusal struct {
	Seq     int64 // the journal sequence of the refused event
	Message string
}

// Refusals lists the office's refusals the floor has not acknowledged,
// oldest first. Safe from any goroutine (it only reads the store).
func (s *Station) Refusals(ctx context.Context) ([]Refusal, error) {
	rs, err := s.store.OfficeRefusals(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Refusal, 0, len(rs))
	for _, r := range rs {
		out = append(out, Refusal{Seq: r.Seq, Message: refusalWords(r)})
	}
	return out, nil
}

// refusalWords says one refusal the way the floor reads it, e.g. "Office
// refused ORD-100007's pick: order cancelled centrally: return the goods
// to stock. Put 2 × MUG-001 from tote T00003 back to A-01-02-5".
func refusalWords(r store.OfficeRefusal) string {
	var p struct {
		Order    string `json:"order"`
		Location string `json:"location"`
		SKU      string `json:"sku"`
		Qty      int    `json:"qty"`
		Tote     string `json:"tote"`
		Shipment string `json:"shipment"`
	}
	_ = json.Unmarshal(r.Payload, &p) // an event without these fields says less
	what := map[floor.EventType]string{
		floor.EvUnitsPicked: "pick", floor.EvPickUndone: "undo", floor.EvTaskShort: "short pick",
		floor.EvTaskPicked: "finished pick", floor.EvWaveStarted: "wave start", floor.EvWaveCompleted: "wave end",
		floor.EvPackLabelRequested: "label", floor.EvPackShipmentCompleted: "shipment", floor.EvPackPartial: "partial shipment",
	}[r.Type]
	if what == "" {
		what = strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(string(r.Type), "pick."), "pack."), "_", " ")
	}
	var b strings.Builder
	b.WriteString("Office refused ")
	if p.Order != "" {
		b.WriteString(floor.Printable(p.Order) + "'s " + what)
	} else {
		b.WriteString("the " + floor.Printable(what) + fmt.Sprintf(" (event %d)", r.Seq))
	}
	b.WriteString(": " + floor.Printable(strings.TrimSpace(r.Reason)))
	if r.Type == floor.EvUnitsPicked && p.Location != "" && p.Qty > 0 {
		fmt.Fprintf(&b, ". Put %d × %s", p.Qty, floor.Printable(p.SKU))
		if p.Tote != "" {
			b.WriteString(" from tote " + floor.Printable(p.Tote))
		}
		b.WriteString(" back to " + floor.Printable(p.Location))
	}
	return b.String()
}

// acknowledge records that the operator read the office's refusals up to
// a.Acknowledge (Esc on the notice): durable before the outcome says so.
func (s *Station) acknowledge(ctx context.Context, a Action) Outcome {
	if err := s.store.AcknowledgeRefusals(ctx, a.Acknowledge); err != nil {
		return s.failed(a, err)
	}
	s.log.Info("office refusals acknowledged on the floor", "through_seq", a.Acknowledge)
	return Outcome{Action: a, Bench: s.opts.Bench, State: s.state, Pack: s.pack,
		Feedback: floor.Feedback{Level: floor.Info, Message: "Noted. The refusal stays on the exceptions list for a supervisor"}}
}
