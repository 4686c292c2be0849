package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// The schema is read from the raw* types' toml tags, so the decoder, the
// unknown-key check and the documentation test cannot disagree on it.

// schemaType is the raw type of the table at path (toml.Key.String form,
// "" for the top level), or nil when no such table exists.
func schemaType(path string) reflect.Type {
	switch path {
	case "":
		return reflect.TypeFor[rawFile]()
	case "station":
		return reflect.TypeFor[rawStation]()
	case "pick":
		return reflect.TypeFor[rawPick]()
	case "pack":
		return reflect.TypeFor[rawPack]()
	case "pack.boxes":
		return reflect.TypeFor[rawBox]()
	case "pack.ship_from":
		return reflect.TypeFor[rawAddress]()
	case "barcodes":
		return reflect.TypeFor[rawBarcodes]()
	case "scanners":
		return reflect.TypeFor[rawScanner]()
	case "printers":
		return reflect.TypeFor[rawPrinter]()
	case "scales":
		return reflect.TypeFor[rawScale]()
	case "sync":
		return reflect.TypeFor[rawSync]()
	case "store":
		return reflect.TypeFor[rawStore]()
	case "log":
		return reflect.TypeFor[rawLog]()
	}
	return nil
}

// isTableArray reports whether the table at path is written [[path]].
func isTableArray(path string) bool {
	switch path {
	case "scanners", "printers", "scales", "pack.boxes":
		return true
	}
	return false
}

// schemaKey is one key a table takes.
type schemaKey struct {
	name  string
	table bool // a table or [[array]] of its own, not a value
}

// schemaKeys lists the keys of raw type t in declaration order, embedded
// structs (the serial settings) in place.
func schemaKeys(t reflect.Type) []schemaKey {
	var keys []schemaKey
	for f := range t.Fields() {
		if f.Anonymous {
			keys = append(keys, schemaKeys(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		keys = append(keys, schemaKey{name: name, table: f.Type == reflect.TypeFor[toml.Primitive]()})
	}
	return keys
}

// keysOf is schemaKeys of the table at path, remembered for the next key.
func (c *checker) keysOf(path string) ([]schemaKey, bool) {
	if keys, ok := c.schema[path]; ok {
		return keys, true
	}
	t := schemaType(path)
	if t == nil {
		return nil, false
	}
	if c.schema == nil {
		c.schema = map[string][]schemaKey{}
	}
	c.schema[path] = schemaKeys(t)
	return c.schema[path], true
}

// unknownKeys reports every key the schema does not have, at each place it
// is written. The decoder's Undecoded list finds them; its Keys list is
// checked too because the decoder also matches a key that differs only in
// case (ID for id), which TOML does not, and of two such keys it would keep
// one at random.
func (c *checker) unknownKeys() {
	reported := map[string]bool{}
	for _, k := range c.md.Undecoded() {
		c.checkKey(k, false, reported)
	}
	for _, k := range c.md.Keys() {
		c.checkKey(k, true, reported)
	}
}

// checkKey walks k down the schema and reports its first unknown part;
// onlyCase limits that to parts that are known keys in another case.
func (c *checker) checkKey(k toml.Key, onlyCase bool, reported map[string]bool) {
	table := toml.Key{}
	for i, part := range k {
		keys, ok := c.keysOf(table.String())
		if !ok {
			return
		}
		j := slices.IndexFunc(keys, func(sk schemaKey) bool { return sk.name == part })
		if j >= 0 {
			if !keys[j].table {
				return // deeper parts belong to a value of the wrong type, reported as such
			}
			table = k[: i+1 : i+1]
			continue
		}
		sameButCase := slices.IndexFunc(keys, func(sk schemaKey) bool { return strings.EqualFold(sk.name, part) })
		if onlyCase && sameButCase < 0 {
			return
		}
		unknown := k[: i+1 : i+1]
		if reported[unknown.String()] {
			return
		}
		reported[unknown.String()] = true
		var msg string
		switch {
		case sameButCase >= 0:
			msg = fmt.Sprintf("unknown key: keys are written in lower case, as %q", keys[sameButCase].name)
		case closest(keys, part) != "":
			msg = fmt.Sprintf("unknown key: did you mean %q?", closest(keys, part))
		default:
			msg = "unknown key: " + knownKeysText(table.String(), keys)
		}
		c.reportEverywhere(unknown, msg)
		return
	}
}

// reportEverywhere reports msg at every place k is written (one unknown key
// may be in several [[scanners]]).
func (c *checker) reportEverywhere(k toml.Key, msg string) {
	places := c.lines.places[k.String()]
	if len(places) == 0 { // the key index missed it: still report, without a line
		c.errs = append(c.errs, &Error{File: c.file, Key: k.String(), Msg: msg})
		return
	}
	for _, p := range places {
		c.errs = append(c.errs, &Error{File: c.file, Line: c.lines.line(p), Key: p.String(), Msg: msg})
	}
}

// knownKeysText lists what a table takes, for a key too far from any of them
// to guess.
func knownKeysText(table string, keys []schemaKey) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
		if k.table {
			sub := toml.Key{k.name}.String()
			if table != "" {
				sub = table + "." + sub
			}
			if isTableArray(sub) {
				names[i] = "[[" + sub + "]]"
			} else {
				names[i] = "[" + sub + "]"
			}
		}
	}
	if table == "" {
		return "the file has the tables " + strings.Join(names, ", ")
	}
	header := "[" + table + "]"
	if isTableArray(table) {
		header = "[" + header + "]"
	}
	return header + " takes " + strings.Join(names, ", ")
}

// closest is the known key within two edits of part (one for short keys),
// if there is one.
func closest(keys []schemaKey, part string) string {
	best, bestDist := "", min(3, len(part)/2+1)
	for _, k := range keys {
		if d := editDistance(k.name, part); d < bestDist {
			best, bestDist = k.name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b in bytes; keys
// are ASCII.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
