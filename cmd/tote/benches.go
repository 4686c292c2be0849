package main

// The benches this binary offers: each registers itself with station.
import (
	_ "github.com/totewms/tote/station/dispatchbench"
	_ "github.com/totewms/tote/station/packbench"
	_ "github.com/totewms/tote/station/pickcart"
)
