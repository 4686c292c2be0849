package hub

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// checkPIN judges the PIN of an import's nth operator: a PIN in clear has
// the site's digits (Settings.PINMinDigits) and the hub hashes it; a
// pin_hash given instead must be one the hub makes (salted, slow), not
// the unsalted SHA-256 of tote before 0.9, which gives a 4-digit PIN
// away in a few thousand tries.
func checkPIN(n int, o protocol.Operator, set Settings) error {
	if o.PIN != "" && o.PINHash != "" {
		return fmt.Errorf("operator %d (%s): give pin or pin_hash, not both", n, floor.Printable(o.Badge))
	}
	if o.PIN != "" {
		if err := floor.CheckPINDigits(o.PIN, set.PINMinDigits); err != nil {
			return fmt.Errorf("operator %d (%s): %v (hub setting %s)", n, floor.Printable(o.Badge), err, SettingPINMinDigits)
		}
	}
	if o.PINHash != "" && (!floor.ValidPINHash(o.PINHash) || floor.LegacyPINHash(o.PINHash)) {
		return fmt.Errorf("operator %d (%s): pin_hash is not a hash this hub makes: import the PIN itself (pin) and the hub hashes it", n, floor.Printable(o.Badge))
	}
	return nil
}

// hashOperator checks the nth operator of an import and gives it as the
// hub keeps it: its roles read and its PIN hashed (the slow KDF runs
// here, never inside the import's transaction), the PIN itself gone.
func hashOperator(n int, o protocol.Operator, set Settings) (protocol.Operator, error) {
	if err := checkOperator(n, o); err != nil {
		return o, err
	}
	if err := checkPIN(n, o, set); err != nil {
		return o, err
	}
	op, err := o.Floor()
	if err != nil {
		return o, fmt.Errorf("operator %d: %w", n, err)
	}
	return protocol.OperatorOf(op), nil
}
