package protocol

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckPayload(t *testing.T) {
	for _, c := range []struct {
		payload string
		ok      bool
	}{
		{`{"order":"SO-1","qty":2}`, true},
		{`{"name":"Zoë \u00e9 \ud83d\ude00"}`, true},
		{`{"path":"a\\u0001"}`, true}, // an escaped backslash, then text
		{"{\"input\":\"AB\xff\"}", false},
		{`{"input":"A\u0007B"}`, false},
		{`{"input":"A\nB"}`, false},
		{`{"input":"\u0085"}`, false},
		{`{"k\u0000":"v"}`, false},
		{`{"input":"\ud83d"}`, false},
		{`{"input":"\ude00x"}`, false},
		{`{"input":"\ud83d\u0041"}`, false},
	} {
		err := CheckPayload(json.RawMessage(c.payload))
		if (err == nil) != c.ok {
			t.Errorf("%q: %v, want ok=%v", c.payload, err, c.ok)
		}
	}
}

func TestPushWithUncleanTextIsRefused(t *testing.T) {
	good := Event{Station: "ST-01", Seq: 1, ID: "e1", Type: "pick.units_picked", Operator: "B1", Payload: json.RawMessage(`{"qty":1}`)}
	for name, mutate := range map[string]func(*Event){
		"id with a control character":   func(e *Event) { e.ID = "e\x01" },
		"id not UTF-8":                  func(e *Event) { e.ID = "e\xff" },
		"type with a newline":           func(e *Event) { e.Type = "pick\n" },
		"operator with DEL":             func(e *Event) { e.Operator = "B\x7f" },
		"payload with an escaped NUL":   func(e *Event) { e.Payload = json.RawMessage(`{"x":"\u0000"}`) },
		"payload with raw invalid byte": func(e *Event) { e.Payload = json.RawMessage("{\"x\":\"\xc3\"}") },
	} {
		e := good
		mutate(&e)
		r := PushRequest{Station: "ST-01", Events: []Event{e}}
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	r := PushRequest{Station: "ST-01", Events: []Event{good}}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
}

// FuzzCheckPayloadPlain: what the plain-payload shortcut accepts, the
// token walk accepts (what it does not, the walk judges as before).
func FuzzCheckPayloadPlain(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":1e400}`, `{"a":1E5}`, `{"a":"1e400"}`, `{"a":` + strings.Repeat("9", 400) + `}`,
		`{"a":` + strings.Repeat("9", 300) + `}`, `{"a":-0.5,"b":[true,false,null]}`, "{\"a\":\"\x7f\"}", "{\"a\":\"\t\"}", "{\"a\":\n1}",
		`{"a":1} {"b":2}`, `{"a":`, `[]`, `"x"`, `{"a":"\u0041"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !plainPayload(b) || !json.Valid(b) {
			return
		}
		if err := checkPayloadTokens(b); err != nil {
			t.Fatalf("%q: the shortcut accepts it, the token walk says %v", b, err)
		}
	})
}

// FuzzCheckPayload: whatever CheckPayload accepts is valid JSON whose
// strings, decoded, are clean text.
func FuzzCheckPayload(f *testing.F) {
	for _, s := range []string{`{"a":"b"}`, `{"a":"\ud83d\ude00"}`, `{"a":"\\u0001"}`, `{"a":"\u0001"}`, "{\"a\":\"\xff\"}", `{"a":"\ud83d`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if CheckPayload(b) != nil {
			return
		}
		var v any
		if json.Unmarshal(b, &v) != nil {
			return // several values, or none: Validate's object check refuses those
		}
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				if !utf8.ValidString(x) {
					t.Fatalf("accepted %q holds %q", b, x)
				}
				for _, r := range x {
					if isControl(r) {
						t.Fatalf("accepted %q holds a control character", b)
					}
				}
			case map[string]any:
				for k, e := range x {
					walk(k)
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(v)
	})
}
