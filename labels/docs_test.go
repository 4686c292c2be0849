package labels

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestDocsSSCCsAreValid: every SSCC the documentation shows (an 18-digit
// number) has a right check digit, and the ones it says a station makes are
// what StationSSCC makes. docs/hub.md's read API example showed
// 340063810000000013, which no bench prints and a scanner refuses.
func TestDocsSSCCsAreValid(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "docs", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no docs: %v", err)
	}
	files = append(files, filepath.Join("..", "README.md"))
	// 18 digits standing alone: not the start of a GS1 element string.
	eighteen := regexp.MustCompile(`(?:^|[^0-9A-Za-z])([0-9]{18})(?:[^0-9A-Za-z]|$)`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range eighteen.FindAllStringSubmatch(string(b), -1) {
			seen++
			if err := ValidateSSCC(m[1]); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
	if seen == 0 {
		t.Fatal("found no SSCC in the docs: the pattern is wrong")
	}
	// The hub's read API example is station 1's first carton.
	first, err := StationSSCC("0614141", 0, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join("..", "docs", "hub.md"))
	if !regexp.MustCompile(`"sscc": "` + first + `"`).Match(b) {
		t.Errorf("docs/hub.md's read API example does not show station 1's first SSCC %s", first)
	}
}
