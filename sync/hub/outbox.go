package hub

import (
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// OutboxTx is the store's part for the outbox of facts and their webhook
// deliveries (docs/oms.md). StoreTx embeds it.
//
// The facts-ordering rule is the feed's (see Store): a fact's id is
// greater than any before it, and a reader reads only up to FactsSafe,
// the highest id at or below which every fact is committed and visible.
// On SQLite one writer commits in id order, so FactsSafe is the highest
// id. A PostgreSQL store, where a transaction holding id 11 can commit
// before one holding 10, must keep FactsSafe below the oldest id still in
// flight (or take ids under one lock held to commit), or a reader whose
// cursor passed 11 would never see 10.
type OutboxTx interface {
	// AppendFact appends a fact about f.Order; the store gives it the
	// next id and the order's next seq (f's are ignored) and returns it.
	AppendFact(f protocol.Fact) (protocol.Fact, error)
	FactsSafe() (int64, error)
	// Facts lists facts after after and at or below upTo, by id, at most limit.
	Facts(after, upTo int64, limit int) ([]protocol.Fact, error)

	// Webhook endpoints.
	PutWebhook(w Webhook) error // adds or replaces by ID
	Webhook(id string) (Webhook, bool, error)
	Webhooks() ([]Webhook, error) // by id

	// Deliveries. InsertDelivery adds one unless the endpoint has the
	// fact already (then it does nothing); d.Fact needs only its ID,
	// Order and Seq.
	InsertDelivery(d Delivery) error
	// UpdateDelivery writes a delivery's status, attempts, next time and
	// last error.
	UpdateDelivery(d Delivery) error
	Delivery(id string) (Delivery, bool, error)
	// DueDeliveries lists pending deliveries due at now that are their
	// order's first undelivered one for their endpoint (a later fact of an
	// order waits for the earlier, even a dead one), by fact id, at most
	// limit, each with its whole fact.
	DueDeliveries(now time.Time, limit int) ([]Delivery, error)
	// NextDue is the earliest next time of a pending delivery that is its
	// order's first undelivered one (those behind a dead one wait).
	NextDue() (time.Time, bool, error)
	// PruneDeliveries deletes the delivered deliveries whose delivering
	// attempt was due before before; dead and pending ones stay.
	PruneDeliveries(before time.Time) error
	// Deliveries lists an endpoint's deliveries of a status ("" for any)
	// after a fact id, by fact id, at most limit, each with its whole fact.
	Deliveries(webhook, status string, after int64, limit int) ([]Delivery, error)
}

// Webhook is an endpoint the hub posts facts to. Kinds empty: every kind.
// PrevSecret still signs until PrevUntil (the overlap of a rotation).
type Webhook struct {
	ID         string
	URL        string
	Secret     string
	PrevSecret string
	PrevUntil  time.Time
	Kinds      []string
	Scanned    int64 // facts up to here are turned into deliveries
	CreatedAt  time.Time
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Delivery is one fact to one endpoint, with its retry state. ID stays the
// same across retries.
type Delivery struct {
	ID        string
	Webhook   string
	Fact      protocol.Fact
	Status    string
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Wants reports whether the endpoint takes facts of kind.
func (w Webhook) Wants(kind string) bool {
	if len(w.Kinds) == 0 {
		return true
	}
	for _, k := range w.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}
