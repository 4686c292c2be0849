package floor

import (
	"encoding/json"
	"testing"
)

// plainSeeds are payloads as the journal holds them and forms around
// them: escapes, space, other kinds of values, keys in another case,
// numbers json refuses, trailing bytes.
var plainSeeds = []string{
	`{"task":1,"order":"ORD-100001","line":1,"location":"A-01-01-1","sku":"CAND-435","qty":1,"tote":"T00001"}`,
	`{"task":7,"order":"SO-1","line":2,"location":"B-02","sku":"MUG-RED","qty":3,"tote":"T9","lot":"L1","serial":"S1","expiry":"2027-01-02"}`,
	`{"order":"SO-1","line":1,"sku":"MUG-RED","qty":1,"carton":1}`,
	`{"order":"SO-1","line":1,"sku":"MUG-RED","qty":1,"carton":2,"lot":"L-9","serial":"SN-1","expiry":"2027-01-02"}`,
	`{}`, `{"qty":-0}`, `{"qty":-12}`, `{"qty":01}`, `{"qty":1.0}`, `{"qty":1e2}`, `{"qty":"1"}`, `{"qty":null}`,
	`{"qty":999999999999999999}`, `{"qty":9999999999999999999}`, `{"order":1}`, `{"order":"a\"b"}`,
	`{"order":"\u003c"}`, `{"order":"é"}`, `{"Order":"x"}`, `{"ORDER":"x","order":"y"}`, `{"order":"x","order":"y"}`,
	`{"other":1}`, `{ "qty":1}`, `{"qty":1,}`, `{"qty":1}x`, `{"qty":1}{}`, `{"qty"}`, `{"qty":}`, `{"qty":-}`, `[]`, `null`, ``, `{`, `"`,
	`{"task":1,"task":2}`, `{"carton":1,"line":2,"qty":3}`, "{\"order\":\"\x7f\"}", "{\"order\":\"\t\"}",
}

// FuzzPlainPayloads: DecodeUnits and DecodePackUnit answer as
// json.Unmarshal does, for any bytes: the same error or none, the same
// values.
func FuzzPlainPayloads(f *testing.F) {
	for _, s := range plainSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var wantU UnitsPayload
		errU := json.Unmarshal(b, &wantU)
		gotU, err := DecodeUnits(b)
		if (err == nil) != (errU == nil) || errU == nil && gotU != wantU {
			t.Errorf("DecodeUnits(%q) = %+v, %v; json: %+v, %v", b, gotU, err, wantU, errU)
		}
		var wantP PackUnitPayload
		errP := json.Unmarshal(b, &wantP)
		gotP, err := DecodePackUnit(b)
		if (err == nil) != (errP == nil) || errP == nil && gotP != wantP {
			t.Errorf("DecodePackUnit(%q) = %+v, %v; json: %+v, %v", b, gotP, err, wantP, errP)
		}
	})
}

// TestPlainPayloadsReadWhatNewEventWrites: the journal's own payloads,
// every field set, take the plain way, not encoding/json's, and read back
// as written.
func TestPlainPayloadsReadWhatNewEventWrites(t *testing.T) {
	units := UnitsPayload{TaskPayload: TaskPayload{Task: 1 << 40, Order: "ORD-100001", Line: 12, Location: "A-01-01-1", SKU: "CAND-435"},
		Qty: -3, Tote: "T00001", Lot: "L1", Serial: "SN-1", Expiry: "2027-01-02"}
	if got, ok := plainUnits(NewEvent(EvUnitsPicked, "B1", units).Payload); !ok || got != units {
		t.Errorf("plainUnits = %+v, %v, want %+v", got, ok, units)
	}
	pack := PackUnitPayload{Order: "SO-1", Line: 1, SKU: "MUG-RED", Qty: 2, Carton: 3, Lot: "L", Serial: "S", Expiry: "2027-01-02"}
	if got, ok := plainPackUnit(NewEvent(EvPackUnitVerified, "B1", pack).Payload); !ok || got != pack {
		t.Errorf("plainPackUnit = %+v, %v, want %+v", got, ok, pack)
	}
	// As the benches write them, optional fields left out.
	units.Lot, units.Serial, units.Expiry = "", "", ""
	if got, ok := plainUnits(NewEvent(EvUnitsPicked, "B1", units).Payload); !ok || got != units {
		t.Errorf("plainUnits = %+v, %v, want %+v", got, ok, units)
	}
}

// FuzzPlainPayloadWriting: NewEvent journals the very bytes json.Marshal
// writes for a unit's payload, whatever its values (plain or not).
func FuzzPlainPayloadWriting(f *testing.F) {
	f.Add(int64(1), "ORD-100001", 1, "A-01-01-1", "CAND-435", 1, "T00001", "", "", "", 1)
	f.Add(int64(-7), "SO<1>&", -2, "é", "a\"b\\c", 0, "\x00\x7f", "L1", "SN-1", "2027-01-02", 3)
	f.Add(int64(1<<62), "", 0, "", "", -1<<31, "", "\u2028", "\xff", "x", 0)
	f.Fuzz(func(t *testing.T, task int64, order string, line int, location, sku string, qty int, tote, lot, serial, expiry string, carton int) {
		for _, v := range []any{
			UnitsPayload{TaskPayload: TaskPayload{Task: task, Order: order, Line: line, Location: location, SKU: sku}, Qty: qty, Tote: tote, Lot: lot, Serial: serial, Expiry: expiry},
			PackUnitPayload{Order: order, Line: line, SKU: sku, Qty: qty, Carton: carton, Lot: lot, Serial: serial, Expiry: expiry},
		} {
			want, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := NewEvent(EvUnitsPicked, "B1", v).Payload; string(got) != string(want) {
				t.Errorf("NewEvent(%#v) journals %s, json.Marshal writes %s", v, got, want)
			}
		}
	})
}

// TestPlainPayloadWritingTakesThePlainWay: a unit's payload as the benches
// make it is written without encoding/json (which would give the same
// bytes, FuzzPlainPayloadWriting).
func TestPlainPayloadWritingTakesThePlainWay(t *testing.T) {
	for _, v := range []any{
		UnitsPayload{TaskPayload: TaskPayload{Task: 1, Order: "ORD-100001", Line: 1, Location: "A-01-01-1", SKU: "CAND-435"}, Qty: 1, Tote: "T00001"},
		PackUnitPayload{Order: "SO-1", Line: 1, SKU: "MUG-RED", Qty: 1, Carton: 1, Lot: "L1", Serial: "SN-1", Expiry: "2027-01-02"},
	} {
		if _, ok := plainPayload(v); !ok {
			t.Errorf("%#v is not written the plain way", v)
		}
	}
	if _, ok := plainPayload(UnitsPayload{Tote: "<T>"}); ok {
		t.Error("a string json.Marshal escapes was written as it is")
	}
}
