package protocol

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestDockParcelCheck: a parcel change the station may apply names its
// SSCC and order and has a status it knows; anything else is refused
// with words that name it.
func TestDockParcelCheck(t *testing.T) {
	for _, tc := range []struct {
		p    DockParcel
		want string // "" accepted, else in the error
	}{
		{DockParcel{SSCC: "006141410020000016", Order: "SO-1", Status: ParcelReady}, ""},
		{DockParcel{SSCC: "006141410020000016", Order: "SO-1", Status: ParcelVoided, Holds: []Hold{{Reason: "ADDRESS"}}}, ""},
		{DockParcel{SSCC: "006141410020000016", Order: "SO-1", Status: ParcelShipped, Pickup: "DOCK-01-PU00001"}, ""},
		{DockParcel{Order: "SO-1", Status: ParcelReady}, "without an SSCC"},
		{DockParcel{SSCC: "006141410020000016", Status: ParcelReady}, "names no order"},
		{DockParcel{SSCC: "006141410020000016", Order: "SO-1", Status: "lost\x07"}, `has status lost\x07: want ready`},
	} {
		err := tc.p.Check()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.p, err, tc.want)
		}
	}
}

// FuzzPulledParcel: a pulled change read from any bytes either fails to
// decode, fails its checks with words, or is a parcel change whose parcel
// passes its own check; never a panic.
func FuzzPulledParcel(f *testing.F) {
	f.Add([]byte(`{"seq":88,"kind":"parcel","parcel":{"sscc":"006141410010000019","order":"SO-1001","shipment":"SO-1001-1","carrier":"UPS","status":"ready","holds":[{"reason":"ADDRESS"}]}}`))
	f.Add([]byte(`{"seq":1,"kind":"parcel","parcel":{"sscc":"","order":"SO-1","status":"ready"}}`))
	f.Add([]byte(`{"seq":2,"kind":"parcel","tote":{"code":"T1"},"parcel":{"sscc":"1","order":"o","status":"shipped"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var c Change
		if json.Unmarshal(body, &c) != nil {
			return
		}
		if err := c.Check(); err != nil {
			if err.Error() == "" {
				t.Fatal("a refusal without words")
			}
			return
		}
		if c.Kind != KindParcel {
			return
		}
		if c.Parcel == nil {
			t.Fatal("a parcel change passed its check without a parcel")
		}
		if err := c.Parcel.Check(); err == nil && (c.Parcel.SSCC == "" || c.Parcel.Order == "" ||
			c.Parcel.Status != ParcelReady && c.Parcel.Status != ParcelVoided && c.Parcel.Status != ParcelShipped) {
			t.Fatalf("parcel %+v passed its check", c.Parcel)
		}
	})
}
