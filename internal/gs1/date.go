package gs1

import (
	"fmt"
	"time"
)

// FullYear resolves a two-digit year the GS1 way (General Specifications,
// 7.12): the year lies no more than 49 years before and no more than 50
// years after the reference year.
func FullYear(yy, ref int) int {
	y := ref - ref%100 + yy
	switch {
	case y-ref >= 51:
		y -= 100
	case y-ref <= -50:
		y += 100
	}
	return y
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func num2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// readDate checks and reads YYMMDD (yymmd0 allows DD=00, read as the last
// day of the month) or YYYYMMDD. Digits were checked before.
func readDate(ai, layout, part string, ref, off int) (time.Time, *Error) {
	var year int
	md := part[2:]
	switch layout {
	case "yyyymmdd", "yyyymmd0":
		year = num2(part)*100 + num2(part[2:])
		md = part[4:]
	default:
		year = FullYear(num2(part), ref)
	}
	month, day := num2(md), num2(md[2:])
	moff := off + len(part) - 4
	if month < 1 || month > 12 {
		return time.Time{}, &Error{AI: ai, Offset: moff, Problem: ProblemDate,
			Msg: fmt.Sprintf("AI (%s): month %02d does not exist", ai, month)}
	}
	m := time.Month(month)
	last := daysIn(year, m)
	switch {
	case day == 0 && (layout == "yymmd0" || layout == "yyyymmd0"):
		day = last // "day not specified": the month's last day
	case day == 0:
		return time.Time{}, &Error{AI: ai, Offset: moff + 2, Problem: ProblemDate,
			Msg: fmt.Sprintf("AI (%s): day 00 (day not specified) is not allowed for this AI", ai)}
	case day > last && m == time.February && day == 29:
		return time.Time{}, &Error{AI: ai, Offset: moff + 2, Problem: ProblemDate,
			Msg: fmt.Sprintf("AI (%s): 29 is not a day of February %d", ai, year)}
	case day > last:
		return time.Time{}, &Error{AI: ai, Offset: moff + 2, Problem: ProblemDate,
			Msg: fmt.Sprintf("AI (%s): %d is not a day of %s", ai, day, m)}
	}
	return time.Date(year, m, day, 0, 0, 0, 0, time.UTC), nil
}

// readTime checks and reads hhmi, hh, mi or ss as a duration to add to the
// date.
func readTime(ai, layout, part string, off int) (time.Duration, *Error) {
	bad := func(what string, v int) *Error {
		return &Error{AI: ai, Offset: off, Problem: ProblemDate,
			Msg: fmt.Sprintf("AI (%s): %s %02d does not exist", ai, what, v)}
	}
	switch layout {
	case "hhmi":
		h, m := num2(part), num2(part[2:])
		if h > 23 {
			return 0, bad("hour", h)
		}
		if m > 59 {
			return 0, bad("minute", m)
		}
		return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
	case "hh":
		h := num2(part)
		if h > 23 {
			return 0, bad("hour", h)
		}
		return time.Duration(h) * time.Hour, nil
	case "mi":
		m := num2(part)
		if m > 59 {
			return 0, bad("minute", m)
		}
		return time.Duration(m) * time.Minute, nil
	default: // ss
		s := num2(part)
		if s > 59 {
			return 0, bad("second", s)
		}
		return time.Duration(s) * time.Second, nil
	}
}
