package main

// The benches this binary offers, each with its page: a bench registers
// itself with station (station.Register), its page with the screens
// (ui.Register), by the same bench name. A new bench is one line for the
// bench and one for its page.
import (
	_ "github.com/totewms/tote/station/dispatchbench"
	_ "github.com/totewms/tote/station/tui/dispatchpage"

	_ "github.com/totewms/tote/station/packbench"
	_ "github.com/totewms/tote/station/tui/packpage"

	_ "github.com/totewms/tote/station/pickcart"
	_ "github.com/totewms/tote/station/tui/pickpage"

	_ "github.com/totewms/tote/station/returnsbench"
	_ "github.com/totewms/tote/station/tui/returnspage"

	_ "github.com/totewms/tote/station/supervisebench"
	_ "github.com/totewms/tote/station/tui/supervisepage"
)
