package hub

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/floor"
)

// Settings are the site's choices the hub keeps in its database, so the
// server and `tote hub import` judge an import alike. `tote hub settings`
// shows and changes them (docs/hub.md).
type Settings struct {
	// ShipToRequired: the site prints shipping labels, so an order
	// without a ship-to address cannot ship; the import refuses it
	// instead of letting it be picked and stop at the pack bench.
	// Default on; off for a site whose labels come from elsewhere.
	ShipToRequired bool
	// ShortRemainder is what becomes of a short pick's remainder:
	// ShortReallocate offers it again from another pick face that holds
	// the item (a new task to the wave's station), back-ordering it when
	// there is none; ShortBackOrder back-orders it at once.
	ShortRemainder string
	// PINMinDigits: the fewest digits an operator's PIN imported in
	// clear may have. Default 6; 4 to 12.
	PINMinDigits int
	// PINMaxFailures: wrong PINs for one badge across the site, since
	// its last sign-in, that lock it (badgelock.go). Default 5; 1 to 100.
	PINMaxFailures int
	// StationQuotaMB: what one station's events may take at the hub, in
	// MiB (quota.go); a push over it is refused. 0: no quota. Default 4096.
	StationQuotaMB int
}

// Short remainder rules (setting short_remainder).
const (
	ShortBackOrder  = "backorder"
	ShortReallocate = "reallocate"
)

// DefaultSettings are the settings of a new hub.
func DefaultSettings() Settings {
	return Settings{ShipToRequired: true, ShortRemainder: ShortBackOrder, PINMinDigits: 6,
		PINMaxFailures: floor.DefaultPINMaxFailures, StationQuotaMB: 4096}
}

// SettingPINMinDigits is the PIN length setting's name.
const SettingPINMinDigits = "pin_min_digits"

// SettingShipToRequired is the setting's name in the hub's database and
// on the command line.
const (
	SettingShipToRequired = "ship_to_required"
	SettingShortRemainder = "short_remainder"
)

// SettingNames lists the settings, in the order they are shown.
var SettingNames = []string{SettingShipToRequired, SettingShortRemainder, SettingPINMinDigits,
	SettingPINMaxFailures, SettingStationQuotaMB}

// The PIN lockout and storage quota settings' names.
const (
	SettingPINMaxFailures = "pin_max_failures"
	SettingStationQuotaMB = "station_quota_mb"
)

// Get gives a setting's value as text.
func (s Settings) Get(name string) (string, bool) {
	switch name {
	case SettingShipToRequired:
		return strconv.FormatBool(s.ShipToRequired), true
	case SettingShortRemainder:
		return s.ShortRemainder, true
	case SettingPINMinDigits:
		return strconv.Itoa(s.PINMinDigits), true
	case SettingPINMaxFailures:
		return strconv.Itoa(s.PINMaxFailures), true
	case SettingStationQuotaMB:
		return strconv.Itoa(s.StationQuotaMB), true
	}
	return "", false
}

// Set changes one setting from text: NAME=VALUE as typed, or a value
// read back from the database.
func (s *Settings) Set(name, value string) error {
	switch name {
	case SettingShipToRequired:
		b, err := strconv.ParseBool(strings.TrimSpace(value))
		if err != nil {
			return fmt.Errorf("%s=%q: use true or false", name, floor.Printable(value))
		}
		s.ShipToRequired = b
		return nil
	case SettingShortRemainder:
		switch v := strings.TrimSpace(value); v {
		case ShortBackOrder, ShortReallocate:
			s.ShortRemainder = v
			return nil
		}
		return fmt.Errorf("%s=%q: use %s or %s", name, floor.Printable(value), ShortReallocate, ShortBackOrder)
	case SettingPINMinDigits:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 4 || n > 12 {
			return fmt.Errorf("%s=%q: use a whole number from 4 to 12", name, floor.Printable(value))
		}
		s.PINMinDigits = n
		return nil
	case SettingPINMaxFailures:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 1 || n > 100 {
			return fmt.Errorf("%s=%q: use a whole number from 1 to 100", name, floor.Printable(value))
		}
		s.PINMaxFailures = n
		return nil
	case SettingStationQuotaMB:
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < 0 || n > 1<<30 {
			return fmt.Errorf("%s=%q: use a whole number of MiB (0 for no quota)", name, floor.Printable(value))
		}
		s.StationQuotaMB = n
		return nil
	}
	return fmt.Errorf("unknown hub setting %q (the settings are %s)", floor.Printable(name), strings.Join(SettingNames, ", "))
}
