// Package pin keeps operators' PINs: a slow, salted hash (scrypt), so
// that the hash a station holds does not give the PIN away in a few
// thousand tries, and the check of a typed PIN against it.
//
// The limit of it. A station checks PINs offline, so it holds every
// operator's hash; whoever copies a station's database can try PINs
// against a hash at their own pace. scrypt makes each try cost about
// 50 ms and 32 MiB, so the 10^6 six-digit PINs cost about 14 CPU-hours
// per operator rather than a second: long enough to notice a stolen
// terminal and change the PINs, not long enough to make a short PIN a
// secret. The lockout (station) only slows guessing at the keyboard.
package pin

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// The cost of a new hash: N (CPU and memory), r, p. A hash carries its
// own, so they can rise without making old hashes unreadable.
const (
	costN  = 1 << 15
	costR  = 8
	costP  = 1
	keyLen = 32
)

// prefix names the scheme of a hash made by Hash.
const prefix = "scrypt$"

// Hash makes the hash a PIN is kept as: scrypt over the badge and the
// PIN with a random salt, written with its cost as
// scrypt$N$r$p$salt$key (base64url).
func Hash(badge, pin string) string {
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	key, err := scrypt.Key(input(badge, pin), salt[:], costN, costR, costP, keyLen)
	if err != nil {
		panic(err) // the constant cost is valid
	}
	enc := base64.RawURLEncoding
	return fmt.Sprintf("%s%d$%d$%d$%s$%s", prefix, costN, costR, costP, enc.EncodeToString(salt[:]), enc.EncodeToString(key))
}

func input(badge, pin string) []byte { return []byte("tote-pin\x00" + badge + "\x00" + pin) }

// Verify reports whether pin is the PIN of hash for badge. It reads the
// hashes Hash makes and the unsalted SHA-256 ones of tote before 0.9
// (Legacy), so operators keep signing in until their PINs are imported
// again. A hash that does not read verifies nothing.
func Verify(hash, badge, pin string) bool {
	if Legacy(hash) {
		sum := sha256.Sum256(input(badge, pin))
		return subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(hash)) == 1
	}
	rest, ok := strings.CutPrefix(hash, prefix)
	if !ok {
		return false
	}
	f := strings.Split(rest, "$")
	if len(f) != 5 {
		return false
	}
	n, err1 := strconv.Atoi(f[0])
	r, err2 := strconv.Atoi(f[1])
	p, err3 := strconv.Atoi(f[2])
	salt, err4 := base64.RawURLEncoding.DecodeString(f[3])
	want, err5 := base64.RawURLEncoding.DecodeString(f[4])
	// Bounds keep a hostile hash from costing the station more than a
	// real one: at most 2^20 and 1 GiB.
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || err5 != nil ||
		n < 2 || n > 1<<20 || r < 1 || r > 16 || p < 1 || p > 4 || len(want) < 16 || len(want) > 64 {
		return false
	}
	got, err := scrypt.Key(input(badge, pin), salt, n, r, p, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// Legacy reports whether hash is an unsalted SHA-256 hash of tote before
// 0.9: its PIN should be imported again.
func Legacy(hash string) bool {
	if len(hash) != 64 {
		return false
	}
	_, err := hex.DecodeString(hash)
	return err == nil
}

// Valid reports whether hash is one Verify reads ("" is no PIN).
func Valid(hash string) bool {
	return hash == "" || Legacy(hash) || strings.HasPrefix(hash, prefix) && strings.Count(hash, "$") == 5
}

// CheckDigits says what is wrong with a PIN under a site's rule: digits
// only, at least min of them (at most 12).
func CheckDigits(pin string, min int) error {
	if len(pin) < min || len(pin) > 12 || strings.Trim(pin, "0123456789") != "" {
		return fmt.Errorf("a PIN is %d to 12 digits", min)
	}
	return nil
}
