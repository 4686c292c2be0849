package config

import (
	"reflect"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestKeyIndexLines(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want map[string]int // keyPath.String() → line; 0: must not be indexed
	}{
		{
			name: "tables and keys",
			src:  "top = 1\n\n[station]\nid = \"A\" # c\n  site='B'\n[log]\nlevel=\"info\"\n",
			want: map[string]int{"top": 1, "station": 3, "station.id": 4, "station.site": 5, "log": 6, "log.level": 7},
		},
		{
			name: "arrays of tables counted",
			src:  "[[scanners]]\nname = \"a\"\n[[scanners]]\nname = \"b\"\n\n[[scanners]]\n\nname = \"c\"\n",
			want: map[string]int{"scanners[0]": 1, "scanners[0].name": 2, "scanners[1]": 3, "scanners[1].name": 4, "scanners[2]": 6, "scanners[2].name": 8},
		},
		{
			name: "nested arrays of tables",
			src:  "[pack]\nx = 1\n[[pack.boxes]]\nname = \"s\"\n[[pack.boxes]]\nname = \"m\"\n[[a]]\n[[a.b]]\nk = 1\n[[a]]\n[[a.b]]\nk = 2\n[a.c]\nq = 3\n",
			want: map[string]int{
				"pack": 1, "pack.x": 2, "pack.boxes[0]": 3, "pack.boxes[0].name": 4, "pack.boxes[1].name": 6,
				"a[0].b[0].k": 9, "a[1]": 10, "a[1].b[0]": 11, "a[1].b[0].k": 12, "a[1].c": 13, "a[1].c.q": 14,
			},
		},
		{
			name: "dotted keys and dotted headers",
			src:  "station.id = \"A\"\nstation . site = \"B\"\n[sync.inner]\na.b.c = 1\n",
			want: map[string]int{"station": 1, "station.id": 1, "station.site": 2, "sync": 3, "sync.inner": 3, "sync.inner.a": 4, "sync.inner.a.b.c": 4},
		},
		{
			name: "quoted keys",
			src:  "[\"odd table\"]\n\"a.b\" = 1\n'lit' = 2\n\"\\u0041x\" = 3\n",
			want: map[string]int{`"odd table"`: 1, `"odd table"."a.b"`: 2, `"odd table".lit`: 3, `"odd table".Ax`: 4},
		},
		{
			name: "strings that look like keys",
			src: "a = \"x = 1 # [b]\"\nb = '''\n[not]\nc = 2\n'''\nd = \"\"\"\nq \\\"\\\"\\\" = 3\n\"\"\"\"\"\ne = 'it\"s'\n" +
				"f = \"\"\"\\\n  [no]\"\"\"\ng = 1\n",
			want: map[string]int{"a": 1, "b": 2, "not": 0, "c": 0, "d": 6, "q": 0, "e": 9, "f": 10, "no": 0, "g": 12},
		},
		{
			name: "arrays and inline tables over several lines",
			src: "roles = [\n  \"picker\", # first\n  \"packer\",\n]\nscanners = [\n  {name = \"a\", port = \"/x\"},\n" +
				"  {name = \"b\",\n   port = \"/y\"},\n]\nm = [[1, 2], [3]]\nn = {x = {y = 1}}\nafter = 1\n",
			want: map[string]int{
				"roles": 1, "roles[0]": 2, "roles[1]": 3, "scanners[0]": 6, "scanners[0].port": 6,
				"scanners[1].name": 7, "scanners[1].port": 8, "m[1]": 10, "m[0][1]": 10, "n.x.y": 11, "after": 12,
			},
		},
		{
			name: "CRLF line ends",
			src:  "[station]\r\nid = \"A\"\r\n\r\nsite = \"B\"\r\n",
			want: map[string]int{"station": 1, "station.id": 2, "station.site": 4},
		},
		{
			name: "datetimes with spaces and odd values",
			src:  "t = 1979-05-27 07:32:00Z\nu = +inf\nv = 0x1F\nw = 1_000\n",
			want: map[string]int{"t": 1, "u": 2, "v": 3, "w": 4},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := toml.Decode(tc.src, new(map[string]any)); err != nil {
				t.Fatalf("test input is not valid TOML: %v", err)
			}
			kl := indexKeys([]byte(tc.src))
			for key, line := range tc.want {
				got, ok := kl.at[key]
				if line == 0 && ok {
					t.Errorf("%s indexed at line %d; it is not a key", key, got)
				}
				if line != 0 && got != line {
					t.Errorf("%s at line %d, want %d (index: %v)", key, got, line, kl.at)
				}
			}
		})
	}
}

func TestKeyIndexPlaces(t *testing.T) {
	src := "[[scanners]]\nname = \"a\"\nbud = 1\n[[scanners]]\nname = \"b\"\n[[scanners]]\nbud = 2\n"
	kl := indexKeys([]byte(src))
	var got []string
	for _, p := range kl.places["scanners.bud"] {
		got = append(got, p.String())
	}
	if want := []string{"scanners[0].bud", "scanners[2].bud"}; !reflect.DeepEqual(got, want) {
		t.Errorf("places of scanners.bud: %q, want %q", got, want)
	}
}

// TestKeyIndexCoversDecoderKeys checks the index against the decoder on
// every file of the package's tests and examples: each key the decoder saw
// must have a place in the index.
func TestKeyIndexCoversDecoderKeys(t *testing.T) {
	for _, src := range fuzzSeeds() {
		checkIndexCovers(t, []byte(src))
	}
}

// checkIndexCovers fails t when the decoder accepts src and finds a key that
// the index does not place.
func checkIndexCovers(t *testing.T, src []byte) {
	t.Helper()
	md, err := toml.Decode(string(src), new(map[string]any))
	if err != nil {
		return
	}
	kl := indexKeys(src)
	for _, k := range md.Keys() {
		if len(kl.places[k.String()]) == 0 {
			t.Errorf("decoder key %q not in the index of:\n%s", k.String(), src)
		}
	}
}
