package labels

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextLines(t *testing.T) {
	// Width 20mm at 4mm: digits and lower case are 2.24mm, so 8 fit.
	box := func(lines int, v string) Text {
		return Text{Rect: Rect{W: 20, H: textHeight(4, lines)}, Size: 4, Value: v}
	}
	cases := []struct {
		name string
		text Text
		want []string
	}{
		{"fits", box(1, "abc def"), []string{"abc def"}},
		{"empty", box(2, ""), nil},
		{"wraps at the space", box(2, "abcdef ghijk"), []string{"abcdef", "ghijk"}},
		{"breaks a long word", box(2, "abcdeabcdeabc"), []string{"abcdeabc", "deabc"}},
		{"cuts with an ellipsis", box(1, "abcdef ghijk"), []string{"abcdef…"}},
		{"newline breaks", box(3, "ab\ncd"), []string{"ab", "cd"}},
		{"CRLF breaks", box(3, "ab\r\ncd\rxy"), []string{"ab", "cd", "xy"}},
		{"newline past the last line cuts", box(1, "ab\ncd"), []string{"ab…"}},
		{"blank paragraph kept", box(3, "a\n\nb"), []string{"a", "", "b"}},
		{"literal ellipsis kept", box(1, "abc…"), []string{"abc…"}},
		{"emoji are full width", box(1, "😀😀😀😀😀😀"), []string{"😀😀😀😀…"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.text.Lines()
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Lines() = %q, want %q", got, c.want)
			}
			if err := literalLayout(c.text.Value, got); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTextLinesFitTheirBox(t *testing.T) {
	long := strings.Repeat("Wide WORDS and narrow ill ones, ÄÖÜ, 中文, 😀 ", 120) // ~5,000 characters
	for _, size := range []float64{2.2, 3.6, 5, 14} {
		for _, n := range []int{1, 2, 5} {
			tx := Text{Rect: Rect{W: 60, H: textHeight(size, n)}, Size: size, Value: long}
			lines := tx.Lines()
			if len(lines) != n {
				t.Errorf("size %g, %d lines: got %d lines", size, n, len(lines))
			}
			for _, l := range lines {
				if w := textWidth(l, size); w > tx.W {
					t.Errorf("size %g: line %q is %gmm wide in a %gmm box", size, l, w, tx.W)
				}
			}
			if err := literalLayout(long, lines); err != nil {
				t.Error(err)
			}
		}
	}
}

func FuzzTextLines(f *testing.F) {
	for _, s := range []string{"", "abc def", "^XZ~JA_", "a\n\nb", "\r\n", "😀👩‍👩‍👧 مرحبا", strings.Repeat("x", 300), "  lead and trail  ", "a \nb"} {
		f.Add(s, 3.0, 40.0, uint8(2))
	}
	f.Fuzz(func(t *testing.T, v string, size, width float64, n uint8) {
		if !utf8.ValidString(v) || !(size >= 1 && size <= 20) || !(width >= size && width <= 200) || n == 0 || n > 10 {
			return
		}
		tx := Text{Rect: Rect{W: width, H: textHeight(size, int(n))}, Size: size, Value: v}
		lines := tx.Lines()
		if len(lines) > int(n) {
			t.Fatalf("%d lines in a box for %d", len(lines), n)
		}
		for _, l := range lines {
			if w := textWidth(l, size); w > width+1e-9 {
				t.Fatalf("line %q is %gmm wide in a %gmm box", l, w, width)
			}
		}
		if err := literalLayout(v, lines); err != nil {
			t.Fatal(err)
		}
	})
}
