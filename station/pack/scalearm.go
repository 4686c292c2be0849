package pack

import "math"

// ScaleJitterG is how far a stable reading of the same carton may move and
// still be the same weight: a change of more than this (the packer added or
// took out an item after a mismatch) is offered again in the same round.
const ScaleJitterG = 1.0

// ScaleArm is the rule that says which readings of the bench scale count as
// a carton's weight. A stable weight counts only if the pan has read empty
// (below EmptyBelowG) since the last weight that counted: the carton still
// on the scale from the last order is never taken for the next one, so two
// identical orders in a row are each weighed. The pan may read empty while
// moving or below zero: either way no carton is on it.
//
// The zero value (with EmptyBelowG set) starts disarmed: after a restart the
// carton on the pan may be one already weighed, so the pan must read empty
// once first. It is pure: the scale poller feeds it every reading and
// submits what it says to.
type ScaleArm struct {
	// EmptyBelowG: a reading under this is an empty pan, never a weight
	// ([pack] scale_empty_below_g).
	EmptyBelowG float64

	armed bool    // the pan read empty since the last weight taken
	sent  bool    // a weight was taken in round
	round uint64  // the weigh round of the last weight taken
	lastG float64 // the last weight taken
}

// PanReading is one reading of the scale, with the bench's weigh round (see
// station.WeighRound) at the time.
type PanReading struct {
	Grams     float64 // the figure, stable or moving
	Stable    bool    // settled: only a stable figure is a weight
	Moving    bool    // a figure that has not settled yet
	BelowZero bool    // the scale reads under zero (nothing on the pan)
	Round     uint64
	Weighing  bool // a carton waits for its weight
}

// ScaleVerdict is what to do with a reading.
type ScaleVerdict int

const (
	// ScaleShow: show the reading, submit nothing.
	ScaleShow ScaleVerdict = iota
	// ScaleOffer: submit the reading as the carton's weight, then call Taken.
	ScaleOffer
	// ScaleLiftFirst: a carton waits and the scale holds a stable weight,
	// but the pan has not been empty since the last weight taken: the
	// packer must take what is on it off and put the carton on.
	ScaleLiftFirst
)

// LiftFirstNote is what the packer reads when the scale holds a weight that
// cannot count (ScaleLiftFirst).
const LiftFirstNote = "not taken: empty the scale, then put the carton on"

// Empty says whether a reading shows an empty pan.
func (a *ScaleArm) Empty(r PanReading) bool {
	return r.BelowZero || ((r.Stable || r.Moving) && r.Grams < a.EmptyBelowG)
}

// Read notes a reading and says what to do with it.
func (a *ScaleArm) Read(r PanReading) ScaleVerdict {
	if a.Empty(r) {
		a.armed = true
		return ScaleShow
	}
	if !r.Stable || !r.Weighing || math.IsNaN(r.Grams) {
		return ScaleShow
	}
	if a.armed {
		return ScaleOffer
	}
	// The same carton still on the pan in the same round: offered again
	// only when its weight really changed.
	if a.sent && a.round == r.Round {
		if math.Abs(r.Grams-a.lastG) > ScaleJitterG {
			return ScaleOffer
		}
		return ScaleShow
	}
	return ScaleLiftFirst
}

// Taken records that the station took g as the weight in round: from now on
// the pan must read empty before another carton's weight counts.
func (a *ScaleArm) Taken(round uint64, g float64) {
	a.armed, a.sent, a.round, a.lastG = false, true, round, g
}
