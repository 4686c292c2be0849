package labels

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus reads the carrier labels in testdata/carrier: shaped like UPS,
// FedEx, USPS and DHL 4×6 labels (MaxiCode, PDF417, QR, Data Matrix,
// Code 128, hex graphics, ^FB, ^FR, ^CF, ^FW, UTF-8 through ^FH).
func corpus(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/carrier/*.zpl")
	if err != nil || len(paths) < 4 {
		t.Fatalf("the carrier corpus: %v %v", paths, err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

func TestCarrierCorpusAccepted(t *testing.T) {
	for name, zpl := range corpus(t) {
		if err := ValidateCarrierZPL(zpl, false); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCarrierCorpusForbidden puts each forbidden command into each label of
// the corpus, inside the format and before it: every one is refused, and
// the refusal names it.
func TestCarrierCorpusForbidden(t *testing.T) {
	forbidden := []string{
		// printer configuration and memory
		"~JR", "^ID", "~JA", "^JU", "~HS", "^JUS", "~JC", "^JMA", "^JZY", "^KPA", "^KNname", "^MD10", "~SD15", "^MMT", "^MNY", "^MTD",
		"^MUD", "^PR4", "~TA000", "^LS0", "^LT10", "^NSA", "~WC", "^WD", "^HH", "~HI", "~HM", "^HWR:", "^SC9600", "^SEE:UHANGUL.DAT",
		"^DFR:FORM.ZPL", "~DGR:X.GRF,2,1,FF00", "~DYR:F,B,T,1,,x", "^ISR:X.GRF", "~EG", "^CWX,E:FONT.TTF", "~PH", "^PF10", "~PP", "~RO",
		// effects tote's own labels never reset
		"^POI", "^PMY", "^LRY",
		// the stream's syntax
		"^CC+", "~CT+", "^CD;", "^SZ1",
		// stored objects and anything off the list
		"^XGR:LOGO.GRF,1,1", "^IMR:LOGO.PNG", "^XFR:FORM.ZPL", "^FN1", "^SN001,1,Y", "^ZZ", "^PQ5",
	}
	for name, zpl := range corpus(t) {
		for _, cmd := range forbidden {
			want := strings.ToUpper(cmd[:3])
			for where, bad := range map[string][]byte{
				"inside":  bytes.Replace(zpl, []byte("^XA"), []byte("^XA"+cmd), 1),
				"before":  append([]byte(cmd+"\n"), zpl...),
				"in data": bytes.Replace(zpl, []byte("^FS"), []byte(cmd+"^FS"), 1),
			} {
				err := ValidateCarrierZPL(bad, false)
				if err == nil {
					t.Errorf("%s with %s %s: accepted", name, cmd, where)
				} else if !strings.Contains(err.Error(), want) {
					t.Errorf("%s with %s %s: %v (want the command named)", name, cmd, where, err)
				}
			}
		}
	}
}

func TestCarrierLabelSizeLimit(t *testing.T) {
	big := []byte("^XA^FO0,0^GFA,1,1,1," + strings.Repeat("F", MaxCarrierZPL) + "^FS^XZ")
	if err := ValidateCarrierZPL(big, true); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("an oversized label: %v", err)
	}
}
