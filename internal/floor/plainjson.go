package floor

import (
	"encoding/json"
	"strconv"
)

// The payloads of a unit picked and a unit verified are made and decoded
// at every scan (the store applies one, the pack bench replays the
// other). They are flat objects of strings and integers: plainPayload
// writes them, and plainMembers reads them, without reflection, when
// every string is plain; anything else goes to encoding/json, so every
// answer, and every byte journaled, is encoding/json's
// (FuzzPlainPayloads, FuzzPlainPayloadWriting).

// plainPayload is json.Marshal's bytes for a unit's payload whose strings
// json.Marshal writes as they are; ok is false for any other value.
func plainPayload(v any) (b []byte, ok bool) {
	switch p := v.(type) {
	case UnitsPayload:
		if !plainStrings(p.Order, p.Location, p.SKU, p.Tote, p.Lot, p.Serial, p.Expiry) {
			return nil, false
		}
		b = make([]byte, 0, 96+len(p.Order)+len(p.Location)+len(p.SKU)+len(p.Tote)+len(p.Lot)+len(p.Serial)+len(p.Expiry))
		b = strconv.AppendInt(append(b, `{"task":`...), p.Task, 10)
		b = append(append(append(b, `,"order":"`...), p.Order...), '"')
		b = strconv.AppendInt(append(b, `,"line":`...), int64(p.Line), 10)
		b = append(append(append(b, `,"location":"`...), p.Location...), '"')
		b = append(append(append(b, `,"sku":"`...), p.SKU...), '"')
		b = strconv.AppendInt(append(b, `,"qty":`...), int64(p.Qty), 10)
		b = append(append(append(b, `,"tote":"`...), p.Tote...), '"')
		b = appendOmitEmpty(b, `,"lot":"`, p.Lot)
		b = appendOmitEmpty(b, `,"serial":"`, p.Serial)
		b = appendOmitEmpty(b, `,"expiry":"`, p.Expiry)
		return append(b, '}'), true
	case PackUnitPayload:
		if !plainStrings(p.Order, p.SKU, p.Lot, p.Serial, p.Expiry) {
			return nil, false
		}
		b = make([]byte, 0, 80+len(p.Order)+len(p.SKU)+len(p.Lot)+len(p.Serial)+len(p.Expiry))
		b = append(append(append(b, `{"order":"`...), p.Order...), '"')
		b = strconv.AppendInt(append(b, `,"line":`...), int64(p.Line), 10)
		b = append(append(append(b, `,"sku":"`...), p.SKU...), '"')
		b = strconv.AppendInt(append(b, `,"qty":`...), int64(p.Qty), 10)
		b = strconv.AppendInt(append(b, `,"carton":`...), int64(p.Carton), 10)
		b = appendOmitEmpty(b, `,"lot":"`, p.Lot)
		b = appendOmitEmpty(b, `,"serial":"`, p.Serial)
		b = appendOmitEmpty(b, `,"expiry":"`, p.Expiry)
		return append(b, '}'), true
	}
	return nil, false
}

func appendOmitEmpty(b []byte, key, val string) []byte {
	if val == "" {
		return b
	}
	return append(append(append(b, key...), val...), '"')
}

// plainStrings: json.Marshal writes each of ss as it is, between quotes
// (printable ASCII, and none of the characters it escapes: quote,
// backslash, and <, > and & for HTML).
func plainStrings(ss ...string) bool {
	for _, s := range ss {
		for i := 0; i < len(s); i++ {
			switch c := s[i]; {
			case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
				return false
			}
		}
	}
	return true
}

// DecodeUnits decodes a unit-picked payload as json.Unmarshal does.
func DecodeUnits(b []byte) (UnitsPayload, error) {
	if p, ok := plainUnits(b); ok {
		return p, nil
	}
	var p UnitsPayload
	err := json.Unmarshal(b, &p)
	return p, err
}

// plainUnits is DecodeUnits for a payload in the plain form; ok is false
// for any other.
func plainUnits(b []byte) (p UnitsPayload, ok bool) {
	ok = plainMembers(b, func(key, val []byte, str bool) bool {
		switch string(key) {
		case "task":
			return !str && plainInt64(val, &p.Task)
		case "order":
			return str && plainString(val, &p.Order)
		case "line":
			return !str && plainInt(val, &p.Line)
		case "location":
			return str && plainString(val, &p.Location)
		case "sku":
			return str && plainString(val, &p.SKU)
		case "qty":
			return !str && plainInt(val, &p.Qty)
		case "tote":
			return str && plainString(val, &p.Tote)
		case "lot":
			return str && plainString(val, &p.Lot)
		case "serial":
			return str && plainString(val, &p.Serial)
		case "expiry":
			return str && plainString(val, &p.Expiry)
		}
		return false
	})
	return p, ok
}

// DecodePackUnit decodes a unit-verified payload as json.Unmarshal does.
func DecodePackUnit(b []byte) (PackUnitPayload, error) {
	if p, ok := plainPackUnit(b); ok {
		return p, nil
	}
	var p PackUnitPayload
	err := json.Unmarshal(b, &p)
	return p, err
}

// plainPackUnit is DecodePackUnit for a payload in the plain form; ok is
// false for any other.
func plainPackUnit(b []byte) (p PackUnitPayload, ok bool) {
	ok = plainMembers(b, func(key, val []byte, str bool) bool {
		switch string(key) {
		case "order":
			return str && plainString(val, &p.Order)
		case "line":
			return !str && plainInt(val, &p.Line)
		case "sku":
			return str && plainString(val, &p.SKU)
		case "qty":
			return !str && plainInt(val, &p.Qty)
		case "carton":
			return !str && plainInt(val, &p.Carton)
		case "lot":
			return str && plainString(val, &p.Lot)
		case "serial":
			return str && plainString(val, &p.Serial)
		case "expiry":
			return str && plainString(val, &p.Expiry)
		}
		return false
	})
	return p, ok
}

// plainMembers calls member with each member of b, in order, when b is an
// object in the plain form: no space anywhere, each key and string value
// printable ASCII without escapes, each other value an integer of at most
// 18 digits. val is a string's contents (str) or the integer's text. It
// returns false, maybe after some calls, when b has any other form or
// member refuses a member; the caller then starts again with
// encoding/json.
func plainMembers(b []byte, member func(key, val []byte, str bool) bool) bool {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return false
	}
	b = b[1 : len(b)-1]
	for len(b) > 0 {
		key, rest, ok := plainQuoted(b)
		if !ok || len(rest) == 0 || rest[0] != ':' {
			return false
		}
		b = rest[1:]
		var val []byte
		str := len(b) > 0 && b[0] == '"'
		if str {
			if val, b, ok = plainQuoted(b); !ok {
				return false
			}
		} else {
			n := 0
			if n < len(b) && b[n] == '-' {
				n++
			}
			digits := n
			for n < len(b) && b[n] >= '0' && b[n] <= '9' {
				n++
			}
			// JSON's integers: a digit at least, no leading zero.
			if d := n - digits; d == 0 || d > 18 || d > 1 && b[digits] == '0' {
				return false
			}
			val, b = b[:n], b[n:]
		}
		if !member(key, val, str) {
			return false
		}
		if len(b) > 0 {
			if b[0] != ',' || len(b) == 1 {
				return false
			}
			b = b[1:]
		}
	}
	return true
}

// plainQuoted is the contents of the string b starts with, and what
// follows it, when its contents are printable ASCII without escapes.
func plainQuoted(b []byte) (s, rest []byte, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, nil, false
	}
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			return b[1:i], b[i+1:], true
		case c == '\\' || c < 0x20 || c > 0x7e:
			return nil, nil, false
		}
	}
	return nil, nil, false
}

func plainString(val []byte, to *string) bool {
	*to = string(val)
	return true
}

// plainInt64 reads an integer plainMembers checked: a sign, 1 to 18 digits.
func plainInt64(val []byte, to *int64) bool {
	neg := val[0] == '-'
	if neg {
		val = val[1:]
	}
	var n int64
	for _, c := range val {
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	*to = n
	return true
}

func plainInt(val []byte, to *int) bool {
	var n int64
	plainInt64(val, &n)
	if int64(int(n)) != n {
		return false // beyond a 32-bit int: encoding/json refuses it
	}
	*to = int(n)
	return true
}
