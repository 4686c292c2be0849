package gs1

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseDigitalLink reads a GS1 Digital Link URI with the standard parser.
func ParseDigitalLink(uri string) ([]Element, error) {
	return (*Parser)(nil).ParseDigitalLink(uri, nil)
}

// LooksLikeDigitalLink is a cheap test for data worth reading as a Digital
// Link URI: http or https.
func LooksLikeDigitalLink(s string) bool {
	return hasPrefixFold(s, "https://") || hasPrefixFold(s, "http://")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// ParseDigitalLink reads a GS1 Digital Link URI such as
// https://id.example.com/01/09501101530003/10/ABC123?17=261231: the primary
// key and its qualifiers from the path (any path before the key is the
// resolver's own), data attributes from the query (keys that are not digits
// are ignored). A GTIN-8, -12 or -13 in the path is padded to 14 digits.
// The elements come in path order, then query order.
func (p *Parser) ParseDigitalLink(uri string, dst []Element) ([]Element, error) {
	if len(uri) > MaxData {
		return dst, tooLong(uri)
	}
	d := p.dict()
	year := p.year()
	start := len(dst)
	u, err := url.Parse(uri)
	if err != nil || (!strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "http")) || u.Host == "" {
		return dst, &Error{Offset: 0, Problem: ProblemNotDigitalLink, Msg: "not a GS1 Digital Link URI: it must start https:// or http:// and name a host"}
	}
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	var firstErr *Error
	found := false
	for i := 0; i+1 < len(segs) && !found; i++ {
		spec := d.Lookup(segs[i])
		if spec == nil || !spec.DLPKey || (len(segs)-i)%2 != 0 {
			continue
		}
		out, e := p.dlPath(spec, segs[i:], dst[:start], year)
		if e == nil {
			dst, found = out, true
			break
		}
		if firstErr == nil {
			firstErr = e
		}
	}
	if !found {
		if firstErr != nil {
			return dst[:start], firstErr
		}
		return dst[:start], &Error{Offset: -1, Problem: ProblemNotDigitalLink,
			Msg: "not a GS1 Digital Link URI: no primary key (such as /01/ followed by a GTIN) in the path"}
	}
	inPath := len(dst) - start
	if u.RawQuery != "" {
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if !allDigits(k) {
				continue // not an AI: resolver parameters such as linkType
			}
			spec := d.Lookup(k)
			if spec == nil {
				return dst[:start], &Error{AI: k, Offset: -1, Problem: ProblemUnknownAI,
					Msg: fmt.Sprintf("Digital Link query: %s is not a GS1 application identifier", k)}
			}
			if !spec.DLAttr {
				return dst[:start], &Error{AI: k, Offset: -1, Problem: ProblemSyntax,
					Msg: fmt.Sprintf("AI (%s) may not be given in the query of a Digital Link URI", k)}
			}
			val, err := url.PathUnescape(v)
			if err != nil {
				return dst[:start], &Error{AI: k, Offset: -1, Problem: ProblemSyntax,
					Msg: fmt.Sprintf("AI (%s): bad percent-encoding in %q", k, v)}
			}
			if val == "" {
				return dst[:start], &Error{AI: k, Offset: -1, Problem: ProblemLength, Msg: fmt.Sprintf("AI (%s) has no value", k)}
			}
			e := Element{AI: spec.AI, Value: val}
			if err := check(spec, val, year, &e); err != nil {
				return dst[:start], err
			}
			dst = append(dst, e)
		}
	}
	if err := dlRepeats(dst[start:], inPath); err != nil {
		return dst[:start], err
	}
	if err := d.checkTogether(dst[start:]); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// dlRepeats refuses an AI given twice in a Digital Link URI, even with the
// same value: the Digital Link URI syntax gives each AI once, in the path or
// in the query (the GS1 Barcode Syntax Engine refuses it as duplicated).
// Element strings differ: GS1 lets an AI repeat there with the same value.
// The first inPath elements come from the path.
func dlRepeats(elems []Element, inPath int) *Error {
	for i := range elems {
		for j := i + 1; j < len(elems); j++ {
			if elems[j].AI != elems[i].AI {
				continue
			}
			where := "twice in the query"
			switch {
			case j < inPath:
				where = "twice in the path"
			case i < inPath:
				where = "in both the path and the query"
			}
			return &Error{AI: elems[i].AI, Offset: -1, Problem: ProblemDuplicate,
				Msg: fmt.Sprintf("AI (%s) is given %s of the Digital Link URI (%q and %q): a Digital Link URI may give each AI only once", elems[i].AI, where, elems[i].Value, elems[j].Value)}
		}
	}
	return nil
}

// dlPath reads key/value pairs from the path, the first being the primary
// key, and checks the qualifiers' order.
func (p *Parser) dlPath(key *Spec, segs []string, dst []Element, year int) ([]Element, *Error) {
	d := p.dict()
	var quals []string
	for j := 0; j < len(segs); j += 2 {
		spec := d.Lookup(segs[j])
		if spec == nil {
			return nil, &Error{AI: segs[j], Offset: -1, Problem: ProblemUnknownAI,
				Msg: fmt.Sprintf("Digital Link path: %s is not a GS1 application identifier", segs[j])}
		}
		val, err := url.PathUnescape(segs[j+1])
		if err != nil {
			return nil, &Error{AI: spec.AI, Offset: -1, Problem: ProblemSyntax,
				Msg: fmt.Sprintf("AI (%s): bad percent-encoding in %q", spec.AI, segs[j+1])}
		}
		if j == 0 && spec.AI == "01" && allDigits(val) && (len(val) == 8 || len(val) == 12 || len(val) == 13) {
			val = GTIN14(val)
		}
		if j > 0 {
			quals = append(quals, spec.AI)
		}
		if val == "" {
			return nil, &Error{AI: spec.AI, Offset: -1, Problem: ProblemLength, Msg: fmt.Sprintf("AI (%s) has no value", spec.AI)}
		}
		e := Element{AI: spec.AI, Value: val}
		if err := check(spec, val, year, &e); err != nil {
			return nil, err
		}
		dst = append(dst, e)
	}
	if err := dlRepeats(dst[len(dst)-len(segs)/2:], len(segs)/2); err != nil {
		return nil, err
	}
	if len(quals) > 0 && !qualifiersFit(key.DLQualifiers, quals) {
		return nil, &Error{AI: key.AI, Offset: -1, Problem: ProblemSyntax,
			Msg: fmt.Sprintf("Digital Link path: after AI (%s) the qualifiers may only be %s, in that order", key.AI, describeQualifiers(key.DLQualifiers))}
	}
	return dst, nil
}

// qualifiersFit reports whether quals is an in-order subsequence of one of
// the allowed sequences.
func qualifiersFit(allowed [][]string, quals []string) bool {
	for _, seq := range allowed {
		k := 0
		for _, q := range seq {
			if k < len(quals) && quals[k] == q {
				k++
			}
		}
		if k == len(quals) {
			return true
		}
	}
	return false
}

func describeQualifiers(allowed [][]string) string {
	if len(allowed) == 0 {
		return "none"
	}
	var alts []string
	for _, seq := range allowed {
		alts = append(alts, "/"+strings.Join(seq, "/…/")+"/…")
	}
	return strings.Join(alts, " or ")
}

// DigitalLink writes elements as a GS1 Digital Link URI under base (e.g.
// "https://id.gs1.org"): the first element must be a primary key; its
// qualifiers go in the path, the other AIs in the query.
func (p *Parser) DigitalLink(base string, elems []Element) (string, error) {
	d := p.dict()
	if len(elems) == 0 {
		return "", &Error{Offset: -1, Problem: ProblemSyntax, Msg: "no elements to write"}
	}
	key := d.Lookup(elems[0].AI)
	if key == nil || !key.DLPKey {
		return "", &Error{AI: elems[0].AI, Offset: -1, Problem: ProblemSyntax,
			Msg: fmt.Sprintf("AI (%s) is not a Digital Link primary key", elems[0].AI)}
	}
	if err := d.checkTogether(elems); err != nil {
		return "", err // e.g. one AI twice with different values: which one to write?
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(base, "/"))
	b.WriteString("/" + key.AI + "/" + dlEscape(elems[0].Value))
	// Qualifiers in the order of the first sequence that holds them all.
	var seq []string
	for _, s := range key.DLQualifiers {
		ok := true
		for _, e := range elems[1:] {
			if isQualifier(e.AI, [][]string{s}) {
				continue
			}
			if isQualifier(e.AI, key.DLQualifiers) {
				ok = false
			}
		}
		if ok {
			seq = s
			break
		}
	}
	for _, q := range seq {
		for _, e := range elems[1:] {
			if e.AI == q {
				b.WriteString("/" + q + "/" + dlEscape(e.Value))
				break
			}
		}
	}
	sep := "?"
	for i, e := range elems[1:] {
		if isQualifier(e.AI, [][]string{seq}) || e.AI == key.AI || repeats(elems[1:1+i], e.AI) {
			continue // written already: a repeat (same value) goes in once
		}
		spec := d.Lookup(e.AI)
		if spec == nil || !spec.DLAttr {
			return "", &Error{AI: e.AI, Offset: -1, Problem: ProblemSyntax,
				Msg: fmt.Sprintf("AI (%s) cannot be written in a Digital Link URI with key AI (%s)", e.AI, key.AI)}
		}
		b.WriteString(sep + e.AI + "=" + dlEscape(e.Value))
		sep = "&"
	}
	return b.String(), nil
}

func repeats(elems []Element, ai string) bool {
	for _, e := range elems {
		if e.AI == ai {
			return true
		}
	}
	return false
}

func isQualifier(ai string, seqs [][]string) bool {
	for _, s := range seqs {
		for _, q := range s {
			if q == ai {
				return true
			}
		}
	}
	return false
}

// dlEscape percent-encodes everything but the URI's unreserved characters,
// so values survive both in the path and in the query.
func dlEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
