package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A body as the replicator writes it.
const replicatorBody = `{"station":"ST-01","events":[` +
	`{"station":"ST-01","seq":41,"id":"0f8fad5b-d9cb-469f-a165-70867728950e","operator":"B1001","device_time":"2026-03-02T09:14:03.123456789Z","type":"pick.units_picked","payload":{"task":7,"order":"ORD-100001","line":2,"location":"A-01-02-5","sku":"MUG-001","qty":1,"tote":"T00001"}},` +
	`{"station":"ST-01","seq":42,"id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","device_time":"2026-03-02T09:14:04Z","type":"scan.rejected","payload":{"step":"item","input":"X1","reason":"not the item this task wants"}}]}`

func TestDecodePushReadsWhatTheReplicatorWrites(t *testing.T) {
	r, ok := fastPush([]byte(replicatorBody))
	if !ok {
		t.Fatal("the replicator's shape went to the slow path")
	}
	if r.Station != "ST-01" || len(r.Events) != 2 || r.Events[0].Seq != 41 || r.Events[1].Operator != "" ||
		!r.Events[0].DeviceTime.Equal(time.Date(2026, 3, 2, 9, 14, 3, 123456789, time.UTC)) ||
		RefOf(r.Events[0].Payload) != (OrderRef{Order: "ORD-100001", Line: 2}) {
		t.Fatalf("decoded %+v", r)
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDecodePushAgreesWithEncodingJSON(t *testing.T) {
	for _, body := range []string{
		replicatorBody,
		strings.ReplaceAll(replicatorBody, ",", " ,\n "),
		strings.Replace(replicatorBody, `"ST-01"`, `"ST-\u00301"`, 1), // an escape: slow path
		strings.Replace(replicatorBody, `"seq":41`, `"seq":41.0`, 1),  // not an int
		strings.Replace(replicatorBody, `"Seq"`, `"seq"`, 1),
		strings.Replace(replicatorBody, `"station":"ST-01","seq"`, `"STATION":"ST-01","seq"`, 1), // case-folded key
		strings.Replace(replicatorBody, `"qty":1`, `"qty":1,}`, 1),                               // broken payload
		strings.Replace(replicatorBody, `T09:14:04Z`, `T09:14:04`, 1),                            // not RFC 3339
		`{"station":"ST-01","events":[]}`,
		`{"station":"ST-01","events":null}`,
		`{"station":"ST-01","events":[]} x`,
		`[]`, ``, `{`,
	} {
		checkDecodeAgrees(t, []byte(body))
	}
}

func checkDecodeAgrees(t *testing.T, body []byte) {
	t.Helper()
	got, gotErr := DecodePush(body)
	var want PushRequest
	wantErr := json.Unmarshal(body, &want)
	if (gotErr != nil) != (wantErr != nil) {
		t.Fatalf("%q: DecodePush error %v, encoding/json %v", body, gotErr, wantErr)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\nDecodePush    %+v\nencoding/json %+v", body, got, want)
	}
	if gotErr == nil {
		_ = got.Validate() // must not panic
		for _, e := range got.Events {
			checkRefAgrees(t, e.Payload)
		}
	}
}

func checkRefAgrees(t *testing.T, payload []byte) {
	t.Helper()
	var want OrderRef
	_ = json.Unmarshal(payload, &want)
	if want.Order == "" && want.Wave == "" {
		want = OrderRef{} // names no order: the zero ref, whatever "line" says
	}
	if got := RefOf(payload); got != want {
		t.Fatalf("RefOf(%q) = %+v, encoding/json reads %+v", payload, got, want)
	}
}

func TestRefOf(t *testing.T) {
	for payload, want := range map[string]OrderRef{
		`{"task":7,"order":"ORD-1","line":2}`:        {Order: "ORD-1", Line: 2},
		`{"wave":"W-0001"}`:                          {Wave: "W-0001"},
		`{"step":"item","input":"\"order\""}`:        {},
		`{"Order":"ORD-2"}`:                          {Order: "ORD-2"},
		`{"order":"ORD-3","order":"ORD-4"}`:          {Order: "ORD-4"},
		`{"order":5,"line":1}`:                       {},
		`{"nested":{"order":"X"},"order":"ORD-5"}`:   {Order: "ORD-5"},
		`{"order":"ORD-\u00e9"}`:                     {Order: "ORD-é"},
		`not json "order"`:                           {},
		`{"line":9999999999999999999,"order":"ORD"}`: {Order: "ORD"},
	} {
		checkRefAgrees(t, []byte(payload))
		if got := RefOf([]byte(payload)); got != want {
			t.Errorf("RefOf(%s) = %+v, want %+v", payload, got, want)
		}
	}
}

// FuzzDecodePush holds DecodePush to encoding/json's reading of the same
// bytes, and Validate to never panicking on what decodes.
func FuzzDecodePush(f *testing.F) {
	f.Add([]byte(replicatorBody))
	f.Add([]byte(`{"station":"ST-01","events":[{"station":"ST-01","seq":1,"id":"a","device_time":"2026-03-02T09:14:04+01:00","type":"t","payload":{"a":[1,2.5e3,-0,true,false,null,"\ud83d\ude00"]}}]}`))
	f.Add([]byte(`{"station":"S","events":[{"station":"S","seq":-0,"id":"a","device_time":"2026-03-02T09:14:04Z","type":"t","payload":{}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecodeAgrees(t, body)
	})
}

// FuzzRefOf holds RefOf's fast reading to encoding/json's.
func FuzzRefOf(f *testing.F) {
	for _, s := range []string{`{"task":7,"order":"ORD-1","line":2,"sku":"X"}`, `{"wave":"W-1"}`, `{"ORDER":"a","order":"b"}`, `{"line":1e2,"order":"x"}`, `{"order":"\u212a"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkRefAgrees(t, payload)
	})
}

// FuzzParseWait: a pull's wait parameter either reads as a duration from
// 0 to MaxWaitParam or is refused with words that name the wait; never a
// panic, never a negative or longer wait.
func FuzzParseWait(f *testing.F) {
	for _, s := range []string{"", "25s", "1500ms", "25", "0", "-1s", "2h", "1e9", "99999999999999999999", "1h0m0s", "soon", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseWait(s)
		if err != nil {
			if d != 0 || !strings.Contains(err.Error(), "wait") {
				t.Fatalf("ParseWait(%q) = %v, %v", s, d, err)
			}
			return
		}
		if d < 0 || d > MaxWaitParam || (s == "" && d != 0) {
			t.Fatalf("ParseWait(%q) = %v", s, d)
		}
	})
}
