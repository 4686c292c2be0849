package hubstore

import (
	"fmt"
	"testing"

	"github.com/totewms/tote/sync/hub"
)

// TestAddCountsInOneUpsert: a push's counts go in multi-row upserts
// (pieces of powers of two); each adds to its counter, a counter met
// twice in one call adds both, and a later call adds to what the first
// left, with the later version stamped.
func TestAddCountsInOneUpsert(t *testing.T) {
	s, ctx := openBare(t)
	const n = 11 // pieces of 8, 2 and 1
	first := make([]hub.Count, 0, n+1)
	for i := range n {
		first = append(first, hub.Count{Scope: "wave", Key: "W1", Metric: fmt.Sprintf("m%02d", i), Bucket: int64(i % 3), Value: int64(i + 1), Version: 1})
	}
	first = append(first, hub.Count{Scope: "wave", Key: "W1", Metric: "m00", Bucket: 0, Value: 100, Version: 1}) // m00 again
	second := []hub.Count{{Scope: "wave", Key: "W1", Metric: "m05", Bucket: 2, Value: -2, Version: 2}, {Scope: "wave", Key: "W2", Metric: "m05", Bucket: 2, Value: 7, Version: 2}}
	for _, cs := range [][]hub.Count{first, second} {
		if err := s.Tx(ctx, func(tx hub.StoreTx) error { return tx.AddCounts(cs) }); err != nil {
			t.Fatal(err)
		}
	}
	var got []hub.Count
	err := s.Read(ctx, func(tx hub.StoreTx) error {
		var err error
		got, err = tx.Counts("wave", 0, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]hub.Count{}
	for i := range n {
		want[fmt.Sprint("W1/", i)] = hub.Count{Scope: "wave", Key: "W1", Metric: fmt.Sprintf("m%02d", i), Bucket: int64(i % 3), Value: int64(i + 1), Version: 1}
	}
	want["W1/0"] = hub.Count{Scope: "wave", Key: "W1", Metric: "m00", Bucket: 0, Value: 101, Version: 1}
	want["W1/5"] = hub.Count{Scope: "wave", Key: "W1", Metric: "m05", Bucket: 2, Value: 4, Version: 2}
	want["W2/5"] = hub.Count{Scope: "wave", Key: "W2", Metric: "m05", Bucket: 2, Value: 7, Version: 2}
	if len(got) != len(want) {
		t.Fatalf("%d counters, want %d: %+v", len(got), len(want), got)
	}
	for _, c := range got {
		var i int
		if _, err := fmt.Sscanf(c.Metric, "m%02d", &i); err != nil {
			t.Fatal(err)
		}
		if w := want[fmt.Sprint(c.Key, "/", i)]; c != w {
			t.Errorf("counter %+v, want %+v", c, w)
		}
	}
}
