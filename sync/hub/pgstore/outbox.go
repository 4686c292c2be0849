package pgstore

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// factsLock serialises the taking of fact ids, as feedLock the feed's:
// held to commit, so facts commit in id order and FactsSafe is the
// highest id a snapshot sees (the facts-ordering rule, hub.OutboxTx).
const factsLock int64 = 0x746f7465_00000003

func (t *storeTx) AppendFact(f protocol.Fact) (protocol.Fact, error) {
	if !t.factsLocked {
		if _, err := t.exec(`SELECT pg_advisory_xact_lock($1)`, factsLock); err != nil {
			return f, err
		}
		t.factsLocked = true
	}
	err := t.row(`INSERT INTO facts(id, order_id, order_seq, kind, at, body)
		VALUES (nextval('facts_seq'), $1, COALESCE((SELECT MAX(order_seq) FROM facts WHERE order_id=$1), 0) + 1, $2, $3, $4)
		RETURNING id, order_seq`, f.Order, f.Kind, stamp(f.At), string(f.Data)).Scan(&f.ID, &f.Seq)
	return f, err
}

func (t *storeTx) FactsSafe() (int64, error) {
	var n int64
	err := t.row(`SELECT COALESCE(MAX(id), 0) FROM facts`).Scan(&n)
	return n, err
}

func (t *storeTx) Facts(after, upTo int64, limit int) ([]protocol.Fact, error) {
	return list(t, `SELECT id, order_id, order_seq, kind, at, body FROM facts WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
		args(after, upTo, limit), func(r pgx.Rows, f *protocol.Fact) error {
			var at, body string
			if err := r.Scan(&f.ID, &f.Order, &f.Seq, &f.Kind, &at, &body); err != nil {
				return err
			}
			f.At, f.Data = parseStamp(at), json.RawMessage(body)
			return nil
		})
}

const webhookCols = `id, url, secret, prev_secret, prev_until, kinds, scanned, created_at`

func scanWebhook(r pgx.Row, w *hub.Webhook) error {
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
	return t.run(`INSERT INTO webhooks(`+webhookCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
		ON CONFLICT (id) DO UPDATE SET url=excluded.url, secret=excluded.secret, prev_secret=excluded.prev_secret,
		prev_until=excluded.prev_until, kinds=excluded.kinds, scanned=excluded.scanned, created_at=excluded.created_at`,
		w.ID, w.URL, w.Secret, w.PrevSecret, prev, strings.Join(w.Kinds, ","), w.Scanned, stamp(w.CreatedAt))
}

func (t *storeTx) Webhook(id string) (hub.Webhook, bool, error) {
	var w hub.Webhook
	ok, err := found(scanWebhook(t.row(`SELECT `+webhookCols+` FROM webhooks WHERE id=$1`, id), &w))
	return w, ok, err
}

func (t *storeTx) Webhooks() ([]hub.Webhook, error) {
	return list(t, `SELECT `+webhookCols+` FROM webhooks ORDER BY id`, nil, func(r pgx.Rows, w *hub.Webhook) error { return scanWebhook(r, w) })
}

func (t *storeTx) InsertDelivery(d hub.Delivery) error {
	return t.run(`INSERT INTO deliveries(id, webhook, fact_id, order_id, order_seq, status, attempts, next_at, last_error, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (webhook, fact_id) DO NOTHING`,
		d.ID, d.Webhook, d.Fact.ID, d.Fact.Order, d.Fact.Seq, d.Status, d.Attempts, d.NextAt.UnixMilli(), d.LastError, stamp(d.CreatedAt), stamp(d.UpdatedAt))
}

func (t *storeTx) UpdateDelivery(d hub.Delivery) error {
	return t.run(`UPDATE deliveries SET status=$1, attempts=$2, next_at=$3, last_error=$4, created_at=$5, updated_at=$6 WHERE id=$7`,
		d.Status, d.Attempts, d.NextAt.UnixMilli(), d.LastError, stamp(d.CreatedAt), stamp(d.UpdatedAt), d.ID)
}

// PruneDeliveries: next_at is when the delivering attempt was due (a
// number, so it compares as time).
func (t *storeTx) PruneDeliveries(before time.Time) error {
	return t.run(`DELETE FROM deliveries WHERE status='delivered' AND next_at < $1`, before.UnixMilli())
}

const (
	deliveryCols = `d.id, d.webhook, d.fact_id, d.order_id, d.order_seq, d.status, d.attempts, d.next_at, d.last_error, d.created_at, d.updated_at,
		f.kind, f.at, f.body`
	headOfOrder = `NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.webhook=d.webhook AND e.order_id=d.order_id
	AND e.order_seq < d.order_seq AND e.status <> 'delivered')`
)

func scanDelivery(r pgx.Row, d *hub.Delivery) error {
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
	ok, err := found(scanDelivery(t.row(`SELECT `+deliveryCols+` FROM deliveries d JOIN facts f ON f.id=d.fact_id WHERE d.id=$1`, id), &d))
	return d, ok, err
}

func (t *storeTx) DueDeliveries(now time.Time, limit int) ([]hub.Delivery, error) {
	return list(t, `SELECT `+deliveryCols+` FROM deliveries d JOIN facts f ON f.id=d.fact_id
		WHERE d.status='pending' AND d.next_at <= $1 AND `+headOfOrder+` ORDER BY d.fact_id LIMIT $2`,
		args(now.UnixMilli(), limit), func(r pgx.Rows, d *hub.Delivery) error { return scanDelivery(r, d) })
}

func (t *storeTx) NextDue() (time.Time, bool, error) {
	var next *int64
	if err := t.row(`SELECT MIN(d.next_at) FROM deliveries d WHERE d.status='pending' AND ` + headOfOrder).Scan(&next); err != nil || next == nil {
		return time.Time{}, false, err
	}
	return time.UnixMilli(*next).UTC(), true, nil
}

func (t *storeTx) Deliveries(webhook, status string, after int64, limit int) ([]hub.Delivery, error) {
	return list(t, `SELECT `+deliveryCols+` FROM deliveries d JOIN facts f ON f.id=d.fact_id
		WHERE d.webhook=$1 AND ($2='' OR d.status=$2) AND d.fact_id > $3 ORDER BY d.fact_id LIMIT $4`,
		args(webhook, status, after, limit), func(r pgx.Rows, d *hub.Delivery) error { return scanDelivery(r, d) })
}
