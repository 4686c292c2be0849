package pgstore_test

import (
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
)

// TestRerunsRunOneAtATime: a transaction that failed to serialize runs
// again under the rerun lock, so a second rerun waits for the first to
// end, while first attempts do not wait for it.
func TestRerunsRunOneAtATime(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	// failOnce fails its first attempt as PostgreSQL does when it cannot
	// serialize, then reads (sending the BEGIN and what goes with it)
	// and waits for hold.
	failOnce := func(reading chan<- struct{}, hold <-chan struct{}) func(hub.StoreTx) error {
		attempt := 0
		return func(tx hub.StoreTx) error {
			attempt++
			if attempt == 1 {
				return &pgconn.PgError{Code: "40001", Message: "could not serialize access (test)"}
			}
			if _, _, err := tx.Station("CART-01"); err != nil {
				return err
			}
			close(reading)
			<-hold
			return nil
		}
	}
	aReading, aHold, aDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	release := sync.OnceFunc(func() { close(aHold) })
	t.Cleanup(release) // before the store closes: A gives its connection back
	go func() { aDone <- s.Tx(ctx, failOnce(aReading, aHold)) }()
	<-aReading // A runs again, holding the rerun lock

	bReading, bHold, bDone := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	close(bHold)
	go func() { bDone <- s.Tx(ctx, failOnce(bReading, bHold)) }()
	waitForAdvisoryWaiter(t, s, bDone)

	// A first attempt does not wait for the rerun lock.
	if err := s.Tx(ctx, func(tx hub.StoreTx) error { _, _, err := tx.Station("CART-02"); return err }); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-bDone:
		t.Fatalf("B's rerun finished while A's held the rerun lock: %v", err)
	default:
	}
	release()
	if err := <-aDone; err != nil {
		t.Fatal(err)
	}
	if err := <-bDone; err != nil {
		t.Fatal(err)
	}
	if n := s.Retries(); n != 2 {
		t.Fatalf("%d reruns, want 2", n)
	}
}
