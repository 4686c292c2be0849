package hub

import (
	"context"
	"time"
)

// The audit log. An admin action carries its entry in its context
// (WithAudit); the first write transaction the action commits records it
// in that same transaction, so no action is done unrecorded and no
// record is left of an action that was not done.

type auditKey struct{}

// auditNote is the entry an action carries; written once it committed.
type auditNote struct {
	entry   AuditEntry
	written bool
}

// WithAudit marks ctx as the action of actor (a Principal's Who) at at.
func WithAudit(ctx context.Context, actor, action, target string, at time.Time) context.Context {
	return context.WithValue(ctx, auditKey{}, &auditNote{entry: AuditEntry{At: at, Actor: actor, Action: action, Target: target, Outcome: AuditDone}})
}

// AuditWritten reports whether ctx's action has been recorded: an action
// that fails before writing is recorded as refused by the caller.
func AuditWritten(ctx context.Context) bool {
	n, _ := ctx.Value(auditKey{}).(*auditNote)
	return n != nil && n.written
}

// actorOf names who ctx's action is by ("" for none).
func actorOf(ctx context.Context) string {
	if n, _ := ctx.Value(auditKey{}).(*auditNote); n != nil {
		return n.entry.Actor
	}
	return ""
}

// audited is a Store whose write transactions record their context's
// action.
type audited struct{ Store }

func (a audited) Tx(ctx context.Context, fn func(StoreTx) error) error {
	n, _ := ctx.Value(auditKey{}).(*auditNote)
	if n == nil || n.written {
		return a.Store.Tx(ctx, fn)
	}
	err := a.Store.Tx(ctx, func(tx StoreTx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tx.InsertAudit(n.entry)
	})
	if err == nil {
		n.written = true
	}
	return err
}
