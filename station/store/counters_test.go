package store_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station/store"
)

// TestSSCCSerialsNeverRepeat takes SSCC serials from many goroutines and
// across a restart: every SSCC built from them is valid and unique.
func TestSSCCSerialsNeverRepeat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	seen := map[string]bool{}
	var mu sync.Mutex
	take := func(s *store.Store, n int) {
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range n {
					serial, err := s.Next(ctx, store.CounterSSCC)
					if err != nil {
						t.Error(err)
						return
					}
					sscc, err := labels.SSCC("0614141", 3, serial)
					if err == nil {
						err = labels.ValidateSSCC(sscc)
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if seen[sscc] {
						t.Errorf("SSCC %s issued twice", sscc)
					}
					seen[sscc] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
	}
	take(s, 25)
	s.Close()
	s = open(t, path)
	take(s, 25)
	if len(seen) != 200 {
		t.Fatalf("%d distinct SSCCs, want 200", len(seen))
	}
}
