package hub

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// importOrders takes an order import, JSON or CSV, in two passes that
// each hold one order: the body is read and checked as it arrives while
// it is copied to a file, then the file is written into the hub in one
// transaction. So a body cut short, malformed halfway or over the limit
// never opens a transaction, and a slow upload never holds the hub's
// writer while stations push.
func (s *Server) importOrders(w http.ResponseWriter, r *http.Request, _ Principal) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var decode func(io.Reader) Orders
	var what string
	switch ct {
	case "text/csv":
		decode, what = DecodeOrdersCSV, csvBody
	case "application/json", "":
		decode, what = DecodeOrdersJSON, "the body"
	default:
		return protocol.Errorf(protocol.CodeBadRequest, "Content-Type %q: send application/json or text/csv", floor.Printable(ct))
	}
	spool, err := spoolOrders(http.MaxBytesReader(w, r.Body, maxImportBytes), decode, what)
	if err != nil {
		return err
	}
	defer spool.remove()
	res, err := s.store.ImportOrderStream(r.Context(), FromStart(spool.f, decode), s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// spooled is an import's body, or its records, on disk while it is
// written into the hub.
type spooled struct {
	f   *os.File
	w   *bufio.Writer
	enc *json.Encoder // records, a line of JSON each
}

// newSpool makes an empty spool file in the temporary directory.
func newSpool() (*spooled, error) {
	f, err := os.CreateTemp("", "tote-import-*")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errSpool, err)
	}
	sp := &spooled{f: f, w: bufio.NewWriterSize(f, 64<<10)}
	sp.enc = json.NewEncoder(sp)
	return sp, nil
}

// Write adds p to the file; an error is the hub's (errSpool).
func (sp *spooled) Write(p []byte) (int, error) {
	n, err := sp.w.Write(p)
	if err != nil {
		err = fmt.Errorf("%w: %v", errSpool, err)
	}
	return n, err
}

// flush writes out what is buffered, for the file to be read.
func (sp *spooled) flush() error {
	if err := sp.w.Flush(); err != nil {
		return fmt.Errorf("%w: %v", errSpool, err)
	}
	return nil
}

func (sp *spooled) remove() {
	if sp != nil {
		sp.f.Close()
		os.Remove(sp.f.Name())
	}
}

// spoolOrders copies body to a temporary file while it checks every order
// in it (CheckOrder), one at a time. An error is the client's: a 4xx
// saying where.
func spoolOrders(body io.Reader, decode func(io.Reader) Orders, what string) (*spooled, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	n := 0
	for o, err := range decode(io.TeeReader(body, sp)) {
		if err == nil {
			n++
			if err = CheckOrder(o); err != nil {
				err = fmt.Errorf("order %d: %w", n, err)
			}
		}
		if err != nil {
			sp.remove()
			if tooLarge(err) {
				return nil, protocol.Errorf(protocol.CodeTooLarge, "%s is larger than 64 MiB (stopped in order %d): split it; nothing was imported", what, n+1)
			}
			if errors.Is(err, errSpool) {
				return nil, err
			}
			if what == csvBody {
				return nil, protocol.Errorf(protocol.CodeBadRequest, "the CSV was not imported: %v", err)
			}
			return nil, protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
		}
	}
	if err := sp.flush(); err != nil {
		sp.remove()
		return nil, err
	}
	return sp, nil
}

const csvBody = "the CSV"

// errSpool marks a failure to write the spool file: the hub's, not the
// client's.
var errSpool = errors.New("the hub could not spool the import to its temporary directory")
