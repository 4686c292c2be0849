package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Listed is a record of an import with its place: its number in its list
// (from 1) and, when it came in a body, the byte of the body it ends at.
type Listed[T any] struct {
	N   int   `json:"n"`
	End int64 `json:"end,omitempty"`
	R   T     `json:"r"`
}

// at says where the record was, for a refusal: "" for a list.
func (l Listed[T]) at(kind string) string {
	if l.End == 0 {
		return ""
	}
	return fmt.Sprintf("; %s %d ends at byte %d of the body", kind, l.N, l.End)
}

// ReferenceStream is reference data read a record at a time, so that an
// import of any size holds one record: each kind from its start at each
// range (a store may run its transaction again). A read error is a kind's
// last pair. A nil kind has no records.
type ReferenceStream struct {
	// Operators come as the hub keeps them: roles read, PINs hashed
	// (hashOperator), so that no slow KDF runs in the transaction.
	Operators iter.Seq2[Listed[protocol.Operator], error]
	Locations iter.Seq2[Listed[protocol.Location], error]
	Items     iter.Seq2[Listed[protocol.Item], error]
}

// listed gives the records of a list, numbered.
func listed[T any](xs []T) iter.Seq2[Listed[T], error] {
	return func(yield func(Listed[T], error) bool) {
		for i, x := range xs {
			if !yield(Listed[T]{N: i + 1, R: x}, nil) {
				return
			}
		}
	}
}

// ImportReference writes operators, locations and items, all or none
// (ImportReferenceStream). Every record is checked, and every PIN hashed,
// before the transaction starts.
func (s *Service) ImportReference(ctx context.Context, ref protocol.Reference) (protocol.ImportResult, error) {
	if err := CheckReference(ref); err != nil {
		return protocol.ImportResult{}, protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
	}
	set, err := s.Settings(ctx)
	if err != nil {
		return protocol.ImportResult{}, err
	}
	ops := make([]protocol.Operator, len(ref.Operators))
	for i, o := range ref.Operators {
		if ops[i], err = hashOperator(i+1, o, set); err != nil {
			return protocol.ImportResult{}, protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
		}
	}
	return s.ImportReferenceStream(ctx, ReferenceStream{Operators: listed(ops), Locations: listed(ref.Locations), Items: listed(ref.Items)})
}

// ImportReferenceStream writes the records as they are read, in one
// transaction, all or none: operators, then locations, then items (so an
// item's locations are known once its turn comes, from this import or
// before), and sends each to every station, each record in a group of its
// own (they need not travel together, so pages stay near their limit).
// The records were checked against each other (refCheck: GTINs and SKUs
// given twice) and, for an operator with a PIN, hashed (hashOperator); each
// record alone is checked again here, with what needs the hub: an item's
// locations must exist, and its SKU must not be another item's in another
// letter case.
func (s *Service) ImportReferenceStream(ctx context.Context, ref ReferenceStream) (protocol.ImportResult, error) {
	var res protocol.ImportResult
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		res = protocol.ImportResult{} // a store may run the transaction again
		set, err := settingsOf(tx)
		if err != nil {
			return err
		}
		for o, err := range records(ctx, ref.Operators) {
			if err != nil {
				return err
			}
			// Checked again, cheaply, whoever read the records: an
			// operator by the settings it commits under.
			if err := checkOperator(o.N, o.R); err != nil {
				return refused(err, o.at("operator"))
			}
			if err := checkPIN(o.N, o.R, set); err != nil {
				return refused(err, o.at("operator"))
			}
			op, err := o.R.Floor()
			if err != nil {
				return refused(fmt.Errorf("operator %d: %w", o.N, err), o.at("operator"))
			}
			if err := tx.PutOperator(op); err != nil {
				return err
			}
			w := protocol.OperatorOf(op)
			if err := tx.AppendFeed(FeedEntry{EveryStation, protocol.Change{Kind: protocol.KindOperator, Operator: &w}}); err != nil {
				return err
			}
			res.Operators++
		}
		for l, err := range records(ctx, ref.Locations) {
			if err != nil {
				return err
			}
			if err := checkLocation(l.N, l.R); err != nil {
				return refused(err, l.at("location"))
			}
			if err := tx.PutLocation(l.R); err != nil {
				return err
			}
			if err := tx.AppendFeed(FeedEntry{EveryStation, protocol.Change{Kind: protocol.KindLocation, Location: &l.R}}); err != nil {
				return err
			}
			res.Locations++
		}
		for it, err := range records(ctx, ref.Items) {
			if err != nil {
				return err
			}
			if err := importItem(tx, it); err != nil {
				return err
			}
			res.Items++
		}
		return nil
	})
	if err != nil {
		return protocol.ImportResult{}, err
	}
	return res, nil
}

// refused is the client's refusal of a record, placed in the body.
func refused(err error, at string) error {
	return protocol.Errorf(protocol.CodeBadRequest, "%v%s; nothing was imported", err, at)
}

// records ranges over a kind of an import's records (none for nil),
// stopping when ctx ends; a read error becomes the client's refusal.
func records[T any](ctx context.Context, rs iter.Seq2[Listed[T], error]) iter.Seq2[Listed[T], error] {
	return func(yield func(Listed[T], error) bool) {
		if rs == nil {
			return
		}
		for r, err := range rs {
			if err == nil {
				err = ctx.Err()
			} else {
				err = protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
			}
			if !yield(r, err) || err != nil {
				return
			}
		}
	}
}

// importItem writes an item of an import, its locations checked against
// the hub (this import's locations are written by now).
func importItem(tx StoreTx, it Listed[protocol.Item]) error {
	if err := checkItem(it.N, it.R); err != nil {
		return refused(err, it.at("item"))
	}
	folded, err := tx.SKUsFolded(it.R.SKU)
	if err != nil {
		return err
	}
	for _, other := range folded {
		if other != it.R.SKU {
			return protocol.Errorf(protocol.CodeConflict, "item %d (%s): the hub has item %s, whose SKU differs only in letter case; scans match SKUs ignoring case, so they cannot both be items%s; nothing was imported",
				it.N, it.R.SKU, floor.Printable(other), it.at("item"))
		}
	}
	if it.R.Location != "" {
		if _, ok, err := tx.Location(it.R.Location); err != nil || !ok {
			if err == nil {
				err = protocol.Errorf(protocol.CodeBadRequest, "item %d (%s): location %s is not known; import the location first (or in the same request)%s; nothing was imported",
					it.N, it.R.SKU, floor.Printable(it.R.Location), it.at("item"))
			}
			return err
		}
	}
	if err := tx.PutItem(it.R); err != nil {
		return err
	}
	if err := checkItemLocations(tx, it); err != nil {
		return err
	}
	return tx.AppendFeed(FeedEntry{EveryStation, protocol.Change{Kind: protocol.KindItem, Item: &it.R}})
}

// referenceBody is a reference import's JSON body.
var referenceBody = jsonLists{
	lists: []string{"operators", "locations", "items"},
	elems: []string{"operator", "location", "item"},
	body:  "a reference import",
	send:  `send {"operators": [...], "locations": [...], "items": [...]} (any of the three)`,
}

// ReferenceRecord is a record of a reference import as it is read: one of
// an operator, a location or an item, with its place.
type ReferenceRecord struct {
	N        int   // its number in its list, from 1
	End      int64 // the byte of the body it ends at
	Operator *protocol.Operator
	Location *protocol.Location
	Item     *protocol.Item
}

// DecodeReferenceJSON reads {"operators": [...], "locations": [...],
// "items": [...]} (any of them, in any order) a record at a time. Unknown
// fields are refused, in the body and in each record, as everywhere in the
// admin API, and so is a list given twice. An error says where: the record
// (its list and number) and the byte.
func DecodeReferenceJSON(r io.Reader) iter.Seq2[ReferenceRecord, error] {
	return func(yield func(ReferenceRecord, error) bool) {
		err := referenceBody.read(r, func(e listElem) error {
			rec := ReferenceRecord{N: e.n}
			var v any
			switch e.list {
			case 0:
				rec.Operator = new(protocol.Operator)
				v = rec.Operator
			case 1:
				rec.Location = new(protocol.Location)
				v = rec.Location
			default:
				rec.Item = new(protocol.Item)
				v = rec.Item
			}
			if err := e.decode(v); err != nil {
				return err
			}
			rec.End = e.end()
			if !yield(rec, nil) {
				return errStopped
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopped) {
			yield(ReferenceRecord{}, err)
		}
	}
}
