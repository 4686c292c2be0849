package ui_test

import (
	"testing"

	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/tui/ui"
)

// TestRegistryOpensByBenchName: a page registers by its bench's name and
// opens from a snapshot naming that bench; an unknown bench has none, and
// a second registration of a name is refused loudly.
func TestRegistryOpensByBenchName(t *testing.T) {
	var opened []station.Outcome
	ui.Register("registry-test", func(o station.Outcome) ui.Page {
		opened = append(opened, o)
		return nil
	})
	if _, ok := ui.Open(station.Outcome{Bench: "registry-test", State: 7}); !ok || len(opened) != 1 || opened[0].State != 7 {
		t.Fatalf("the page did not open from its bench's snapshot: %+v", opened)
	}
	if _, ok := ui.Open(station.Outcome{Bench: "no-such-bench"}); ok {
		t.Fatal("a bench nobody registered a page for opened one")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a second page for one bench was taken")
		}
	}()
	ui.Register("registry-test", func(station.Outcome) ui.Page { return nil })
}
