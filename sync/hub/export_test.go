package hub

import (
	"io"
	"net/http"
)

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

// LargeInFlight counts the large requests holding a place now: tests wait
// for a held body to take its place before they send the one it should
// keep out.
func LargeInFlight(s *Server) int {
	s.gate.mu.Lock()
	defer s.gate.mu.Unlock()
	n := 0
	for _, c := range s.gate.busy {
		n += c
	}
	return n
}

// SpoolReference reads a reference body as the hub's endpoint does before
// it writes anything, under the endpoint's limit, and removes the spool:
// tests see the refusal a client gone before the answer would not.
func SpoolReference(body io.Reader) error {
	sp, err := spoolReference(http.MaxBytesReader(nil, io.NopCloser(body), maxImportBytes), DefaultSettings())
	if err == nil {
		sp.remove()
	}
	return err
}
