package tui

// The screens' tests run the real benches and their pages: they register
// themselves.
import (
	_ "github.com/totewms/tote/station/dispatchbench"
	_ "github.com/totewms/tote/station/packbench"
	_ "github.com/totewms/tote/station/pickcart"
	_ "github.com/totewms/tote/station/supervisebench"
	_ "github.com/totewms/tote/station/tui/dispatchpage"
	_ "github.com/totewms/tote/station/tui/packpage"
	_ "github.com/totewms/tote/station/tui/pickpage"
	_ "github.com/totewms/tote/station/tui/supervisepage"
)
