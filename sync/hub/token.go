package hub

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Token kinds. A station token pushes and pulls for its one station; an
// admin token runs what its scopes allow of the admin and read APIs.
// TokenReader is the old name of an admin token with ScopeRead alone:
// asking for one makes that.
const (
	TokenStation = "station"
	TokenAdmin   = "admin"
	TokenReader  = "reader"
)

// Scopes of admin tokens. Each admin endpoint needs one.
const (
	ScopeImport  = "import"       // reference data and orders
	ScopeOperate = "operate"      // stations, waves, holds, cancellations, labels
	ScopeRead    = "read"         // the read API and lists
	ScopeTokens  = "admin-tokens" // make, list and revoke tokens; read the audit log
)

// AllScopes are every scope, in the order they are listed.
var AllScopes = []string{ScopeImport, ScopeOperate, ScopeRead, ScopeTokens}

// ParseScopes reads a comma-separated list of scopes ("all" for every
// one), in AllScopes order without repeats.
func ParseScopes(s string) ([]string, error) {
	if strings.TrimSpace(s) == "all" {
		return slices.Clone(AllScopes), nil
	}
	want := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(AllScopes, f) {
			return nil, fmt.Errorf("scope %q: use %s (or all)", clip(f), strings.Join(AllScopes, ", "))
		}
		want[f] = true
	}
	if len(want) == 0 {
		return nil, fmt.Errorf("no scope given: use %s (or all)", strings.Join(AllScopes, ", "))
	}
	var out []string
	for _, sc := range AllScopes {
		if want[sc] {
			out = append(out, sc)
		}
	}
	return out, nil
}

// Has reports whether the principal's token grants scope.
func (p Principal) Has(scope string) bool {
	return p.Kind == TokenAdmin && slices.Contains(p.Scopes, scope)
}

// Who names the principal in logs and the audit log.
func (p Principal) Who() string {
	if p.Kind == TokenStation {
		return "station " + p.Station + " (token " + p.ID + ")"
	}
	return p.ID
}

// TokenRecord is a token as the hub keeps it: never the token itself.
type TokenRecord struct {
	Principal
	Hash      string     `json:"-"`
	Label     string     `json:"label,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// TokenID is the id a token is listed and revoked by: the start of its
// hash, which says nothing of the token.
func TokenID(hash string) string { return "tk-" + hash[:min(12, len(hash))] }

// AuditEntry is one admin action as recorded: who (a token id, or the
// command line's user), what (method and path, or the command), on what,
// and whether it was done or refused.
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Target  string    `json:"target,omitempty"`
	Outcome string    `json:"outcome"` // AuditDone or AuditRefused
	Detail  string    `json:"detail,omitempty"`
}

// Audit outcomes.
const (
	AuditDone    = "done"
	AuditRefused = "refused"
)

// BearerToken reads the token of an Authorization header. The scheme is
// matched ignoring case, as RFC 9110 says of auth schemes.
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

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
