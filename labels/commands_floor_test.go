package labels

import (
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// TestCommandSheetHasEveryCommand: the printed sheet is made from the
// workflows' own command lists, so a new command cannot be left off it.
func TestCommandSheetHasEveryCommand(t *testing.T) {
	on := map[string]bool{}
	for _, c := range DefaultCommands() {
		if on[c.Code] {
			t.Errorf("%s twice on the sheet", c.Code)
		}
		on[c.Code] = true
		if err := checkCommand(c); err != nil {
			t.Errorf("%s: %v", c.Code, err)
		}
	}
	for _, list := range [][]floor.CommandInfo{floor.PickCommands, floor.PackCommands, floor.ReturnsCommands} {
		for _, c := range list {
			if !on[c.Command.Barcode()] {
				t.Errorf("%s is missing from the sheet", c.Command.Barcode())
			}
		}
	}
	if _, err := CommandSheet(CommandSheetData{Commands: DefaultCommands()}); err != nil {
		t.Fatal(err)
	}
}
