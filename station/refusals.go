package station

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// Refusal is what the office (the hub) refused of this station's events,
// in the floor's words: which order, what was refused, and what to do.
// Refusals of one kind in a row (each unit of one pick) make one notice.
type Refusal struct {
	Seq     int64 // the last journal sequence the notice covers: Esc acknowledges through it
	Message string
	// Short says the order and what to do in a few words, for a narrow
	// screen ("ORD-100006 cancelled: put 11 × BACK-018 from T00006 back
	// to A-02-03-1"); "" when Message is all there is.
	Short string
}

// Refusals lists the office's refusals the floor has not acknowledged,
// oldest first. Safe from any goroutine (it only reads the store).
func (s *Station) Refusals(ctx context.Context) ([]Refusal, error) {
	rs, err := s.store.OfficeRefusals(ctx)
	if err != nil {
		return nil, err
	}
	return refusalNotices(rs), nil
}

// refused is what a refused event's payload says, as far as the floor
// needs it.
type refused struct {
	Type     floor.EventType
	Reason   string
	Order    string `json:"order"`
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Tote     string `json:"tote"`
	Events   int
}

// refusalNotices groups refusals in a row that are alike (same order,
// event type, location, item, tote and reason) into one notice each.
func refusalNotices(rs []store.OfficeRefusal) []Refusal {
	var out []Refusal
	var cur *refused
	var last int64
	flush := func() {
		if cur != nil {
			msg, short := refusalWords(*cur)
			out = append(out, Refusal{Seq: last, Message: msg, Short: short})
		}
	}
	for _, r := range rs {
		var p refused
		_ = json.Unmarshal(r.Payload, &p) // an event without these fields says less
		p.Type, p.Reason, p.Events = r.Type, strings.TrimSpace(r.Reason), 1
		if cur != nil && p.Type == cur.Type && p.Reason == cur.Reason && p.Order == cur.Order &&
			p.Location == cur.Location && p.SKU == cur.SKU && p.Tote == cur.Tote {
			cur.Qty += p.Qty
			cur.Events++
			last = r.Seq
			continue
		}
		flush()
		cur, last = &p, r.Seq
	}
	flush()
	return out
}

// refusalWords says one notice the way the floor reads it, e.g. "Office
// refused ORD-100007's pick: order cancelled centrally: return the goods
// to stock. Put 2 × MUG-001 from tote T00003 back to A-01-02-5".
func refusalWords(p refused) (msg, short string) {
	what := map[floor.EventType]string{
		floor.EvUnitsPicked: "pick", floor.EvPickUndone: "undo", floor.EvTaskShort: "short pick",
		floor.EvTaskPicked: "finished pick", floor.EvWaveStarted: "wave start", floor.EvWaveCompleted: "wave end",
		floor.EvPackLabelRequested: "label", floor.EvPackShipmentCompleted: "shipment", floor.EvPackPartial: "partial shipment",
	}[p.Type]
	if what == "" {
		what = strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(string(p.Type), "pick."), "pack."), "_", " ")
	}
	if p.Events > 1 {
		what = fmt.Sprintf("%s (%d events)", what, p.Events)
	}
	order := floor.Printable(p.Order)
	var b strings.Builder
	b.WriteString("Office refused ")
	if order != "" {
		b.WriteString(order + "'s " + floor.Printable(what))
	} else {
		b.WriteString("the " + floor.Printable(what))
	}
	b.WriteString(": " + floor.Printable(p.Reason))
	if p.Type == floor.EvUnitsPicked && p.Location != "" && p.Qty > 0 {
		put := fmt.Sprintf("%d × %s", p.Qty, floor.Printable(p.SKU))
		if p.Tote != "" {
			put += " from tote " + floor.Printable(p.Tote)
		}
		put += " back to " + floor.Printable(p.Location)
		b.WriteString(". Put " + put)
		why := "refused"
		if strings.HasPrefix(p.Reason, "order cancelled") {
			why = "cancelled"
		}
		short = fmt.Sprintf("%s %s: put %s", order, why, strings.Replace(put, " from tote ", " from ", 1))
	}
	return b.String(), short
}

// acknowledge records that the operator read the office's refusals up to
// a.Acknowledge (Esc on the notice): durable before the outcome says so.
func (s *Station) acknowledge(ctx context.Context, a Action) Outcome {
	if err := s.store.AcknowledgeRefusals(ctx, a.Acknowledge); err != nil {
		return s.kit.Failed(s.bench.Snapshot(a), err)
	}
	s.log.Info("office refusals acknowledged on the floor", "through_seq", a.Acknowledge)
	o := s.bench.Snapshot(a)
	o.Feedback = floor.Feedback{Level: floor.Info, Message: "Noted. The refusal stays on the exceptions list for a supervisor"}
	return o
}
