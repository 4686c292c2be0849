package labels

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// zplField is one ^FO…^FS field of tote's own ZPL, read back independently
// of the code that wrote it.
type zplField struct {
	cmds []string // commands before ^FD, e.g. "FO24,27", "A0N,18,18", "FH"
	data string   // field data as written
	hex  bool     // ^FH came before ^FD
}

func (f zplField) has(prefix string) bool {
	for _, c := range f.cmds {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

// parseFields reads the fields of one or more formats. Field data never
// holds ^ in tote's output (it is escaped), so cutting at ^ is exact.
func parseFields(t testing.TB, zpl string) []zplField {
	t.Helper()
	var out []zplField
	var cur zplField
	for _, tok := range strings.Split(zpl, "^")[1:] {
		tok = strings.TrimRight(tok, "\n")
		switch {
		case strings.HasPrefix(tok, "FD"):
			cur.data = tok[2:]
		case tok == "FS":
			out = append(out, cur)
			cur = zplField{}
		case tok == "FH":
			cur.hex = true
			cur.cmds = append(cur.cmds, tok)
		case strings.HasPrefix(tok, "FO"), strings.HasPrefix(tok, "A0"), strings.HasPrefix(tok, "BC"),
			strings.HasPrefix(tok, "BY"), strings.HasPrefix(tok, "BX"), strings.HasPrefix(tok, "GB"),
			strings.HasPrefix(tok, "GFA,"):
			cur.cmds = append(cur.cmds, tok)
		case strings.HasPrefix(tok, "XA"), strings.HasPrefix(tok, "XZ"), strings.HasPrefix(tok, "CI"),
			strings.HasPrefix(tok, "PW"), strings.HasPrefix(tok, "LL"), strings.HasPrefix(tok, "LH"):
		default:
			t.Fatalf("unexpected ZPL command ^%s", tok)
		}
	}
	return out
}

// unhex undoes ^FH escapes (_XX).
func unhex(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			t.Fatalf("truncated hex escape in %q", s)
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			t.Fatalf("bad hex escape in %q: %v", s, err)
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String()
}

// decodeGFA reads a ^GFA command (without the ^) back into its picture: width
// in bytes per row and the rows, undoing ZPL's ASCII compression as the
// printer does (G–Y repeat 1–19, g–z repeat 20–400 and add up, "," fills
// the row with 0, "!" with F, ":" repeats the row above).
func decodeGFA(cmd string) (rowBytes int, rows []string, err error) {
	parts := strings.SplitN(cmd, ",", 5)
	if len(parts) != 5 || parts[0] != "GFA" {
		return 0, nil, fmt.Errorf("not a ^GFA command: %.40q", cmd)
	}
	total, err1 := strconv.Atoi(parts[1])
	total2, err2 := strconv.Atoi(parts[2])
	rowBytes, err3 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || err3 != nil || total != total2 || rowBytes <= 0 || total%rowBytes != 0 {
		return 0, nil, fmt.Errorf("bad ^GFA sizes in %.40q", cmd)
	}
	width := 2 * rowBytes
	var row strings.Builder
	count := 0
	end := func() {
		rows = append(rows, row.String())
		row.Reset()
	}
	for _, c := range parts[4] {
		switch {
		case c >= 'G' && c <= 'Y':
			count += int(c-'G') + 1
		case c >= 'g' && c <= 'z':
			count += 20 * (int(c-'g') + 1)
		case c == ',' || c == '!':
			fill := "0"
			if c == '!' {
				fill = "F"
			}
			row.WriteString(strings.Repeat(fill, width-row.Len()))
		case c == ':':
			if len(rows) == 0 || row.Len() != 0 {
				return 0, nil, fmt.Errorf("':' with no row above in %.40q", cmd)
			}
			row.WriteString(rows[len(rows)-1])
		case strings.ContainsRune("0123456789ABCDEF", c):
			row.WriteString(strings.Repeat(string(c), max(count, 1)))
			count = 0
		default:
			return 0, nil, fmt.Errorf("byte %q in ^GFA data", c)
		}
		if row.Len() > width {
			return 0, nil, fmt.Errorf("a row runs past %d hex digits in %.40q", width, cmd)
		}
		if row.Len() == width {
			end()
		}
	}
	if row.Len() != 0 || len(rows)*rowBytes != total {
		return 0, nil, fmt.Errorf("^GFA carries %d rows of %d bytes, says %d bytes", len(rows), rowBytes, total)
	}
	return rowBytes, rows, nil
}

// decodeBC reads ^BC mode N field data (after ^FH) back into symbols the way
// a printer does: start code, digit pairs in subset C, >8 FNC1, >6 to
// subset B, >0 for a literal > in subset B.
func decodeBC(data string) ([]int, error) {
	var s []int
	var set byte
	switch {
	case strings.HasPrefix(data, ">;"):
		set = 'C'
	case strings.HasPrefix(data, ">:"):
		set = 'B'
	default:
		return nil, fmt.Errorf("no start code in %q", data)
	}
	for i := 2; i < len(data); {
		if data[i] == '>' {
			if i+1 >= len(data) {
				return nil, fmt.Errorf("dangling > in %q", data)
			}
			switch code := data[i+1]; {
			case code == '8':
				s = append(s, fnc1)
			case code == '6' && set == 'C':
				set = 'B'
			case code == '0' && set == 'B':
				s = append(s, '>')
			default:
				return nil, fmt.Errorf("invocation >%c in subset %c of %q", code, set, data)
			}
			i += 2
			continue
		}
		if set == 'C' {
			if i+1 >= len(data) || !isDigit(int(data[i])) || !isDigit(int(data[i+1])) {
				return nil, fmt.Errorf("subset C needs digit pairs at %d of %q", i, data)
			}
			s = append(s, int(data[i]), int(data[i+1]))
			i += 2
			continue
		}
		s = append(s, int(data[i]))
		i++
	}
	return s, nil
}

// symbolsText shows symbols as a scanner sends them after the symbology
// identifier: a leading FNC1 is dropped (it shows as ]C1), later ones are GS.
func symbolsText(s []int) string {
	var b strings.Builder
	for i, c := range s {
		if c == fnc1 {
			if i > 0 {
				b.WriteByte(0x1d)
			}
			continue
		}
		b.WriteByte(byte(c))
	}
	return b.String()
}

// exampleData reads the example data files of docs/label-data.
func exampleData(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range Templates() {
		b, err := os.ReadFile(filepath.Join("..", "docs", "label-data", name+".json"))
		if err != nil {
			t.Fatalf("example data for %s: %v", name, err)
		}
		out[name] = b
	}
	return out
}

// exampleLabels builds every template from its example data.
func exampleLabels(t testing.TB) map[string][]Label {
	t.Helper()
	out := map[string][]Label{}
	for name, data := range exampleData(t) {
		ls, err := FromJSON(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = ls
	}
	return out
}

// literalLayout reports whether lines are value printed literally: each line
// is the next run of the text, lines break at a space or newline (which is
// not printed) or inside a word, and a last line ending in "…" means the
// rest was cut.
func literalLayout(value string, lines []string) error {
	rest := norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", "\n"), "\r", "\n"))
	if !matchLines(rest, lines, true) {
		return fmt.Errorf("lines %q do not print %q literally", lines, value)
	}
	return nil
}

func matchLines(rest string, lines []string, first bool) bool {
	if len(lines) == 0 {
		return rest == "" || (!first && rest == " ") // a space a line broke at is not printed
	}
	if !first {
		// A newline is never printed, so a line must break at it; a space
		// may or may not be where the line broke.
		if strings.HasPrefix(rest, "\n") {
			return matchLine(rest[1:], lines)
		}
		if strings.HasPrefix(rest, " ") && matchLine(rest[1:], lines) {
			return true
		}
	}
	return matchLine(rest, lines)
}

func matchLine(rest string, lines []string) bool {
	line := lines[0]
	if len(lines) == 1 && strings.HasSuffix(line, ellipsis) && rest != line {
		cut := strings.TrimSuffix(line, ellipsis)
		return strings.HasPrefix(rest, cut) && len(rest) > len(cut)
	}
	return strings.HasPrefix(rest, line) && matchLines(rest[len(line):], lines[1:], false)
}
