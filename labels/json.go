package labels

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Templates lists the template names FromJSON knows.
func Templates() []string {
	return []string{"shipping", "packslip", "tote", "location", "badge", "commands"}
}

// FromJSON builds the labels of a template from its JSON data (the schemas
// are in docs/labels.md). Unknown fields are refused, so a misspelt field is
// an error rather than a blank on the label. Templates that print one label
// return one.
func FromJSON(template string, data []byte) ([]Label, error) {
	one := func(l Label, err error) ([]Label, error) {
		if err != nil {
			return nil, err
		}
		return []Label{l}, nil
	}
	switch template {
	case "shipping":
		var d ShippingData
		if err := decodeStrict(data, &d); err != nil {
			return nil, fmt.Errorf("shipping data: %w", err)
		}
		return one(Shipping(d))
	case "packslip":
		var d PackSlipData
		if err := decodeStrict(data, &d); err != nil {
			return nil, fmt.Errorf("packslip data: %w", err)
		}
		return PackSlip(d)
	case "tote":
		var d ToteData
		if err := decodeStrict(data, &d); err != nil {
			return nil, fmt.Errorf("tote data: %w", err)
		}
		return one(Tote(d))
	case "location":
		var d LocationData
		if err := decodeStrict(data, &d); err != nil {
			return nil, fmt.Errorf("location data: %w", err)
		}
		return one(Location(d))
	case "badge":
		var d BadgeData
		if err := decodeStrict(data, &d); err != nil {
			return nil, fmt.Errorf("badge data: %w", err)
		}
		return one(Badge(d))
	case "commands":
		var d CommandSheetData
		if err := decodeStrict(data, &d); err != nil {
			return nil, fmt.Errorf("commands data: %w", err)
		}
		return CommandSheet(d)
	}
	return nil, fmt.Errorf("no label template named %q (templates: shipping, packslip, tote, location, badge, commands)", template)
}

// decodeStrict reads exactly one JSON object with only known fields. JSON
// decoding would turn invalid UTF-8 into U+FFFD silently, so it is refused.
func decodeStrict(data []byte, v any) error {
	if !utf8.Valid(data) {
		return errors.New("the file is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}
