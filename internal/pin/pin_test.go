package pin

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := Hash("B1", "246813")
	if !strings.HasPrefix(h, "scrypt$32768$8$1$") || !Verify(h, "B1", "246813") {
		t.Fatalf("hash %q does not verify its PIN", h)
	}
	for _, c := range [][2]string{{"B1", "246814"}, {"B2", "246813"}, {"B1", ""}} {
		if Verify(h, c[0], c[1]) {
			t.Errorf("%q verifies badge %s PIN %q", h, c[0], c[1])
		}
	}
	if h2 := Hash("B1", "246813"); h2 == h {
		t.Fatal("two hashes of one PIN are equal: no salt")
	}
	// A hostile hash costs no more than the bounds allow.
	for _, bad := range []string{"scrypt$1073741824$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA", "scrypt$x", "plain", h + "$"} {
		if Verify(bad, "B1", "246813") || (bad != "plain" && bad != "scrypt$x" && Valid(bad) && Verify(bad, "B1", "246813")) {
			t.Errorf("%q verifies", bad)
		}
	}
}

// TestLegacyHashesStillVerify: hashes of before 0.9 keep working.
func TestLegacyHashesStillVerify(t *testing.T) {
	sum := sha256.Sum256([]byte("tote-pin\x00B1004\x002468"))
	old := hex.EncodeToString(sum[:])
	if !Legacy(old) || !Verify(old, "B1004", "2468") || Verify(old, "B1004", "2469") {
		t.Fatal("a legacy hash does not verify as before")
	}
}

func TestCheckDigits(t *testing.T) {
	for pin, ok := range map[string]bool{"123456": true, "12345": false, "12345a": false, "1234567890123": false, "000000000000": true} {
		if (CheckDigits(pin, 6) == nil) != ok {
			t.Errorf("%q: want ok=%v", pin, ok)
		}
	}
}

// BenchmarkVerify is the cost of one PIN check at a station (one guess).
func BenchmarkVerify(b *testing.B) {
	h := Hash("B1", "246813")
	for b.Loop() {
		Verify(h, "B1", "246813")
	}
}
