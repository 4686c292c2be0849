package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"net/http"

	"github.com/totewms/tote/sync/protocol"
)

// importReference takes a reference import in two passes, as an order
// import (importOrders): each record is read and checked as it arrives and
// spooled to a file of its kind, then the files are written into the hub
// in one transaction. So a body cut short, malformed halfway or over the
// limit never opens a transaction, and the hub holds one record, plus
// two numbers per item (refCheck), never the body.
func (s *Server) importReference(w http.ResponseWriter, r *http.Request, _ Principal) error {
	// Read before the body: a PIN is judged, and hashed, as it comes.
	set, err := s.store.Settings(r.Context())
	if err != nil {
		return err
	}
	spool, err := spoolReference(http.MaxBytesReader(w, r.Body, maxImportBytes), set)
	if err != nil {
		return err
	}
	defer spool.remove()
	res, err := s.store.ImportReferenceStream(r.Context(), ReferenceStream{
		Operators: FromStart(spool.ops.f, spooledRecords[protocol.Operator]),
		Locations: FromStart(spool.locs.f, spooledRecords[protocol.Location]),
		Items:     FromStart(spool.items.f, spooledRecords[protocol.Item]),
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// referenceSpool is a reference import's records on disk, a file per
// kind, each record a line of JSON (Listed) as the hub will write it: an
// operator's PIN is hashed before it is spooled, never on disk in clear.
type referenceSpool struct{ ops, locs, items *spooled }

func (rs referenceSpool) remove() {
	rs.ops.remove()
	rs.locs.remove()
	rs.items.remove()
}

// spoolReference reads body a record at a time, checks each (alone, and
// an item against the items before it) and spools it. An error is the
// client's, a 4xx saying where, unless it is errSpool.
func spoolReference(body io.Reader, set Settings) (referenceSpool, error) {
	var rs referenceSpool
	for _, sp := range []**spooled{&rs.ops, &rs.locs, &rs.items} {
		var err error
		if *sp, err = newSpool(); err != nil {
			rs.remove()
			return referenceSpool{}, err
		}
	}
	check := newRefCheck(rs.items.skuOf)
	last := "at its start"
	for rec, err := range DecodeReferenceJSON(body) {
		if err == nil {
			err = spoolRecord(rs, check, rec, set)
			last = "after " + rec.kind()
		}
		if err != nil {
			rs.remove()
			if tooLarge(err) {
				return referenceSpool{}, protocol.Errorf(protocol.CodeTooLarge, "the body is larger than 64 MiB (stopped %s): split it; nothing was imported", last)
			}
			if errors.Is(err, errSpool) {
				return referenceSpool{}, err
			}
			return referenceSpool{}, protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
		}
	}
	for _, sp := range []*spooled{rs.ops, rs.locs, rs.items} {
		if err := sp.flush(); err != nil {
			rs.remove()
			return referenceSpool{}, err
		}
	}
	return rs, nil
}

// spoolRecord checks a record and adds it to its kind's file.
func spoolRecord(rs referenceSpool, check *refCheck, rec ReferenceRecord, set Settings) error {
	var err error
	switch {
	case rec.Operator != nil:
		l := Listed[protocol.Operator]{N: rec.N, End: rec.End}
		if l.R, err = hashOperator(rec.N, *rec.Operator, set); err != nil {
			return fmt.Errorf("%w%s", err, l.at("operator"))
		}
		return rs.ops.enc.Encode(l)
	case rec.Location != nil:
		l := Listed[protocol.Location]{N: rec.N, End: rec.End, R: *rec.Location}
		if err = checkLocation(rec.N, l.R); err != nil {
			return fmt.Errorf("%w%s", err, l.at("location"))
		}
		return rs.locs.enc.Encode(l)
	}
	l := Listed[protocol.Item]{N: rec.N, End: rec.End, R: *rec.Item}
	if err = check.item(rec.N, l.R); err != nil {
		if errors.Is(err, errSpool) {
			return err
		}
		return fmt.Errorf("%w%s", err, l.at("item"))
	}
	return rs.items.enc.Encode(l)
}

// kind names the record: "item 7".
func (rec ReferenceRecord) kind() string {
	switch {
	case rec.Operator != nil:
		return fmt.Sprintf("operator %d", rec.N)
	case rec.Location != nil:
		return fmt.Sprintf("location %d", rec.N)
	}
	return fmt.Sprintf("item %d", rec.N)
}

// skuOf reads back the SKU of the nth item spooled (refCheck's words for
// a refusal; rare, so it reads the file again rather than keep text).
func (sp *spooled) skuOf(n int) (string, error) {
	if err := sp.flush(); err != nil {
		return "", err
	}
	for it, err := range spooledRecords[protocol.Item](io.NewSectionReader(sp.f, 0, math.MaxInt64)) {
		if err != nil {
			return "", fmt.Errorf("%w: reading it back: %v", errSpool, err)
		}
		if it.N == n {
			return it.R.SKU, nil
		}
	}
	return "", fmt.Errorf("%w: item %d is not in it", errSpool, n)
}

// spooledRecords reads records spooled a line of JSON each.
func spooledRecords[T any](r io.Reader) iter.Seq2[Listed[T], error] {
	return func(yield func(Listed[T], error) bool) {
		dec := json.NewDecoder(r)
		for {
			var l Listed[T]
			err := dec.Decode(&l)
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(l, err) || err != nil {
				return
			}
		}
	}
}
