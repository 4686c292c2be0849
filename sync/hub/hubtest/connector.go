package hubtest

import (
	"testing"

	"github.com/totewms/tote/sync/hub"
)

func init() {
	outboxTests = append(outboxTests, struct {
		name string
		fn   func(*testing.T, hub.Store)
	}{"ConnectorState", connectorState})
}

// connectorState: values by connector and key, replaced in place, listed
// by prefix in key order with a cursor, and gone with a rolled-back
// transaction.
func connectorState(t *testing.T, s hub.Store) {
	put := func(c, k, v string) {
		t.Helper()
		must(t, s.Tx(ctx, func(tx hub.StoreTx) error { return tx.PutConnectorValue(c, k, v, at) }))
	}
	put("shopify", "fo:2", "B")
	put("shopify", "fo:1", "A")
	put("shopify", "cursor", "7")
	put("other", "fo:1", "X")
	put("shopify", "fo:1", "A2")
	err := s.Tx(ctx, func(tx hub.StoreTx) error {
		if err := tx.PutConnectorValue("shopify", "fo:3", "C", at); err != nil {
			return err
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("rolled-back put: %v", err)
	}
	must(t, s.Read(ctx, func(tx hub.StoreTx) error {
		v, ok, err := tx.ConnectorValue("shopify", "fo:1")
		if err != nil || !ok || v != "A2" {
			t.Errorf("fo:1 = %q %v %v, want A2", v, ok, err)
		}
		if _, ok, err := tx.ConnectorValue("shopify", "fo:3"); ok || err != nil {
			t.Errorf("fo:3 of a rolled-back transaction: ok %v err %v", ok, err)
		}
		if _, ok, err := tx.ConnectorValue("nobody", "fo:1"); ok || err != nil {
			t.Errorf("another connector's key: ok %v err %v", ok, err)
		}
		es, err := tx.ConnectorValues("shopify", "fo:", "", 10)
		if err != nil || len(es) != 2 || es[0].Key != "fo:1" || es[1].Key != "fo:2" || es[1].Value != "B" {
			t.Errorf("fo: entries = %+v %v", es, err)
		}
		if len(es) > 0 && !es[0].UpdatedAt.Equal(at) {
			t.Errorf("updated at %v, want %v", es[0].UpdatedAt, at)
		}
		es, err = tx.ConnectorValues("shopify", "fo:", "fo:1", 10)
		if err != nil || len(es) != 1 || es[0].Key != "fo:2" {
			t.Errorf("after fo:1 = %+v %v", es, err)
		}
		es, err = tx.ConnectorValues("shopify", "", "", 1)
		if err != nil || len(es) != 1 || es[0].Key != "cursor" {
			t.Errorf("first of all = %+v %v", es, err)
		}
		return nil
	}))
}
