package hub

import "time"

// ConnectorTx is the store's part for the durable state of a connector to
// an outside system (sync/shopify): small values by key, written in the
// connector's own transactions, so it resumes where it stopped after a
// restart. StoreTx embeds it. A connector names itself; keys are its own.
type ConnectorTx interface {
	// ConnectorValue reads a value; ok false when the key has none.
	ConnectorValue(connector, key string) (value string, ok bool, err error)
	// PutConnectorValue adds or replaces a value.
	PutConnectorValue(connector, key, value string, at time.Time) error
	// ConnectorValues lists the keys starting with prefix and their
	// values, by key, after the key after ("" from the start), at most limit.
	ConnectorValues(connector, prefix, after string, limit int) ([]ConnectorEntry, error)
}

// ConnectorEntry is one key of a connector's state.
type ConnectorEntry struct {
	Key, Value string
	UpdatedAt  time.Time
}
