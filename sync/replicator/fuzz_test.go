package replicator

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// FuzzPullAnswer: whatever a hub (or something pretending to be one)
// answers to a pull, the replicator either refuses it with a reason or
// makes a page in which every change carries exactly one record, and
// every change of the answer is either in it or named as skipped.
func FuzzPullAnswer(f *testing.F) {
	f.Add([]byte(`{"station":"ST-01","cursor":"1.0123456789abcdef.1.3","more":false,"changes":[` +
		`{"seq":1,"kind":"operator","operator":{"badge":"B1","name":"Ana","roles":["picker"]}},` +
		`{"seq":2,"kind":"holds","holds":{"order":"ORD-1","holds":[{"reason":"INCORRECT_ADDRESS"}]}},` +
		`{"seq":3,"kind":"cancel","cancel":{"order":"ORD-2","reason":"customer"}}]}`))
	f.Add([]byte(`{"station":"ST-01","cursor":"x","changes":[{"seq":1,"kind":"task","task":{"id":1,"wave":"W","order":"O","line":1,"location":"L","sku":"S","qty":1}}]}`))
	f.Add([]byte(`{"station":"ST-01","cursor":"x","changes":[{"seq":1,"kind":"item","order":{"id":"O"}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var resp protocol.PullResponse
		if json.Unmarshal(body, &resp) != nil {
			return
		}
		p, skipped, err := pulledOf(resp, time.Unix(0, 0))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if p.StationNumber < 0 || p.StationNumber > protocol.MaxStationNumber {
			t.Fatalf("station number %d taken from %s", p.StationNumber, body)
		}
		if p.Cursor == "" || len(p.Changes)+len(skipped) != len(resp.Changes) {
			t.Fatalf("page %+v (skipped %q) from %s", p, skipped, body)
		}
		for i, c := range p.Changes {
			n := 0
			for _, set := range []bool{c.Operator != nil, c.Location != nil, c.Item != nil, c.Order != nil, c.Wave != nil,
				c.Task != nil, c.Holds != nil, c.Cancel != nil, c.Label != nil, c.Tote != nil} {
				if set {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("change %d carries %d records", i, n)
			}
			if tt := c.Tote; tt != nil {
				for _, u := range tt.Units {
					if u.Qty < 1 || u.Line < 1 || u.Station == "" {
						t.Fatalf("tote %q passed with unit %+v", tt.Code, u)
					}
				}
			}
		}
	})
}

// FuzzHelloAnswer: whatever answers at the hub's address, hello either
// says what is wrong in words or gives a station id that is valid and a
// station number in range; `tote doctor` prints both.
func FuzzHelloAnswer(f *testing.F) {
	f.Add(200, "1", []byte(`{"station":"PACK-01","name":"bench 1","number":1,"version":1}`))
	f.Add(401, "1", []byte(`{"error":{"code":"unauthorized","message":"the hub does not know this token"}}`))
	f.Add(404, "1", []byte("404 page not found\n"))
	f.Add(200, "", []byte("<html>It works!</html>"))
	f.Add(200, "1", []byte(`{"station":"PACK\u001b[2J","number":1000}`))
	f.Fuzz(func(t *testing.T, status int, version string, body []byte) {
		h, err := helloOf(status, version, body)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if protocol.CheckStationID(h.Station) != nil || h.Number < 0 || h.Number > protocol.MaxStationNumber {
			t.Fatalf("hello %+v from %d %q %s", h, status, version, body)
		}
	})
}

func TestPullAnswerWithANewKind(t *testing.T) {
	var resp protocol.PullResponse
	body := `{"station":"ST-01","cursor":"c","changes":[{"seq":1,"kind":"dock_door","dock_door":{"id":"D1"}},{"seq":2,"kind":"cancel","cancel":{"order":"O"}}]}`
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	p, skipped, err := pulledOf(resp, time.Unix(0, 0))
	if err != nil || len(p.Changes) != 1 || p.Changes[0].Cancel == nil || len(skipped) != 1 || !strings.Contains(skipped[0], `"dock_door"`) {
		t.Fatalf("page %+v, skipped %q, %v", p, skipped, err)
	}
}
