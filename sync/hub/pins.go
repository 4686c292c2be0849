package hub

import (
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// checkPINs judges the operators' PINs of an import: a PIN in clear has
// the site's digits (Settings.PINMinDigits) and the hub hashes it; a
// pin_hash given instead must be one the hub makes (salted, slow), not
// the unsalted SHA-256 of tote before 0.9, which gives a 4-digit PIN
// away in a few thousand tries.
func checkPINs(ops []protocol.Operator, set Settings) error {
	for i, o := range ops {
		if o.PIN != "" && o.PINHash != "" {
			return protocol.Errorf(protocol.CodeBadRequest, "operator %d (%s): give pin or pin_hash, not both; nothing was imported", i+1, floor.Printable(o.Badge))
		}
		if o.PIN != "" {
			if err := floor.CheckPINDigits(o.PIN, set.PINMinDigits); err != nil {
				return protocol.Errorf(protocol.CodeBadRequest, "operator %d (%s): %v (hub setting %s); nothing was imported", i+1, floor.Printable(o.Badge), err, SettingPINMinDigits)
			}
		}
		if o.PINHash != "" && (!floor.ValidPINHash(o.PINHash) || floor.LegacyPINHash(o.PINHash)) {
			return protocol.Errorf(protocol.CodeBadRequest, "operator %d (%s): pin_hash is not a hash this hub makes: import the PIN itself (pin) and the hub hashes it; nothing was imported", i+1, floor.Printable(o.Badge))
		}
	}
	return nil
}
