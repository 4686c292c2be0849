package hub

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's figures from the aggregates: pure (no store, no clock;
// now is given).

// Rate windows: a wave's ETA rests on the last RateBuckets buckets (half
// an hour); an operator's hourly rate on the last hour, the shift's on
// the last ShiftHours.
const (
	RateBuckets = 6
	HourBuckets = 3600 / BucketSeconds
	ShiftHours  = 8
)

// WaveWindowStart is the first bucket a wave's rate reads.
func WaveWindowStart(now time.Time) int64 { return bucketOf(now) - (RateBuckets-1)*BucketSeconds }

// ShiftStart is the first bucket an operator's shift figures read.
func ShiftStart(now time.Time) int64 { return bucketOf(now.Add(-ShiftHours * time.Hour)) }

// WaveFigures turns a wave's counters (totals and its picked buckets from
// WaveWindowStart on) and its late orders into its progress: the rate is
// the units picked in the window over the time from the window's start
// (or the wave's first pick in it, if later) to now, at least one bucket;
// the ETA is when the
// units left to pick are picked at that rate.
func WaveFigures(wave string, counts []Count, late int, now time.Time) protocol.WaveProgress {
	p := protocol.WaveProgress{Wave: wave, ByState: map[string]int{}, Late: late}
	from := WaveWindowStart(now)
	first, windowUnits := int64(0), int64(0)
	for _, c := range counts {
		if c.Bucket != 0 {
			if c.Metric == MetricPicked && c.Bucket >= from && c.Value != 0 {
				windowUnits += c.Value
				if first == 0 || c.Bucket < first {
					first = c.Bucket
				}
			}
			continue
		}
		v := int(c.Value)
		switch c.Metric {
		case MetricOrders:
			p.Orders = v
		case MetricLines:
			p.Lines = v
		case MetricLinesDone:
			p.LinesDone = v
		case MetricUnits:
			p.Units = v
		case MetricPicked:
			p.Picked = v
		case MetricShort:
			p.Short = v
		case MetricPacked:
			p.Packed = v
		case MetricShipped:
			p.Shipped = v
		case MetricBackOrder:
			p.BackOrders = v
		default:
			if st, ok := strings.CutPrefix(c.Metric, metricState); ok && v != 0 {
				p.ByState[st] = v
			}
		}
	}
	left := max(p.Units-p.Picked-p.Short, 0)
	if left == 0 {
		p.Basis = "every unit picked or short"
		return p
	}
	start := max(from, first)
	// At least one bucket: a wave's first seconds give no wild rate.
	elapsed := max(now.Unix()-start, BucketSeconds)
	if windowUnits <= 0 {
		p.Basis = fmt.Sprintf("no units picked in the last %d min: no finish time", RateBuckets*BucketSeconds/60)
		return p
	}
	p.RatePerHour = float64(windowUnits) * 3600 / float64(elapsed)
	eta := now.Add(time.Duration(float64(left) / p.RatePerHour * float64(time.Hour))).Truncate(time.Second)
	p.ETA = &eta
	p.Basis = fmt.Sprintf("%d units in the last %d min, %d left", windowUnits, (elapsed+59)/60, left)
	return p
}

// PersonFigures turns an operator's counters (totals and buckets from
// ShiftStart on) and latest event into their pace: per hour over the last
// hour and over the shift (from their first bucket in it), mis-scans per
// 100 scans in the shift, and idle time since their latest event.
func PersonFigures(seen OperatorSeen, counts []Count, now time.Time) protocol.PersonRate {
	p := protocol.PersonRate{Badge: seen.Badge, Station: seen.Station, LastEvent: seen.Event, LastAt: seen.At}
	if !seen.At.IsZero() {
		p.IdleSeconds = max(int64(now.Sub(seen.At)/time.Second), 0)
	}
	hourFrom := bucketOf(now) - (HourBuckets-1)*BucketSeconds
	shiftFrom := ShiftStart(now)
	var hourUnits, hourLines int64
	first, hourFirst := int64(0), int64(0)
	for _, c := range counts {
		if c.Bucket == 0 || c.Bucket < shiftFrom || c.Value == 0 {
			continue
		}
		if first == 0 || c.Bucket < first {
			first = c.Bucket
		}
		inHour := c.Bucket >= hourFrom
		if inHour && (hourFirst == 0 || c.Bucket < hourFirst) {
			hourFirst = c.Bucket
		}
		switch c.Metric {
		case MetricUnits:
			p.Units += c.Value
			if inHour {
				hourUnits += c.Value
			}
		case MetricLines:
			p.Lines += c.Value
			if inHour {
				hourLines += c.Value
			}
		case MetricScans:
			p.Scans += c.Value
		case MetricMisScans:
			p.MisScans += c.Value
		}
	}
	perHour := func(n, from int64) float64 {
		el := now.Unix() - from
		if from == 0 || el <= 0 {
			return 0
		}
		return float64(n) * 3600 / float64(max(el, BucketSeconds))
	}
	p.UnitsHour, p.LinesHour = perHour(hourUnits, hourFirst), perHour(hourLines, hourFirst)
	p.UnitsShiftHour, p.LinesShiftHour = perHour(p.Units, first), perHour(p.Lines, first)
	if p.Scans > 0 {
		p.MisScansPer100 = float64(p.MisScans) * 100 / float64(p.Scans)
	}
	return p
}

// SortPeople puts who needs help first: the most mis-scans per 100, then
// the slowest over the last hour, then the longest idle, then badge.
func SortPeople(ps []protocol.PersonRate) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.MisScansPer100 != b.MisScansPer100 {
			return a.MisScansPer100 > b.MisScansPer100
		}
		if a.UnitsHour != b.UnitsHour {
			return a.UnitsHour < b.UnitsHour
		}
		if a.IdleSeconds != b.IdleSeconds {
			return a.IdleSeconds > b.IdleSeconds
		}
		return a.Badge < b.Badge
	})
}
