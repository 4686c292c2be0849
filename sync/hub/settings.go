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
}

// Short remainder rules (setting short_remainder).
const (
	ShortBackOrder  = "backorder"
	ShortReallocate = "reallocate"
)

// DefaultSettings are the settings of a new hub.
func DefaultSettings() Settings {
	return Settings{ShipToRequired: true, ShortRemainder: ShortBackOrder}
}

// SettingShipToRequired is the setting's name in the hub's database and
// on the command line.
const (
	SettingShipToRequired = "ship_to_required"
	SettingShortRemainder = "short_remainder"
)

// SettingNames lists the settings, in the order they are shown.
var SettingNames = []string{SettingShipToRequired, SettingShortRemainder}

// Get gives a setting's value as text.
func (s Settings) Get(name string) (string, bool) {
	switch name {
	case SettingShipToRequired:
		return strconv.FormatBool(s.ShipToRequired), true
	case SettingShortRemainder:
		return s.ShortRemainder, true
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
	}
	return fmt.Errorf("unknown hub setting %q (the settings are %s)", floor.Printable(name), strings.Join(SettingNames, ", "))
}
