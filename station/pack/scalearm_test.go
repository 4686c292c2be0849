package pack

import (
	"fmt"
	"math"
	"testing"
)

// TestScaleArm walks the scale arming rule through readings in order: each
// step is a reading and the verdict it must get. A verdict of ScaleOffer is
// taken (as the poller does when the station's queue accepts it).
func TestScaleArm(t *testing.T) {
	type step struct {
		r    PanReading
		want ScaleVerdict
	}
	stable := func(g float64, round uint64) PanReading {
		return PanReading{Grams: g, Stable: true, Round: round, Weighing: true}
	}
	moving := func(g float64, round uint64) PanReading {
		return PanReading{Grams: g, Moving: true, Round: round, Weighing: true}
	}
	idle := func(g float64) PanReading { return PanReading{Grams: g, Stable: true} }
	cases := []struct {
		name  string
		steps []step
	}{
		{"two identical cartons in a row: the second waits for an empty pan", []step{
			{stable(0, 1), ScaleShow},
			{stable(850, 1), ScaleOffer},
			{stable(850, 1), ScaleShow},
			{stable(850, 2), ScaleLiftFirst}, // the last carton's 850 g is not the next one's
			{stable(850, 2), ScaleLiftFirst},
			{stable(0, 2), ScaleShow},
			{moving(500, 2), ScaleShow},
			{stable(850, 2), ScaleOffer},
		}},
		{"a fresh start is disarmed: the carton on the pan may be weighed already", []step{
			{stable(850, 1), ScaleLiftFirst},
			{stable(3, 1), ScaleShow},
			{stable(850, 1), ScaleOffer},
		}},
		{"the pan emptied while nothing was weighed still counts", []step{
			{stable(0, 1), ScaleShow},
			{stable(850, 1), ScaleOffer},
			{idle(850), ScaleShow},
			{idle(0), ScaleShow},
			{idle(850), ScaleShow}, // not weighing: shown only
			{stable(850, 2), ScaleOffer},
		}},
		{"the same carton changed in its round is offered again; jitter is not", []step{
			{stable(0, 1), ScaleShow},
			{stable(1250, 1), ScaleOffer},
			{stable(1251, 1), ScaleShow},
			{stable(1400, 1), ScaleOffer},
			{stable(1400, 2), ScaleLiftFirst},
		}},
		{"below the threshold is an empty pan, never a weight", []step{
			{stable(19.9, 1), ScaleShow},
			{stable(19.9, 1), ScaleShow},
			{stable(20, 1), ScaleOffer},
		}},
		{"an empty pan read while moving or below zero arms it", []step{
			{stable(0, 1), ScaleShow},
			{stable(700, 1), ScaleOffer},
			{moving(2, 2), ScaleShow},
			{stable(700, 2), ScaleOffer},
			{PanReading{BelowZero: true, Round: 3, Weighing: true}, ScaleShow},
			{stable(700, 3), ScaleOffer},
		}},
		{"a moving carton is never a weight, nor does it arm the pan", []step{
			{stable(0, 1), ScaleShow},
			{stable(900, 1), ScaleOffer},
			{moving(900, 2), ScaleShow},
			{moving(400, 2), ScaleShow},
			{stable(900, 2), ScaleLiftFirst},
		}},
		{"no figure is no weight", []step{
			{stable(0, 1), ScaleShow},
			{stable(math.NaN(), 1), ScaleShow},
			{PanReading{Round: 1, Weighing: true}, ScaleShow}, // overload, silence
			{stable(600, 1), ScaleOffer},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := ScaleArm{EmptyBelowG: 20}
			for i, s := range c.steps {
				got := a.Read(s.r)
				if got != s.want {
					t.Fatalf("step %d %s: verdict %v, want %v", i, show(s.r), got, s.want)
				}
				if got == ScaleOffer {
					a.Taken(s.r.Round, s.r.Grams)
				}
			}
		})
	}
}

// TestScaleArmOfferNotTaken: an offer the station's queue refused is not a
// weight taken, so the same reading is offered again.
func TestScaleArmOfferNotTaken(t *testing.T) {
	a := ScaleArm{EmptyBelowG: 20}
	a.Read(PanReading{Stable: true})
	r := PanReading{Grams: 850, Stable: true, Round: 1, Weighing: true}
	first, again := a.Read(r), a.Read(r)
	if first != ScaleOffer || again != ScaleOffer {
		t.Fatal("a weight not taken was not offered again")
	}
	a.Taken(1, 850)
	if v := a.Read(r); v != ScaleShow {
		t.Fatalf("after it was taken: %v", v)
	}
}

func show(r PanReading) string {
	return fmt.Sprintf("%v g stable=%v moving=%v below=%v round %d weighing=%v", r.Grams, r.Stable, r.Moving, r.BelowZero, r.Round, r.Weighing)
}

func (v ScaleVerdict) String() string {
	switch v {
	case ScaleShow:
		return "show"
	case ScaleOffer:
		return "offer"
	case ScaleLiftFirst:
		return "lift first"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}
