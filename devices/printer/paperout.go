package printer

import (
	"strings"

	"github.com/totewms/tote/devices"
)

// PaperOut says whether a printer's device state is out of labels (the
// site's health shows those first): its reason names the problem as
// Problems says it.
func PaperOut(s devices.State) bool {
	return s.Kind == devices.KindPrinter && s.Status != devices.StatusConnected && strings.Contains(s.Reason, paperOut)
}
