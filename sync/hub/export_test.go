package hub

// WaitingPulls counts the pulls the server holds now: tests wait for a
// pull to be parked before they commit the change that should wake it.
func WaitingPulls(s *Server) int {
	s.waits.mu.Lock()
	defer s.waits.mu.Unlock()
	n := 0
	for _, c := range s.waits.waiting {
		n += c
	}
	return n
}
