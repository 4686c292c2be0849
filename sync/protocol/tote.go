package protocol

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// Totes travel between stations: a cart fills a tote, any pack bench of
// the site packs it. The hub keeps each tote's record from the carts'
// pushed picks and sends it to every pack bench (AudiencePack), and its
// hold (Tote.Hold) to every cart when a fill begins; when the tote is
// packed or released it sends it free to every station, so the carts
// may take it again.

// Benches a station states on its pull (PullBench), so the hub knows who
// needs which changes.
const (
	BenchPick = "pick"
	BenchPack = "pack"
)

// PullBench is the pull's query parameter naming the station's bench.
const PullBench = "bench"

// Tote is a tote as the hub knows it. Order is the order it holds, ""
// when it is free; then Freed names the order it held until it was
// packed, released or withdrawn (FreedBy). Fill goes up each time the
// tote takes an order: Units are what the carts put in it during this
// fill. Shorts are the order's short picks on every station, so a bench
// that did not pick the order knows what will not come; Packed what its
// labelled cartons hold.
type Tote struct {
	Code   string      `json:"code"`
	Order  string      `json:"order,omitempty"`
	Fill   int64       `json:"fill"`
	Units  []ToteUnit  `json:"units,omitempty"`
	Shorts []ToteShort `json:"shorts,omitempty"`
	// Packed is what the order's labelled cartons hold, on every bench
	// (voided shipments leave it): a bench packing the rest of an order
	// another bench shipped in part must not pack those units again.
	Packed  []TotePacked `json:"packed,omitempty"`
	Freed   string       `json:"freed,omitempty"`
	FreedBy string       `json:"freed_by,omitempty"`
	// Hold marks the change the carts get when a fill begins: the tote
	// holds Order from then on (FilledBy is the station whose pick began
	// it); the units go to the pack benches only.
	Hold     bool   `json:"hold,omitempty"`
	FilledBy string `json:"filled_by,omitempty"`
}

// Why a tote was freed: the floor's words.
const (
	ToteFreedPacked    = floor.ToteFreedPacked
	ToteFreedReleased  = floor.ToteFreedReleased
	ToteFreedWithdrawn = floor.ToteFreedWithdrawn
	ToteFreedUndone    = floor.ToteFreedUndone
)

// ToteUnit is units a station picked into the tote: its event Seq
// names the pick, once across the site.
type ToteUnit struct {
	Station  string `json:"station"`
	Seq      int64  `json:"seq"`
	Task     int64  `json:"task"`
	Line     int    `json:"line"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Lot      string `json:"lot,omitempty"`
	Serial   string `json:"serial,omitempty"`
	Expiry   string `json:"expiry,omitempty"`
	Location string `json:"location,omitempty"`
	Operator string `json:"operator,omitempty"`
}

// ToteShort is a task a station closed short: Qty units of the line will
// not come.
type ToteShort struct {
	Station string `json:"station"`
	Task    int64  `json:"task"`
	Line    int    `json:"line"`
	Qty     int    `json:"qty"`
}

// TotePacked is units of an order line a station labelled in a shipment's
// cartons.
type TotePacked struct {
	Station  string `json:"station"`
	Shipment string `json:"shipment"`
	Line     int    `json:"line"`
	Qty      int    `json:"qty"`
}

// Check reports a tote record a station must not apply: no code, a fill
// below zero, a hold without its order and station or with contents, or
// a unit, short or packed entry without its station and line or with a
// quantity that is not positive.
func (t *Tote) Check() error {
	code := floor.Printable(t.Code)
	switch {
	case t.Code == "":
		return fmt.Errorf("a tote without a code")
	case t.Fill < 0:
		return fmt.Errorf("tote %s has fill %d", code, t.Fill)
	case t.Hold && (t.Order == "" || t.FilledBy == ""):
		return fmt.Errorf("tote %s: a hold names its order and the station that filled it", code)
	case t.Hold && (len(t.Units) > 0 || len(t.Shorts) > 0 || len(t.Packed) > 0 || t.Freed != ""):
		return fmt.Errorf("tote %s: a hold carries the order only", code)
	case !t.Hold && t.FilledBy != "":
		return fmt.Errorf("tote %s names the station that filled it outside a hold", code)
	}
	for _, u := range t.Units {
		if u.Station == "" || u.Line < 1 || u.Qty < 1 || u.SKU == "" {
			return fmt.Errorf("tote %s lists %d × %s on line %d from station %q", code, u.Qty, floor.Printable(u.SKU), u.Line, floor.Printable(u.Station))
		}
	}
	for _, s := range t.Shorts {
		if s.Station == "" || s.Line < 1 || s.Qty < 1 {
			return fmt.Errorf("tote %s lists %d short on line %d from station %q", code, s.Qty, s.Line, floor.Printable(s.Station))
		}
	}
	for _, p := range t.Packed {
		if p.Station == "" || p.Line < 1 || p.Qty < 1 {
			return fmt.Errorf("tote %s lists %d packed on line %d from station %q", code, p.Qty, p.Line, floor.Printable(p.Station))
		}
	}
	return nil
}
