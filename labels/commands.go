package labels

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/totewms/tote/internal/floor"
)

// Command is one command barcode: Code is what the scanner reads
// ("CMD:WORD"), Description what the operator reads.
type Command struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// DefaultCommands is the command table of the pick, pack and returns flows, a fresh
// copy on every call. A station may print its own table instead.
func DefaultCommands() []Command {
	var out []Command
	seen := map[floor.Command]bool{}
	for _, list := range [][]floor.CommandInfo{floor.PickCommands, floor.PackCommands, floor.ReturnsCommands} {
		for _, c := range list {
			if !seen[c.Command] {
				seen[c.Command] = true
				out = append(out, Command{Code: c.Command.Barcode(), Description: c.Description})
			}
		}
	}
	return out
}

// CommandSheetData is what a command-barcode sheet shows.
type CommandSheetData struct {
	Title    string    `json:"title,omitempty"` // defaults to "COMMAND BARCODES"
	Commands []Command `json:"commands"`
}

// maxCommands bounds a sheet (25 pages).
const maxCommands = 200

// checkCommand accepts "CMD:" and a word of capitals, digits and hyphens:
// characters every scanner and keyboard layout sends unchanged.
func checkCommand(c Command) error {
	word, ok := strings.CutPrefix(c.Code, "CMD:")
	if !ok || word == "" || len(c.Code) > 30 {
		return fmt.Errorf("command code %q must be CMD: and a word, at most 30 characters in all", c.Code)
	}
	for i := 0; i < len(word); i++ {
		if ch := word[i]; !(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-') {
			return fmt.Errorf("command code %q: the word after CMD: may have only capitals, digits and -", c.Code)
		}
	}
	if strings.TrimSpace(c.Description) == "" || !utf8.ValidString(c.Description) {
		return fmt.Errorf("command %s needs a description in valid UTF-8", c.Code)
	}
	return nil
}

// Command sheet geometry, in millimetres.
const (
	cmdTop  = 10.5 // first row under the title
	cmdRowH = 17   // description, barcode and gap
)

// CommandSheet lays out the command barcodes on as many 4×6 in pages as they
// need: each row is the description, the code in text and the code as
// Code 128.
func CommandSheet(d CommandSheetData) ([]Label, error) {
	if len(d.Commands) == 0 {
		return nil, errors.New("command sheet: no commands")
	}
	if len(d.Commands) > maxCommands {
		return nil, fmt.Errorf("command sheet: %d commands; at most %d", len(d.Commands), maxCommands)
	}
	if !utf8.ValidString(d.Title) {
		return nil, errors.New("command sheet: title is not valid UTF-8")
	}
	seen := map[string]bool{}
	for _, c := range d.Commands {
		if err := checkCommand(c); err != nil {
			return nil, fmt.Errorf("command sheet: %w", err)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("command sheet: %s is listed twice", c.Code)
		}
		seen[c.Code] = true
	}
	title := d.Title
	if title == "" {
		title = "COMMAND BARCODES"
	}
	stock := Stock4x6()
	perPage := int((stock.Height - margin - cmdTop) / cmdRowH)
	pages := (len(d.Commands) + perPage - 1) / perPage
	out := make([]Label, 0, pages)
	for p := 0; p < pages; p++ {
		var s sheet
		y := s.text(margin, 2.6, 70, 4, 1, title)
		s.text(75, 3.4, 23.6, 2.6, 1, fmt.Sprintf("PAGE %d OF %d", p+1, pages))
		s.rule(y+0.2, stock.Width)
		for i, c := range d.Commands[p*perPage : min(len(d.Commands), (p+1)*perPage)] {
			y := cmdTop + float64(i)*cmdRowH
			bars := s.text(margin, y, 62, 3.2, 1, c.Description) + 0.3
			s.text(66, y+0.5, 32.6, 2.4, 1, c.Code)
			s.code128(Rect{X: margin, Y: bars, W: 95.6, H: 10}, c.Code, 0.375)
		}
		l, err := s.label(fmt.Sprintf("commands page %d", p+1), stock)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}
