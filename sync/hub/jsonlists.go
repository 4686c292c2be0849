package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/totewms/tote/internal/floor"
)

// jsonLists is the shape of an import's JSON body: an object whose fields
// are lists ({"orders": [...]}, {"locations": [...], "items": [...]}),
// read an element at a time so that a body of any size holds one element.
type jsonLists struct {
	lists []string // the fields, matched ignoring case as encoding/json does
	elems []string // what an element of each is called: "order"
	body  string   // what the body is: "an order import"
	send  string   // what to send instead: `send {"orders": [...]}`
}

// listElem is an element of a list, about to be read.
type listElem struct {
	list int // its list, an index of jsonLists.lists
	n    int // its number in its list, from 1
	dec  *json.Decoder
	bad  func(where string, err error) error
	name string
}

// decode reads the element into v; an error says where in the body.
func (e listElem) decode(v any) error {
	if err := e.dec.Decode(v); err != nil {
		return e.bad(fmt.Sprintf("in %s %d", e.name, e.n), err)
	}
	return nil
}

// end is the byte of the body a decoded element ends at.
func (e listElem) end() int64 { return e.dec.InputOffset() }

// read walks r, calling each for every element in the body's order: each
// decodes it (listElem.decode) and may stop the walk with an error, which
// read returns as it is. Unknown fields are refused, in the body and in
// each element, as everywhere in the admin API; so is a list given twice.
// A list may be null (none). Errors say where: the element and the byte.
func (jl jsonLists) read(r io.Reader, each func(listElem) error) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	last := "" // the last element read: "order 7"
	after := func() string {
		if last == "" {
			return "at its start"
		}
		return "after " + last
	}
	// bad words a decoding error by where in the body it happened.
	bad := func(where string, err error) error {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF): // more was due
			return fmt.Errorf("the body ends %s (after byte %d): it was cut short: %w", where, dec.InputOffset(), err)
		case errors.As(err, &se):
			return fmt.Errorf("the body is not valid JSON %s, at byte %d: %v", where, se.Offset, err)
		}
		return fmt.Errorf("the body is not valid JSON for this request %s (byte %d): %w", where, dec.InputOffset(), err)
	}
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return errors.New("the body is empty: " + jl.send)
	}
	if err != nil {
		return bad("at its start", err)
	}
	if tok != json.Delim('{') {
		return errors.New("the body is not a JSON object: " + jl.send)
	}
	given := make([]bool, len(jl.lists))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad(after(), err)
		}
		key, _ := tok.(string)
		list := -1
		for i, name := range jl.lists {
			if strings.EqualFold(key, name) {
				list = i
			}
		}
		if list < 0 {
			return fmt.Errorf("the body has a field %q: %s has only %s", floor.Printable(key), jl.body, quoted(jl.lists))
		}
		name := jl.lists[list]
		if given[list] {
			return fmt.Errorf("the body has %q twice: send one list", name)
		}
		given[list] = true
		if tok, err = dec.Token(); err != nil {
			return bad("at the start of the "+name, err)
		}
		if tok == nil {
			continue // "orders": null, as an empty list
		}
		if tok != json.Delim('[') {
			return fmt.Errorf("%q is not a list: %s", name, jl.send)
		}
		n := 0
		for dec.More() {
			n++
			if err := each(listElem{list: list, n: n, dec: dec, bad: bad, name: jl.elems[list]}); err != nil {
				return err
			}
			last = fmt.Sprintf("%s %d", jl.elems[list], n)
		}
		if _, err := dec.Token(); err != nil { // the list's ]
			return bad(after(), err)
		}
	}
	if _, err := dec.Token(); err != nil { // the body's }
		return bad(after(), err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil || !tooLarge(err) {
			err = errors.New("the body has more after its JSON value")
		}
		return err
	}
	return nil
}

// quoted lists names as a reader writes them: "a", "b" or "c".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = `"` + n + `"`
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
