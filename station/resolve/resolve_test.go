package resolve_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/resolve"
)

var (
	picker = &floor.Operator{Badge: "B1001", Name: "Ana Picker", Roles: []floor.Role{floor.RolePicker, floor.RolePacker}}
	sup    = &floor.Operator{Badge: "B1004", Name: "Dana Supervisor", Roles: []floor.Role{floor.RoleSupervisor}}
	short  = resolve.Exception{ID: 3, Source: floor.SourceFloor, Kind: floor.ExShortPick, Order: "SO-1"}
)

func TestOnlyASupervisorResolves(t *testing.T) {
	for _, action := range floor.ResolveActions {
		p := floor.ExceptionResolvedPayload{Action: action, Reason: "checked the shelf", Location: "A-02", Station: "CART-02", Wave: "W1"}
		for _, op := range []*floor.Operator{nil, picker} {
			if ev, why := resolve.Decide(op, short, p); why == "" || ev.Type != "" {
				t.Fatalf("%v resolving with %s: %q %+v", op, action, why, ev)
			}
		}
		_, why := resolve.Decide(picker, short, p)
		if !strings.Contains(why, "Ana Picker is not a supervisor") {
			t.Fatalf("the picker is told %q", why)
		}
	}
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name string
		ex   resolve.Exception
		p    floor.ExceptionResolvedPayload
		want string // "" accepted
	}{
		{"approve short", short, floor.ExceptionResolvedPayload{Action: floor.ResolveApproveShort, Reason: "customer agreed"}, ""},
		{"re-release", short, floor.ExceptionResolvedPayload{Action: floor.ResolveRerelease, Reason: "stock at A-02", Location: "A-02"}, ""},
		{"re-release nowhere", short, floor.ExceptionResolvedPayload{Action: floor.ResolveRerelease, Reason: "stock at A-02"}, "needs the location"},
		{"no reason", short, floor.ExceptionResolvedPayload{Action: floor.ResolveApproveShort, Reason: " "}, "Type the reason"},
		{"control in reason", short, floor.ExceptionResolvedPayload{Action: floor.ResolveApproveShort, Reason: "ok\x07bell"}, "Type the reason"},
		{"not an action", short, floor.ExceptionResolvedPayload{Action: "shrug", Reason: "why not"}, "is not a resolution"},
		{"does not fit", short, floor.ExceptionResolvedPayload{Action: floor.ResolveReprint, Reason: "why not"}, "does not resolve this exception"},
		{"reprint a label", resolve.Exception{ID: 4, Source: floor.SourceFloor, Kind: floor.ExLabelInDoubt}, floor.ExceptionResolvedPayload{Action: floor.ResolveReprint, Reason: "smudged"}, ""},
		{"reassign, no exception", resolve.Exception{}, floor.ExceptionResolvedPayload{Action: floor.ResolveReassignWave, Reason: "cart down", Wave: "W1", Station: "CART-02"}, ""},
		{"reassign to nowhere", resolve.Exception{}, floor.ExceptionResolvedPayload{Action: floor.ResolveReassignWave, Reason: "cart down", Wave: "W1"}, "needs the cart"},
		{"void a conflict", resolve.Exception{ID: 9, Kind: "duplicate-sscc"}, floor.ExceptionResolvedPayload{Action: floor.ResolveVoid, Reason: "relabelled"}, ""},
	} {
		ev, why := resolve.Decide(sup, tc.ex, tc.p)
		if tc.want == "" {
			if why != "" || ev.Type != floor.EvExceptionResolved || ev.Operator != "B1004" {
				t.Fatalf("%s: refused %q", tc.name, why)
			}
			var got floor.ExceptionResolvedPayload
			if err := json.Unmarshal(ev.Payload, &got); err != nil || got.Exception != tc.ex.ID || got.Source != tc.ex.Source || got.Order != tc.ex.Order {
				t.Fatalf("%s: payload %+v %v", tc.name, got, err)
			}
			continue
		}
		if !strings.Contains(why, tc.want) {
			t.Fatalf("%s: %q, want %q", tc.name, why, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	open := resolve.Task{ID: 5, Location: "A-02", SKU: "CUP-1", Open: true}
	if ev, why := resolve.Count(picker, open, 4); why != "" || ev.Type != floor.EvCountRecorded {
		t.Fatalf("a count: %q", why)
	}
	for _, tc := range []struct {
		op   *floor.Operator
		t    resolve.Task
		n    int
		want string
	}{
		{nil, open, 4, "Sign in"},
		{picker, resolve.Task{ID: 5}, 4, "not open"},
		{picker, open, -1, "is not a count"},
	} {
		if _, why := resolve.Count(tc.op, tc.t, tc.n); !strings.Contains(why, tc.want) {
			t.Fatalf("%+v: %q, want %q", tc, why, tc.want)
		}
	}
}
