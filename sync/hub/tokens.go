package hub

import (
	"context"
	"crypto/subtle"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Console is the principal of the hub's own command line (`tote hub
// token`, `import`, ...): whoever can run it can open the database, so it
// holds every scope. user names them in the audit log.
func Console(user string) Principal {
	return Principal{ID: "console:" + user, Kind: TokenAdmin, Scopes: slices.Clone(AllScopes)}
}

// Authenticate finds the principal of a live token by its hash. The
// token is found by the SHA-256 of what was sent, so how long the lookup
// takes says nothing about the token; the hash found is compared in
// constant time all the same. A revoked or expired token is refused with
// its reason, so the person at the station knows to ask for a new one.
func (s *Service) Authenticate(ctx context.Context, tokenHash string, at time.Time) (Principal, error) {
	var p Principal
	err := s.store.Read(ctx, func(tx StoreTx) error {
		rec, ok, err := tx.Token(tokenHash)
		if err != nil {
			return err
		}
		if !ok || subtle.ConstantTimeCompare([]byte(rec.Hash), []byte(tokenHash)) != 1 {
			return protocol.Errorf(protocol.CodeUnauth, "the hub does not know this token: check the token file, or ask for a new token")
		}
		if rec.RevokedAt != nil {
			return protocol.Errorf(protocol.CodeUnauth, "token %s was revoked at %s: ask the office for a new token", rec.ID, rec.RevokedAt.UTC().Format(time.RFC3339))
		}
		if rec.ExpiresAt != nil && !at.Before(*rec.ExpiresAt) {
			return protocol.Errorf(protocol.CodeUnauth, "token %s expired at %s: ask the office for a new token", rec.ID, rec.ExpiresAt.UTC().Format(time.RFC3339))
		}
		p = rec.Principal
		return nil
	})
	return p, err
}

// HasToken reports whether a live token of kind exists, so `tote hub`
// can make the first admin token on a new database.
func (s *Service) HasToken(ctx context.Context, kind string) (bool, error) {
	var has bool
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { has, err = tx.AnyToken(kind); return err })
	return has, err
}

// AddToken adds a token asked for by by. A station token needs a
// registered station and by to hold ScopeOperate (it is how a station is
// given a new token); an admin token needs ScopeTokens, and grants no
// scope by does not hold, so no token can make a stronger one.
func (s *Service) AddToken(ctx context.Context, t TokenRecord, by Principal) error {
	if err := checkNewToken(t, by); err != nil {
		return err
	}
	t.ID = TokenID(t.Hash)
	t.CreatedBy = by.Who()
	return s.store.Tx(ctx, func(tx StoreTx) error {
		if t.Kind == TokenStation {
			if err := stationExists(tx, t.Station); err != nil {
				return err
			}
		}
		return tx.PutToken(t)
	})
}

func checkNewToken(t TokenRecord, by Principal) error {
	if len(t.Hash) != 64 {
		return fmt.Errorf("token hash %q is not a SHA-256", clip(t.Hash))
	}
	if err := optionalText("token label", t.Label, floor.MaxDescriptionLen); err != nil {
		return err
	}
	switch t.Kind {
	case TokenStation:
		if !by.Has(ScopeOperate) {
			return protocol.Errorf(protocol.CodeForbidden, "token %s has no %q scope: it cannot give a station a token", by.ID, ScopeOperate)
		}
		if len(t.Scopes) > 0 {
			return protocol.Errorf(protocol.CodeBadRequest, "a station token has no scopes: it pushes and pulls for its station")
		}
		if err := protocol.CheckStationID(t.Station); err != nil {
			return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
		}
	case TokenAdmin:
		if !by.Has(ScopeTokens) {
			return protocol.Errorf(protocol.CodeForbidden, "token %s has no %q scope: it cannot make admin tokens", by.ID, ScopeTokens)
		}
		if t.Station != "" {
			return protocol.Errorf(protocol.CodeBadRequest, "an admin token belongs to no station")
		}
		if len(t.Scopes) == 0 {
			return protocol.Errorf(protocol.CodeBadRequest, "an admin token needs scopes: %s", strings.Join(AllScopes, ", "))
		}
		for _, sc := range t.Scopes {
			if !slices.Contains(AllScopes, sc) {
				return protocol.Errorf(protocol.CodeBadRequest, "scope %q: use %s", floor.Printable(sc), strings.Join(AllScopes, ", "))
			}
			if !by.Has(sc) {
				return protocol.Errorf(protocol.CodeForbidden, "token %s has no %q scope: it cannot grant it", by.ID, sc)
			}
		}
	default:
		return protocol.Errorf(protocol.CodeBadRequest, "token kind %q: use admin or station", floor.Printable(t.Kind))
	}
	return nil
}

// Tokens lists every token, live or not, without hashes.
func (s *Service) Tokens(ctx context.Context) ([]TokenRecord, error) {
	var out []TokenRecord
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { out, err = tx.Tokens(); return err })
	return out, err
}

// RevokeToken ends a token at once: its next request is refused. To
// rotate a token without downtime, make the new one, put it in place,
// then revoke the old (docs/security.md).
func (s *Service) RevokeToken(ctx context.Context, id string, by Principal, at time.Time) error {
	if !by.Has(ScopeTokens) {
		return protocol.Errorf(protocol.CodeForbidden, "token %s has no %q scope: it cannot revoke tokens", by.ID, ScopeTokens)
	}
	return s.store.Tx(ctx, func(tx StoreTx) error {
		ok, err := tx.RevokeToken(id, at)
		if err == nil && !ok {
			return protocol.Errorf(protocol.CodeNotFound, "no token has id %s: `tote hub token --list` lists them", floor.Printable(id))
		}
		return err
	})
}

// Audit lists the recorded admin actions after id.
func (s *Service) Audit(ctx context.Context, after int64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { out, err = tx.AuditLog(after, limit); return err })
	return out, err
}

// RecordAudit records an action that wrote nothing (a refusal): actions
// that write are recorded by the transaction that writes them (WithAudit).
func (s *Service) RecordAudit(ctx context.Context, a AuditEntry) error {
	// Not the action's own note: that would record it as done as well.
	ctx = context.WithValue(context.WithoutCancel(ctx), auditKey{}, (*auditNote)(nil))
	return s.store.Tx(ctx, func(tx StoreTx) error { return tx.InsertAudit(a) })
}

// Issue makes a token as req asks, adds it for by, and returns it: the
// one time it is shown. A "reader" token is an admin token with read
// alone (its old name).
func Issue(ctx context.Context, api API, req protocol.NewToken, by Principal, at time.Time) (protocol.Registered, error) {
	if req.Kind == TokenReader {
		req.Kind, req.Scopes = TokenAdmin, []string{ScopeRead}
	}
	if req.ExpiresInHours < 0 {
		return protocol.Registered{}, protocol.Errorf(protocol.CodeBadRequest, "expires_in_hours %d: give a positive number of hours, or none for a token that does not expire", req.ExpiresInHours)
	}
	token := NewToken(req.Kind)
	t := TokenRecord{Principal: Principal{Kind: req.Kind, Station: req.Station, Scopes: req.Scopes}, Hash: HashToken(token),
		Label: req.Label, CreatedAt: at}
	if req.ExpiresInHours > 0 {
		exp := at.Add(time.Duration(req.ExpiresInHours) * time.Hour)
		t.ExpiresAt = &exp
	}
	if err := api.AddToken(ctx, t, by); err != nil {
		return protocol.Registered{}, err
	}
	return protocol.Registered{Station: req.Station, Kind: req.Kind, Token: token, ID: TokenID(t.Hash), Scopes: t.Scopes, ExpiresAt: t.ExpiresAt}, nil
}
