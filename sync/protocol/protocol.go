// Package protocol is the sync protocol between a station and the hub: the
// wire types of push (the station's journal going up), pull (the station's
// slice of central data coming down), the admin and read APIs, and the
// errors both sides understand. Both the station's replicator and the hub
// import it, so a field named here is named the same on both ends.
//
// It holds data and checks only: no HTTP, no SQL, no clock. It must never
// decide an event's outcome (that is the hub's rules) or apply a change
// (that is the station's store).
//
// Versioning: every request carries the header Tote-Sync-Version. Fields
// may be added to these types; none is ever renamed or given a new meaning
// without a new Version.
package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/totewms/tote/internal/floor"
)

// Version is the protocol version this build speaks.
const Version = 1

// VersionHeader carries Version on every request and response.
const VersionHeader = "Tote-Sync-Version"

// Endpoints of the sync protocol proper.
const (
	PathPush  = "/sync/v1/push"
	PathPull  = "/sync/v1/pull"
	PathHello = "/sync/v1/hello"
)

// Hello is the hub's answer to GET PathHello with a station token: who the
// token belongs to, and the protocol the hub speaks. It changes nothing at
// the hub, so `tote doctor` asks it to check a station's address, version
// and token.
type Hello struct {
	Station string `json:"station"`
	Name    string `json:"name,omitempty"`
	// Number is the station's number (1 to MaxStationNumber), given by the
	// hub at registration and never reused: it leads the serial reference
	// of the station's SSCCs and its tracking numbers, so no two stations
	// of one hub issue the same one (docs/labels.md). 0: none yet.
	Number  int `json:"number"`
	Version int `json:"version"`
	// PullWaitMS is the longest the hub holds a waiting pull, in
	// milliseconds; 0 (absent): its pulls never wait (see PullResponse.WaitMS).
	PullWaitMS int64 `json:"pull_wait_ms,omitempty"`
	// Tote is the hub's tote build (buildstamp.Short), for `tote doctor`
	// and the log; stations send theirs in the User-Agent header.
	Tote string `json:"tote,omitempty"`
}

// MaxStationNumber is the highest station number: three digits of every
// SSCC serial reference and tracking number.
const MaxStationNumber = 999

// Limits both sides hold to. A push may be refused above them; the
// replicator stays well below.
const (
	// MaxPushEvents is the most events one push may carry.
	MaxPushEvents = 5000
	// MaxPushBytes bounds a push body. A label.queued event carries its
	// ZPL (up to 8 MiB, base64 on the wire), so one event must always fit.
	MaxPushBytes = 64 << 20
	// MaxPullLimit is the most changes one pull returns.
	MaxPullLimit = 5000
	// MaxIDLen bounds event ids and station ids.
	MaxIDLen = 64
)

// Event is one journal event on the wire. Seq is the station's gapless
// sequence; ID is unique across all stations. DeviceTime is the station's
// clock, kept as information only: the hub orders by Seq and stamps its own
// receipt time.
type Event struct {
	Station    string          `json:"station"`
	Seq        int64           `json:"seq"`
	ID         string          `json:"id"`
	Operator   string          `json:"operator,omitempty"`
	DeviceTime time.Time       `json:"device_time"`
	Type       string          `json:"type"`
	Payload    json.RawMessage `json:"payload"`
}

// FromFloor converts a committed journal event.
func FromFloor(e floor.Event) Event {
	return Event{Station: e.Station, Seq: e.Seq, ID: e.ID, Operator: e.Operator,
		DeviceTime: e.DeviceTime, Type: string(e.Type), Payload: e.Payload}
}

// Floor converts back to the domain type.
func (e Event) Floor() floor.Event {
	return floor.Event{Seq: e.Seq, ID: e.ID, Station: e.Station, Operator: e.Operator,
		DeviceTime: e.DeviceTime, Type: floor.EventType(e.Type), Payload: e.Payload}
}

// PushRequest is a batch of one station's journal, in sequence order with
// no gap inside the batch. The hub applies the events after its mark for
// the station, ignores those at or below it (duplicates), and refuses a
// batch that starts past mark+1 (a gap).
type PushRequest struct {
	Station string  `json:"station"`
	Events  []Event `json:"events"`
}

// Outcome statuses.
const (
	Accepted = "accepted"
	Rejected = "rejected"
)

// Outcome is what the hub did with one event. A rejected event is still
// acknowledged: it is kept at the hub with its reason, and the station shows
// the reason as an exception for a person to resolve.
type Outcome struct {
	Seq    int64  `json:"seq"`
	Status string `json:"status"`           // Accepted or Rejected
	Reason string `json:"reason,omitempty"` // for Rejected, in plain words: what happened and what to do
	// Duplicate is true when an earlier push had already applied the
	// event; Status and Reason are then those recorded the first time.
	Duplicate bool `json:"duplicate,omitempty"`
}

// PushResponse acknowledges a push. Mark is the station's high-water mark
// at the hub after this batch: every event at or below it is applied and
// durable there. Outcomes has one entry per event of the request, in order.
type PushResponse struct {
	Station    string    `json:"station"`
	Mark       int64     `json:"mark"`
	ReceivedAt time.Time `json:"received_at"` // the hub's clock
	Outcomes   []Outcome `json:"outcomes"`
}

// Validate checks a push before anything is applied: one station, events
// in order without a gap, every event with an id, a type and a payload
// that is a JSON object. The payloads' JSON itself was checked when the
// request was decoded (DecodePush or encoding/json): that is where a push
// comes from. The error says what is wrong in words.
func (r *PushRequest) Validate() error {
	if err := CheckStationID(r.Station); err != nil {
		return err
	}
	if len(r.Events) == 0 {
		return fmt.Errorf("the push has no events")
	}
	if len(r.Events) > MaxPushEvents {
		return fmt.Errorf("the push has %d events; at most %d are allowed in one push", len(r.Events), MaxPushEvents)
	}
	first := r.Events[0].Seq
	if first < 1 {
		return fmt.Errorf("event 1 has sequence %d; sequences start at 1", first)
	}
	for i, e := range r.Events {
		if e.Station != r.Station {
			return fmt.Errorf("event %d (sequence %d) is from station %q, but the push is for %q", i+1, e.Seq, e.Station, r.Station)
		}
		if e.Seq != first+int64(i) {
			return fmt.Errorf("event %d has sequence %d, expected %d: a push must be in order with no gap", i+1, e.Seq, first+int64(i))
		}
		if e.ID == "" || len(e.ID) > MaxIDLen || !utf8.ValidString(e.ID) {
			return fmt.Errorf("event %d (sequence %d) has no valid id", i+1, e.Seq)
		}
		if e.Type == "" || len(e.Type) > 100 || !utf8.ValidString(e.Type) {
			return fmt.Errorf("event %d (sequence %d) has no valid type", i+1, e.Seq)
		}
		if !isObject(e.Payload) {
			return fmt.Errorf("event %d (sequence %d) has a payload that is not a JSON object", i+1, e.Seq)
		}
		for _, f := range [][2]string{{"id", e.ID}, {"type", e.Type}, {"operator", e.Operator}} {
			if err := CheckClean("its "+f[0], f[1]); err != nil {
				return fmt.Errorf("event %d (sequence %d): %v", i+1, e.Seq, err)
			}
		}
		if err := CheckPayload(e.Payload); err != nil {
			return fmt.Errorf("event %d (sequence %d): %v", i+1, e.Seq, err)
		}
	}
	return nil
}

func isObject(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && b[0] == '{'
}

// CheckStationID accepts ids of letters, digits and - _ . (at most 64),
// which is what config files and URLs can carry without quoting.
func CheckStationID(id string) error {
	if id == "" {
		return fmt.Errorf("the station id is empty")
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("the station id is %d characters long; at most %d are allowed", len(id), MaxIDLen)
	}
	for _, r := range id {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return fmt.Errorf("the station id %q has %q in it; use letters, digits, '-', '_' and '.'", floor.Printable(id), r)
		}
	}
	return nil
}

// OrderRef is the part of an event payload that names an order: pick,
// pack and ship events carry "order". The hub judges an event against its
// order without knowing every payload type.
type OrderRef struct {
	Order string `json:"order"`
	Line  int    `json:"line"`
	Wave  string `json:"wave"`
}

// RefOf reads the order, line and wave an event's payload names, as
// encoding/json reads them; a payload that names neither an order nor a
// wave gives the zero OrderRef.
func RefOf(payload json.RawMessage) OrderRef {
	var r OrderRef
	// Most events name neither (scans, logins): skip parsing them. Inside a
	// JSON string a quote is escaped, so a bare "order" key (in any letter
	// case, as encoding/json matches keys) is what to look for.
	if !mentions(payload, "order") && !mentions(payload, "wave") {
		return r
	}
	if fast, ok := fastRef(payload); ok {
		r = fast
	} else {
		_ = json.Unmarshal(payload, &r) // a payload without these fields names no order
	}
	if r.Order == "" && r.Wave == "" {
		return OrderRef{}
	}
	return r
}

// mentions reports whether "key" (quotes included, ASCII letters in any
// case) occurs in b. The keys looked for have no letter that folds from
// outside ASCII (only k and s do, under encoding/json's folding).
func mentions(b []byte, key string) bool {
	for i := 0; i+len(key)+1 < len(b); i++ {
		if b[i] != '"' || b[i+len(key)+1] != '"' {
			continue
		}
		if strings.EqualFold(string(b[i+1:i+1+len(key)]), key) {
			return true
		}
	}
	return false
}
