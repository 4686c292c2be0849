package supervise

import (
	"fmt"
	"slices"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/resolve"
	"github.com/totewms/tote/station/workflow"
	"github.com/totewms/tote/sync/protocol"
)

// Reassigning a wave with no exception behind it (a cart that went down
// mid-wave): from the waves screen the chosen wave, from a wave's or an
// order's screen the opened wave, from the health screen the chosen
// station's active wave (F7 or CMD:SUP-REASSIGN) → the cart that takes it
// (typed or scanned) → the reason. It is a resolution like the others
// (reassign_wave, naming no exception): the same resolve.Decide rule,
// journaled under the signed-in supervisor's badge; the hub applies it
// with its reassign rule and tells the old cart.

// Reassigning reports whether the resolution under way is a wave's
// reassignment started from the waves or health screens (no exception).
func (r Resolving) Reassigning() bool {
	return r.Step != "" && r.Exception.ID == 0 && r.Action == floor.ResolveReassignWave
}

// ReassignWave is the wave (and the station that has it) F7 would move
// from where the supervisor is; why says what is missing when none.
func ReassignWave(s State) (wave protocol.WaveProgress, why string) {
	ws := s.Figures.Waves.Waves
	switch s.View {
	case ViewWaves:
		if s.Cursor >= len(ws) {
			return wave, "No wave to reassign"
		}
		wave = ws[s.Cursor]
	case ViewWave, ViewOrder:
		i := slices.IndexFunc(ws, func(w protocol.WaveProgress) bool { return w.Wave == s.Wave })
		if i < 0 {
			return wave, fmt.Sprintf("Wave %s is not among the active waves", floor.Printable(s.Wave))
		}
		wave = ws[i]
	case ViewHealth:
		st := s.Figures.Site.Stations
		if s.Cursor >= len(st) {
			return wave, "No station to reassign from"
		}
		id := st[s.Cursor].ID
		var its []string
		for _, w := range ws {
			if w.Station == id && w.Status != "done" {
				its = append(its, w.Wave)
				wave = w
			}
		}
		switch len(its) {
		case 0:
			return protocol.WaveProgress{}, fmt.Sprintf("%s has no active wave to reassign", floor.Printable(id))
		case 1:
		default:
			return protocol.WaveProgress{}, fmt.Sprintf("%s has %d waves (%s): choose one on the waves screen (F2), then F7",
				floor.Printable(id), len(its), strings.Join(its, ", "))
		}
	default:
		return wave, "Reassign from the waves (F2) or the health (F5) screen: choose the wave or the station first"
	}
	if wave.Status == "done" {
		return protocol.WaveProgress{}, fmt.Sprintf("Wave %s is done: nothing to reassign", floor.Printable(wave.Wave))
	}
	return wave, ""
}

func startReassign(s State, in Input) Result {
	op := s.Operator
	if why := resolve.Who(&op); why != "" {
		return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, why)
	}
	w, why := ReassignWave(s)
	if why != "" {
		return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, why)
	}
	s.Resolving = Resolving{Step: ResolveTarget, Action: floor.ResolveReassignWave, Actions: []string{floor.ResolveReassignWave},
		Exception: protocol.Conflict{Station: w.Station, Detail: &protocol.ExceptionDetail{Wave: w.Wave}}}
	return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: fmt.Sprintf("Reassign wave %s%s: type or scan the cart that takes it",
		floor.Printable(w.Wave), at(w.Station))}}
}

func at(station string) string {
	if station == "" {
		return ""
	}
	return " (at " + floor.Printable(station) + ")"
}

// reassignTarget says why the typed cart cannot take the wave ("" when
// it can, as far as the station knows: the hub checks again).
func reassignTarget(s State, to string) string {
	r := s.Resolving
	if to == r.Exception.Station {
		return fmt.Sprintf("Wave %s is at %s already: type another cart", floor.Printable(r.Exception.Detail.Wave), floor.Printable(to))
	}
	st := s.Figures.Site.Stations
	if len(st) > 0 && !slices.ContainsFunc(st, func(x protocol.StationState) bool { return x.ID == to }) {
		return fmt.Sprintf("%s is not a station the office knows: type the cart's name as on the health screen (F5)", floor.Printable(to))
	}
	return ""
}
