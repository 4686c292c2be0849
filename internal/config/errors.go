package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a configuration file, placed at the line of the key
// (or of its table, when the key is missing) so the person at the station can
// go straight to it.
type Error struct {
	File string // path of the file as given to Load or Parse; may be empty
	Line int    // 1-based; 0 when no line applies (a whole table is missing)
	Key  string // full key such as "barcodes.tote" or "scanners[1].baud"; may be empty for syntax errors
	Msg  string // what is wrong, in plain words

	err error // underlying cause (a read error, say) for errors.Is
}

// Error prints "file:line: key: msg", leaving out what is unknown.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap gives errors.Is access to the cause, such as fs.ErrNotExist.
func (e *Error) Unwrap() error { return e.err }

// Errors is every problem found in one file. Load and Parse always return
// their errors as *Errors, sorted by line, so a station reports everything
// that is wrong at once instead of one problem per restart.
type Errors struct {
	List []*Error
}

// Error prints one problem per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, err := range e.List {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find each *Error and errors.Is see their causes.
func (e *Errors) Unwrap() []error {
	out := make([]error, len(e.List))
	for i, err := range e.List {
		out[i] = err
	}
	return out
}

var (
	_ error = (*Error)(nil)
	_ error = (*Errors)(nil)
)

// sortErrors orders problems as they appear in the file; problems without a
// line (a missing table) come last, where a reader finishes.
func sortErrors(list []*Error) {
	slices.SortStableFunc(list, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Key, b.Key))
	})
}
