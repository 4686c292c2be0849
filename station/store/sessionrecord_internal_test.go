package store

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzSessionRecord: the hand-written encoding of a journal's session is
// what encoding/json writes for the same array, reads back as it was
// written, and a damaged record is an error, never a panic.
func FuzzSessionRecord(f *testing.F) {
	f.Add("pick", "B1001", "W1", "T00001", "ORD-100001", int64(2), "location", []byte(`{}`), []byte(`["pick","B1001","W1","T00001","ORD-100001",2,"location",{}]`))
	f.Add("pack", "B\"2001\\", "<W&1>", "T\u2028", "ORD\x01", int64(-1), "verify", []byte(`{"step":"verify","cartons":[{"no":1}]}`), []byte(`["pack"]`))
	f.Add("pick", "\xff\xfe", "", "", "", int64(0), "", []byte(`not json`), []byte(`{"bench":"pick"}`))
	f.Fuzz(func(t *testing.T, bench, operator, wave, tote, order string, task int64, step string, pending, raw []byte) {
		var r sessionRecord
		_ = r.UnmarshalJSON(raw) // anything: an error or a record, no panic

		r = sessionRecord{Bench: bench, Operator: operator, WaveID: wave, Tote: tote, ToteOrder: order, TaskID: task, Step: step, Pending: pending}
		got, err := r.MarshalJSON()
		if !json.Valid(pending) {
			if err == nil {
				t.Fatalf("pending %q is not JSON, encoded as %s", pending, got)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal([]any{bench, operator, wave, tote, order, task, step, json.RawMessage(pending)})
		if err != nil {
			t.Fatal(err)
		}
		var g, w []any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s is not JSON: %v", got, err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(gj, wj) {
			t.Fatalf("encoded %s, encoding/json %s", got, want)
		}
		var back sessionRecord
		if err := back.UnmarshalJSON(got); err != nil {
			t.Fatalf("%s does not read back: %v", got, err)
		}
		var wr []json.RawMessage
		json.Unmarshal(want, &wr)
		var exp sessionRecord
		for i, v := range []any{&exp.Bench, &exp.Operator, &exp.WaveID, &exp.Tote, &exp.ToteOrder, &exp.TaskID, &exp.Step} {
			json.Unmarshal(wr[i], v)
		}
		if back.Bench != exp.Bench || back.Operator != exp.Operator || back.WaveID != exp.WaveID || back.Tote != exp.Tote ||
			back.ToteOrder != exp.ToteOrder || back.TaskID != task || back.Step != exp.Step || !json.Valid(back.Pending) {
			t.Fatalf("read back %+v from %s", back, got)
		}
	})
}
