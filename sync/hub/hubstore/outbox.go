package hubstore

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The outbox's statements. A fact's order seq is taken in its insert:
// one writer, so no two transactions race for it.
const (
	qFactInsert = `INSERT INTO facts(order_id, order_seq, kind, at, body)
		VALUES (?1, COALESCE((SELECT MAX(order_seq) FROM facts WHERE order_id=?1), 0) + 1, ?2, ?3, ?4) RETURNING id, order_seq`
	qFacts        = `SELECT id, order_id, order_seq, kind, at, body FROM facts WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`
	qDeliveryCols = `d.id, d.webhook, d.fact_id, d.order_id, d.order_seq, d.status, d.attempts, d.next_at, d.last_error, d.created_at, d.updated_at,
		f.kind, f.at, f.body`
)

// qHeadOfOrder: no earlier fact of the order is undelivered to the endpoint.
const qHeadOfOrder = `NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.webhook=d.webhook AND e.order_id=d.order_id
	AND e.order_seq < d.order_seq AND e.status <> 'delivered')`

func millis(t time.Time) int64 { return t.UnixMilli() }

func (t *storeTx) AppendFact(f protocol.Fact) (protocol.Fact, error) {
	err := t.row(qFactInsert, f.Order, f.Kind, stamp(f.At), string(f.Data)).Scan(&f.ID, &f.Seq)
	return f, err
}

func (t *storeTx) FactsSafe() (int64, error) {
	var n int64
	err := t.row(`SELECT COALESCE(MAX(id), 0) FROM facts`).Scan(&n)
	return n, err
}

func (t *storeTx) Facts(after, upTo int64, limit int) ([]protocol.Fact, error) {
	rows, err := t.query(qFacts, after, upTo, limit)
	return list(rows, err, func(r *sql.Rows, f *protocol.Fact) error {
		var at, body string
		if err := r.Scan(&f.ID, &f.Order, &f.Seq, &f.Kind, &at, &body); err != nil {
			return err
		}
		f.At, f.Data = parseStamp(at), json.RawMessage(body)
		return nil
	})
}

const qWebhookCols = `id, url, secret, prev_secret, prev_until, kinds, scanned, created_at`

func scanWebhook(r interface{ Scan(...any) error }, w *hub.Webhook) error {
	var prev, kinds, created string
	if err := r.Scan(&w.ID, &w.URL, &w.Secret, &w.PrevSecret, &prev, &kinds, &w.Scanned, &created); err != nil {
		return err
	}
	if prev != "" {
		w.PrevUntil = parseStamp(prev)
	}
	if kinds != "" {
		w.Kinds = strings.Split(kinds, ",")
	}
	w.CreatedAt = parseStamp(created)
	return nil
}

func (t *storeTx) PutWebhook(w hub.Webhook) error {
	prev := ""
	if !w.PrevUntil.IsZero() {
		prev = stamp(w.PrevUntil)
	}
	return t.run(`INSERT OR REPLACE INTO webhooks(`+qWebhookCols+`) VALUES (?,?,?,?,?,?,?,?)`,
		w.ID, w.URL, w.Secret, w.PrevSecret, prev, strings.Join(w.Kinds, ","), w.Scanned, stamp(w.CreatedAt))
}

func (t *storeTx) Webhook(id string) (hub.Webhook, bool, error) {
	var w hub.Webhook
	ok, err := found(scanWebhook(t.row(`SELECT `+qWebhookCols+` FROM webhooks WHERE id=?`, id), &w))
	return w, ok, err
}

func (t *storeTx) Webhooks() ([]hub.Webhook, error) {
	rows, err := t.query(`SELECT ` + qWebhookCols + ` FROM webhooks ORDER BY id`)
	return list(rows, err, func(r *sql.Rows, w *hub.Webhook) error { return scanWebhook(r, w) })
}

func (t *storeTx) InsertDelivery(d hub.Delivery) error {
	return t.run(`INSERT INTO deliveries(id, webhook, fact_id, order_id, order_seq, status, attempts, next_at, last_error, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(webhook, fact_id) DO NOTHING`,
		d.ID, d.Webhook, d.Fact.ID, d.Fact.Order, d.Fact.Seq, d.Status, d.Attempts, millis(d.NextAt), d.LastError, stamp(d.CreatedAt), stamp(d.UpdatedAt))
}

func (t *storeTx) UpdateDelivery(d hub.Delivery) error {
	return t.run(`UPDATE deliveries SET status=?, attempts=?, next_at=?, last_error=?, created_at=?, updated_at=? WHERE id=?`,
		d.Status, d.Attempts, millis(d.NextAt), d.LastError, stamp(d.CreatedAt), stamp(d.UpdatedAt), d.ID)
}

// PruneDeliveries: next_at is when the delivering attempt was due (a
// number, so it compares as time).
func (t *storeTx) PruneDeliveries(before time.Time) error {
	return t.run(`DELETE FROM deliveries WHERE status='delivered' AND next_at < ?`, before.UnixMilli())
}

func scanDelivery(r interface{ Scan(...any) error }, d *hub.Delivery) error {
	var next int64
	var created, updated, at, body string
	if err := r.Scan(&d.ID, &d.Webhook, &d.Fact.ID, &d.Fact.Order, &d.Fact.Seq, &d.Status, &d.Attempts, &next, &d.LastError, &created, &updated,
		&d.Fact.Kind, &at, &body); err != nil {
		return err
	}
	d.NextAt, d.CreatedAt, d.UpdatedAt = time.UnixMilli(next).UTC(), parseStamp(created), parseStamp(updated)
	d.Fact.At, d.Fact.Data = parseStamp(at), json.RawMessage(body)
	return nil
}

func (t *storeTx) Delivery(id string) (hub.Delivery, bool, error) {
	var d hub.Delivery
	ok, err := found(scanDelivery(t.row(`SELECT `+qDeliveryCols+` FROM deliveries d JOIN facts f ON f.id=d.fact_id WHERE d.id=?`, id), &d))
	return d, ok, err
}

func (t *storeTx) DueDeliveries(now time.Time, limit int) ([]hub.Delivery, error) {
	rows, err := t.query(`SELECT `+qDeliveryCols+` FROM deliveries d JOIN facts f ON f.id=d.fact_id
		WHERE d.status='pending' AND d.next_at <= ? AND `+qHeadOfOrder+`
		ORDER BY d.fact_id LIMIT ?`, millis(now), limit)
	return list(rows, err, func(r *sql.Rows, d *hub.Delivery) error { return scanDelivery(r, d) })
}

func (t *storeTx) NextDue() (time.Time, bool, error) {
	var next sql.NullInt64
	if err := t.row(`SELECT MIN(d.next_at) FROM deliveries d WHERE d.status='pending' AND ` + qHeadOfOrder).Scan(&next); err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return time.UnixMilli(next.Int64).UTC(), true, nil
}

func (t *storeTx) Deliveries(webhook, status string, after int64, limit int) ([]hub.Delivery, error) {
	rows, err := t.query(`SELECT `+qDeliveryCols+` FROM deliveries d JOIN facts f ON f.id=d.fact_id
		WHERE d.webhook=? AND (?='' OR d.status=?) AND d.fact_id > ? ORDER BY d.fact_id LIMIT ?`, webhook, status, status, after, limit)
	return list(rows, err, func(r *sql.Rows, d *hub.Delivery) error { return scanDelivery(r, d) })
}
