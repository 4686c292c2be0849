package labels

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// ManifestData is what a carrier's pickup manifest shows: the pickup, the
// carrier, how many parcels left with it and each parcel's SSCC, as a
// GS1-128 barcode the driver's scanner reads and as text.
type ManifestData struct {
	Pickup  string   `json:"pickup"`
	Carrier string   `json:"carrier"`
	Station string   `json:"station,omitempty"`
	Closed  string   `json:"closed,omitempty"` // when it closed, as the station writes it
	SSCCs   []string `json:"ssccs"`
}

// Manifest geometry, in millimetres.
const (
	manifestTop  = 31    // first parcel row under the header
	manifestRowH = 15.5  // the number and SSCC line, the barcode, a gap
	manifestEnd  = 146.5 // rows end above the page footer
	// maxManifestParcels bounds one manifest (about 140 pages).
	maxManifestParcels = 999
)

// Manifest lays out a pickup's manifest on as many 4×6 in pages as its
// parcels need. Every page repeats the header with the parcel count, so
// any page alone says how many parcels the pickup holds.
func Manifest(d ManifestData) ([]Label, error) {
	for _, err := range []error{required("pickup", d.Pickup), required("carrier", d.Carrier)} {
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
	}
	if !utf8.ValidString(d.Station) || !utf8.ValidString(d.Closed) {
		return nil, errors.New("manifest: station or time is not valid UTF-8")
	}
	if len(d.SSCCs) == 0 {
		return nil, errors.New("manifest: no parcels")
	}
	if len(d.SSCCs) > maxManifestParcels {
		return nil, fmt.Errorf("manifest: %d parcels; at most %d fit on one manifest", len(d.SSCCs), maxManifestParcels)
	}
	for i, s := range d.SSCCs {
		if err := ValidateSSCC(s); err != nil {
			return nil, fmt.Errorf("manifest: parcel %d: %w", i+1, err)
		}
	}
	const perPage = 7 // (manifestEnd − manifestTop) / manifestRowH rows
	pages := (len(d.SSCCs) + perPage - 1) / perPage
	stock := Stock4x6()
	out := make([]Label, 0, pages)
	count := strconv.Itoa(len(d.SSCCs))
	for p := range pages {
		var s sheet
		y := s.text(margin, 2.4, 62, 4.5, 1, "CARRIER MANIFEST")
		s.text(68, 3.4, 30.6, 2.6, 1, fmt.Sprintf("PAGE %d OF %d", p+1, pages))
		top := y
		y = s.text(margin, top, 58, 2.2, 1, "CARRIER")
		y = s.text(margin, y, 58, 4.2, 1, d.Carrier)
		s.text(64, top, 34.6, 2.2, 1, "PARCELS")
		s.text(64, top+textHeight(2.2, 1), 34.6, 6, 1, count)
		y = s.text(margin, y, 58, 2.2, 1, "PICKUP")
		y = s.text(margin, y, 58, 3, 1, d.Pickup)
		if d.Station != "" || d.Closed != "" {
			s.text(64, y-textHeight(3, 1), 34.6, 2.2, 2, joinNonEmpty(d.Station, d.Closed))
		}
		s.rule(manifestTop-1.5, stock.Width)
		y = manifestTop
		for i := p * perPage; i < min(len(d.SSCCs), (p+1)*perPage); i++ {
			sscc := d.SSCCs[i]
			y = s.text(margin, y, 95.6, 2.8, 1, fmt.Sprintf("%d OF %s   (00) %s", i+1, count, sscc))
			s.items = append(s.items, Barcode{Rect: Rect{X: margin, Y: y + 0.3, W: 70, H: 10.5}, Symbology: GS1128,
				Elements: []GS1Element{{AI: "00", Value: sscc}}, Module: 0.375})
			y += manifestRowH - textHeight(2.8, 1)
		}
		if p == pages-1 {
			s.rule(manifestEnd, stock.Width)
			s.text(margin, manifestEnd+1, 95.6, 2.6, 1, "DRIVER'S SIGNATURE:")
		}
		l, err := s.label(fmt.Sprintf("manifest page %d", p+1), stock)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}
