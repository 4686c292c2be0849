package protocol

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DecodePush reads a push body. It reads the shape the replicator writes
// in one pass, checking each payload's JSON as it goes and keeping it as a
// slice of body (so body must not be reused while the request lives);
// anything else (escapes in a string, an unknown field, another order of
// fields) is read by encoding/json instead. Either way the result is what
// encoding/json makes of body: FuzzDecodePush holds it to that.
func DecodePush(body []byte) (PushRequest, error) {
	if r, ok := fastPush(body); ok {
		return r, nil
	}
	var r PushRequest
	if err := json.Unmarshal(body, &r); err != nil {
		return PushRequest{}, err
	}
	return r, nil
}

// errSlow sends a body to encoding/json.
var errSlow = errors.New("not the fast shape")

type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) byte(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// plainString reads a string with no escapes and only printable ASCII or
// valid UTF-8: the strings the replicator writes. Anything else is left to
// encoding/json.
func (s *scanner) plainString() (string, error) {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return "", errSlow
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		switch {
		case c == '"':
			str := s.b[start:j]
			if !utf8.Valid(str) {
				return "", errSlow
			}
			s.i = j + 1
			return string(str), nil
		case c == '\\' || c < 0x20:
			return "", errSlow
		}
	}
	return "", errSlow
}

func (s *scanner) int64() (int64, error) {
	s.ws()
	j := s.i
	for j < len(s.b) && (s.b[j] >= '0' && s.b[j] <= '9' || s.b[j] == '-') {
		j++
	}
	if j < len(s.b) && (s.b[j] == '.' || s.b[j] == 'e' || s.b[j] == 'E' || s.b[j] == '+') {
		return 0, errSlow
	}
	n, err := strconv.ParseInt(string(s.b[s.i:j]), 10, 64)
	if err != nil || (j-s.i > 1 && s.b[s.i] == '0') || (j-s.i > 2 && s.b[s.i] == '-' && s.b[s.i+1] == '0') || string(s.b[s.i:j]) == "-0" {
		return 0, errSlow
	}
	s.i = j
	return n, nil
}

// object skips a JSON object, checking it as encoding/json would, and
// returns it.
func (s *scanner) object() ([]byte, error) {
	s.ws()
	start := s.i
	if err := s.value(0); err != nil {
		return nil, err
	}
	if s.b[start] != '{' {
		return nil, errSlow
	}
	return s.b[start:s.i], nil
}

// value checks one JSON value (RFC 8259, as encoding/json reads it).
func (s *scanner) value(depth int) error {
	if depth > 1000 {
		return errSlow
	}
	s.ws()
	if s.i >= len(s.b) {
		return errSlow
	}
	switch c := s.b[s.i]; {
	case c == '{':
		s.i++
		if s.byte('}') {
			return nil
		}
		for {
			s.ws()
			if err := s.str(); err != nil {
				return err
			}
			if !s.byte(':') {
				return errSlow
			}
			if err := s.value(depth + 1); err != nil {
				return err
			}
			if s.byte('}') {
				return nil
			}
			if !s.byte(',') {
				return errSlow
			}
		}
	case c == '[':
		s.i++
		if s.byte(']') {
			return nil
		}
		for {
			if err := s.value(depth + 1); err != nil {
				return err
			}
			if s.byte(']') {
				return nil
			}
			if !s.byte(',') {
				return errSlow
			}
		}
	case c == '"':
		return s.str()
	case c == 't':
		return s.lit("true")
	case c == 'f':
		return s.lit("false")
	case c == 'n':
		return s.lit("null")
	default:
		return s.number()
	}
}

func (s *scanner) lit(w string) error {
	if len(s.b)-s.i >= len(w) && string(s.b[s.i:s.i+len(w)]) == w {
		s.i += len(w)
		return nil
	}
	return errSlow
}

// str checks a string with any escapes. encoding/json accepts invalid
// UTF-8 inside strings (it substitutes U+FFFD when decoding), and so does
// this check: the payload is kept as it came, like json.RawMessage.
func (s *scanner) str() error {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return errSlow
	}
	for j := s.i + 1; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			return nil
		case c < 0x20:
			return errSlow
		case c == '\\':
			j++
			if j >= len(s.b) {
				return errSlow
			}
			switch s.b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(s.b) {
					return errSlow
				}
				for k := j + 1; k <= j+4; k++ {
					if !isHex(s.b[k]) {
						return errSlow
					}
				}
				j += 4
			default:
				return errSlow
			}
		}
	}
	return errSlow
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func (s *scanner) number() error {
	j := s.i
	if j < len(s.b) && s.b[j] == '-' {
		j++
	}
	switch {
	case j < len(s.b) && s.b[j] == '0':
		j++
	case j < len(s.b) && s.b[j] >= '1' && s.b[j] <= '9':
		for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
			j++
		}
	default:
		return errSlow
	}
	if j < len(s.b) && s.b[j] == '.' {
		j++
		k := j
		for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
			j++
		}
		if j == k {
			return errSlow
		}
	}
	if j < len(s.b) && (s.b[j] == 'e' || s.b[j] == 'E') {
		j++
		if j < len(s.b) && (s.b[j] == '+' || s.b[j] == '-') {
			j++
		}
		k := j
		for j < len(s.b) && s.b[j] >= '0' && s.b[j] <= '9' {
			j++
		}
		if j == k {
			return errSlow
		}
	}
	s.i = j
	return nil
}

// fastPush reads {"station":S,"events":[{"station":S,"seq":N,"id":S,
// ["operator":S,]"device_time":S,"type":S,"payload":{...}},...]} with
// whitespace anywhere; ok is false for anything else.
func fastPush(body []byte) (r PushRequest, ok bool) {
	s := &scanner{b: body}
	if !s.byte('{') {
		return r, false
	}
	if k, err := s.plainString(); err != nil || k != "station" || !s.byte(':') {
		return r, false
	}
	var err error
	if r.Station, err = s.plainString(); err != nil || !s.byte(',') {
		return r, false
	}
	if k, err := s.plainString(); err != nil || k != "events" || !s.byte(':') || !s.byte('[') {
		return r, false
	}
	r.Events = []Event{} // encoding/json makes an empty slice of []
	if !s.byte(']') {
		for {
			e, ok := fastEvent(s)
			if !ok {
				return r, false
			}
			r.Events = append(r.Events, e)
			if s.byte(']') {
				break
			}
			if !s.byte(',') {
				return r, false
			}
		}
	}
	if !s.byte('}') {
		return r, false
	}
	s.ws()
	return r, s.i == len(s.b)
}

func fastEvent(s *scanner) (e Event, ok bool) {
	if !s.byte('{') {
		return e, false
	}
	key := func(want string) bool {
		k, err := s.plainString()
		return err == nil && k == want && s.byte(':')
	}
	var err error
	if !key("station") {
		return e, false
	}
	if e.Station, err = s.plainString(); err != nil || !s.byte(',') || !key("seq") {
		return e, false
	}
	if e.Seq, err = s.int64(); err != nil || !s.byte(',') || !key("id") {
		return e, false
	}
	if e.ID, err = s.plainString(); err != nil || !s.byte(',') {
		return e, false
	}
	k, err := s.plainString()
	if err != nil || !s.byte(':') {
		return e, false
	}
	if k == "operator" {
		if e.Operator, err = s.plainString(); err != nil || !s.byte(',') {
			return e, false
		}
		if k, err = s.plainString(); err != nil || !s.byte(':') {
			return e, false
		}
	}
	if k != "device_time" {
		return e, false
	}
	dt, err := s.plainString()
	if err != nil || !s.byte(',') || !key("type") {
		return e, false
	}
	// encoding/json reads times with time.Time.UnmarshalJSON: RFC 3339.
	if err := e.DeviceTime.UnmarshalText([]byte(dt)); err != nil {
		return e, false
	}
	if e.Type, err = s.plainString(); err != nil || !s.byte(',') || !key("payload") {
		return e, false
	}
	p, err := s.object()
	if err != nil || !s.byte('}') {
		return e, false
	}
	e.Payload = p
	return e, true
}

// fastRef reads "order", "line" and "wave" from a payload object without
// reflection; ok is false for anything encoding/json might read otherwise
// (a key in other letter case, a value of another type, an escape), and
// RefOf then asks encoding/json. FuzzRefOf holds the two to the same result.
func fastRef(payload []byte) (r OrderRef, ok bool) {
	s := &scanner{b: payload}
	if !s.byte('{') {
		return r, false
	}
	if s.byte('}') {
		s.ws()
		return r, s.i == len(s.b)
	}
	for {
		k, err := s.plainString()
		if err != nil || !s.byte(':') {
			return r, false
		}
		switch {
		case k == "order":
			if r.Order, err = s.plainString(); err != nil {
				return r, false
			}
		case k == "wave":
			if r.Wave, err = s.plainString(); err != nil {
				return r, false
			}
		case k == "line":
			n, err := s.int64()
			if err != nil || int64(int(n)) != n {
				return r, false
			}
			r.Line = int(n)
		case foldsTo(k, "order") || foldsTo(k, "wave") || foldsTo(k, "line"):
			return r, false // encoding/json matches keys without regard to case
		default:
			if err := s.value(0); err != nil {
				return r, false
			}
		}
		if s.byte('}') {
			s.ws()
			return r, s.i == len(s.b)
		}
		if !s.byte(',') {
			return r, false
		}
	}
}

// foldsTo reports whether key might match field name under encoding/json's
// case folding: any non-ASCII byte counts as might (the Kelvin sign folds
// to k, the long s to s).
func foldsTo(key, name string) bool {
	if len(key) < len(name)-1 || len(key) > 3*len(name) {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] >= 0x80 {
			return true
		}
	}
	return strings.EqualFold(key, name)
}
