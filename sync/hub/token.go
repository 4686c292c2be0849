package hub

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Token kinds. A station token pushes and pulls for its one station; an
// admin token runs the admin and read APIs; a reader token only reads.
const (
	TokenStation = "station"
	TokenAdmin   = "admin"
	TokenReader  = "reader"
)

// NewToken makes a random token: 32 bytes from crypto/rand, base64url, with
// a prefix saying what it is for (so a token pasted in the wrong place is
// recognisable). The hub keeps only HashToken of it.
func NewToken(kind string) string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return "tote_" + kind + "_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken is how a token is stored and looked up: SHA-256, hex. A
// random 256-bit token needs no salt or slow hash.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}

// Cursor is a station's position in its change feed. It names the hub
// database it came from, the station's reset epoch, and the last change
// applied with that change's random tag, so a cursor from another hub,
// from before a reset, or from before the hub was restored from a backup
// (its position now holds another change, or none) makes the station
// refetch its slice.
type Cursor struct {
	Hub   string // the hub database's id, 16 hex digits
	Epoch int64
	Seq   int64 // the last change applied, 0 for none
	Tag   int64 // that change's tag, 0 for none
}

// String is the cursor as the station stores it: opaque to the station.
func (c Cursor) String() string {
	return fmt.Sprintf("1.%s.%d.%d.%d", c.Hub, c.Epoch, c.Seq, c.Tag)
}

// ParseCursor reads a cursor made by String.
func ParseCursor(s string) (Cursor, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 5 || parts[0] != "1" {
		return Cursor{}, fmt.Errorf("cursor %q is not one this hub made", clip(s))
	}
	c := Cursor{Hub: parts[1]}
	if len(c.Hub) != 16 || strings.Trim(c.Hub, "0123456789abcdef") != "" {
		return Cursor{}, fmt.Errorf("cursor %q has no valid hub id", clip(s))
	}
	var err error
	if c.Epoch, err = strconv.ParseInt(parts[2], 10, 64); err != nil || c.Epoch < 1 {
		return Cursor{}, fmt.Errorf("cursor %q has no valid epoch", clip(s))
	}
	if c.Seq, err = strconv.ParseInt(parts[3], 10, 64); err != nil || c.Seq < 0 {
		return Cursor{}, fmt.Errorf("cursor %q has no valid position", clip(s))
	}
	if c.Tag, err = strconv.ParseInt(parts[4], 10, 64); err != nil || (c.Seq == 0 && c.Tag != 0) {
		return Cursor{}, fmt.Errorf("cursor %q has no valid tag", clip(s))
	}
	return c, nil
}

func clip(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
