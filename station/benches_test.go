package station_test

// The station's tests run the real benches: they register themselves.
import (
	_ "github.com/totewms/tote/station/dispatchbench"
	_ "github.com/totewms/tote/station/packbench"
	_ "github.com/totewms/tote/station/pickcart"
	_ "github.com/totewms/tote/station/supervisebench"
)
