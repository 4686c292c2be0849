package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// An order's story for the supervisor: every event the hub holds that
// names the order, from every station. Each push indexes its events by
// the order they name (order_events, in the push's transaction), so the
// story is read without scanning the events table.

// StoryLimit is how many of an order's events a story holds (the newest).
const StoryLimit = 200

// OrderStory is the order's lines (ordered, picked, short) and its
// events in the order they happened on the floor: device time, then
// station and sequence. An unknown order answers not found.
func (s *Service) OrderStory(ctx context.Context, order string, now time.Time) (protocol.OrderStory, error) {
	out := protocol.OrderStory{At: now.UTC(), Order: order, Lines: []protocol.StoryLine{}, Events: []protocol.StoryEvent{}}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		rec, ok, err := tx.Order(order)
		if err != nil {
			return err
		}
		if !ok {
			return protocol.Errorf(protocol.CodeNotFound, "order %s is not known at the hub", floor.Printable(order))
		}
		if out.Status, err = lifeState(tx, rec); err != nil { // the figures' states
			return err
		}
		if out.Wave, err = tx.OrderWave(order); err != nil {
			return err
		}
		ts, err := tx.Tallies(order)
		if err != nil {
			return err
		}
		tally := map[int]LineTally{}
		for _, t := range ts {
			tally[t.Line] = t
		}
		for _, l := range rec.Lines {
			out.Lines = append(out.Lines, protocol.StoryLine{Line: l.Line, SKU: l.SKU, Ordered: l.Qty, Picked: tally[l.Line].Picked, Short: tally[l.Line].Short})
		}
		evs, more, err := tx.OrderEvents(order, StoryLimit)
		if err != nil {
			return err
		}
		out.More = more
		for _, e := range evs {
			out.Events = append(out.Events, protocol.StoryEvent{At: e.DeviceTime.UTC(), Station: e.Station, Seq: e.Seq, Operator: e.Operator,
				Type: e.Type, What: StoryWhat(e.Payload), Status: e.Status, Reason: e.Reason})
		}
		SortStory(out.Events)
		return nil
	})
	return out, err
}

// SortStory puts a story's events in floor order: device time, then
// station, then sequence (the same events give the same story whatever
// order the stations pushed them in).
func SortStory(evs []protocol.StoryEvent) {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		if a.Station != b.Station {
			return a.Station < b.Station
		}
		return a.Seq < b.Seq
	})
}

// StoryWhat says an event's payload in a few words: units and SKU, where
// from and into what, the carton, the reason. Text from the floor is made
// printable; a payload that is not an object says nothing.
func StoryWhat(payload json.RawMessage) string {
	var p map[string]any
	if json.Unmarshal(payload, &p) != nil {
		return ""
	}
	str := func(k string) string {
		if v, ok := p[k].(string); ok {
			return floor.Printable(v)
		}
		return ""
	}
	num := func(k string) (int64, bool) {
		if v, ok := p[k].(float64); ok {
			return int64(v), true
		}
		return 0, false
	}
	var parts []string
	qty, hasQty := num("qty")
	if !hasQty {
		qty, hasQty = num("units")
	}
	switch sku := str("sku"); {
	case hasQty && sku != "":
		parts = append(parts, fmt.Sprintf("%d × %s", qty, sku))
	case sku != "":
		parts = append(parts, sku)
	case hasQty:
		parts = append(parts, fmt.Sprintf("%d units", qty))
	}
	for _, f := range []struct{ key, word string }{{"location", "from "}, {"tote", "into "}, {"sscc", "carton "}, {"shipment", "shipment "},
		{"carrier", "by "}, {"tracking", "tracking "}, {"pickup", "pickup "}, {"reason", "reason: "}} {
		if v := str(f.key); v != "" {
			parts = append(parts, f.word+v)
		}
	}
	return strings.Join(parts, " ")
}
