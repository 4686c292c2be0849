package hubstore

import "context"

// maxPrepared bounds the writer's statements: a query built per call
// (an IN list as long as a push) has as many forms as there are lengths.
const maxPrepared = 512

// keep prepares on the writer the queries a write transaction met
// unprepared, so the next transactions bind them instead of parsing them
// again. It runs after the transaction: the writer has one connection,
// and a transaction holds it.
func (s *SQLite) keep(ctx context.Context, queries []string) {
	for _, q := range queries {
		s.mu.RLock()
		_, ok := s.stmts[q]
		full := len(s.stmts) >= maxPrepared
		s.mu.RUnlock()
		if ok || full {
			continue
		}
		st, err := s.db.W.PrepareContext(ctx, q)
		if err != nil {
			continue // it ran unprepared, and will again
		}
		s.mu.Lock()
		if _, ok := s.stmts[q]; ok || s.stmts == nil || len(s.stmts) >= maxPrepared {
			st.Close() // another push kept it first, or the store closed
		} else {
			s.stmts[q] = st
		}
		s.mu.Unlock()
	}
}
