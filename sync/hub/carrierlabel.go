package hub

import (
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/sync/protocol"
)

// checkCarrierLabel refuses a carrier label the stations must not print:
// the hub is the one place that sees it before every printer does
// (labels.ValidateCarrierZPL says what passes).
func checkCarrierLabel(l protocol.Label) error {
	if l.Format != "zpl" {
		return protocol.Errorf(protocol.CodeBadRequest, "label format %q: stations print zpl", floor.Printable(l.Format))
	}
	if err := labels.ValidateCarrierZPL([]byte(l.Data), false); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "the label for order %s (tracking %s) was refused: %v; nothing was stored",
			floor.Printable(l.Order), floor.Printable(l.Tracking), err)
	}
	return nil
}
