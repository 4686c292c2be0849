package hub_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/gs1"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// refGen writes a reference import of n items and n locations as it is
// read, never holding more than one record: the items first, each at a
// location listed after it, then the locations; or the locations first
// (locsFirst). tail, when set, comes after the last record of the second
// list instead of the ends of the list and the body.
type refGen struct {
	madeAsRead
	n, i      int // i counts the records written, both lists
	locsFirst bool
}

func refs(n int) *refGen          { return newRefGen(n, false) }
func refsLocsFirst(n int) *refGen { return newRefGen(n, true) }

func newRefGen(n int, locsFirst bool) *refGen {
	g := &refGen{n: n, locsFirst: locsFirst}
	g.next = g.piece
	return g
}

// genPairMin and genPairMax bound what one generated item and its
// location take, with their commas, in a body of a thousand pairs or more.
const genPairMin, genPairMax = 290, 300

// genGTIN is the ith generated item's GTIN, its check digit right.
func genGTIN(i int) string {
	p := fmt.Sprintf("04%011d", i)
	return fmt.Sprintf("%s%d", p, gs1.CheckDigit(p))
}

func (g *refGen) piece(b []byte) ([]byte, bool) {
	first, second := "items", "locations"
	if g.locsFirst {
		first, second = second, first
	}
	switch {
	case g.i == 0:
		b = fmt.Appendf(b, `{"%s": [`, first)
	case g.i == g.n:
		b = fmt.Appendf(b, "],\n\"%s\": [", second)
	case g.i < 2*g.n:
		b = append(b, ",\n"...)
	}
	if g.i < 2*g.n {
		k := g.i%g.n + 1
		if (g.i < g.n) == g.locsFirst {
			b = fmt.Appendf(b, `{"code":"L-G%07d","zone":"G","aisle":%d,"bay":%d,"level":1,"position":"front","walk_seq":%d}`, k, 1+k/100, 1+k%100, k)
		} else {
			b = fmt.Appendf(b, `{"sku":"SKU-G%07d","description":"Mug, red, 350 ml","gtins":["%s"],"unit_weight_g":350,`+
				`"length_mm":120,"width_mm":90,"height_mm":100,"lot_controlled":true,"location":"L-G%07d"}`, k, genGTIN(k), k)
		}
		g.i++
	} else {
		if g.tail != nil {
			b = append(b, *g.tail...)
		} else {
			b = append(b, "]}\n"...)
		}
		return b, true
	}
	return b, false
}

// refState is what a reference import may change, as counts.
func refState(t *testing.T, h *sitetest.Hub) string {
	t.Helper()
	q := `SELECT (SELECT COUNT(*) FROM operators), (SELECT COUNT(*) FROM locations), (SELECT COUNT(*) FROM items),
		(SELECT COUNT(*) FROM item_gtins), (SELECT COUNT(*) FROM item_locations), (SELECT COUNT(*) FROM changes)`
	var a, b, c, d, e, f int64
	var err error
	if h.PG != nil {
		err = h.PG.Pool().QueryRow(context.Background(), q).Scan(&a, &b, &c, &d, &e, &f)
	} else {
		err = h.Store.DB().R.QueryRow(q).Scan(&a, &b, &c, &d, &e, &f)
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("operators %d, locations %d, items %d, gtins %d, other locations %d, changes %d", a, b, c, d, e, f)
}

const genOperator = `], "operators": [{"badge":"B-G1","name":"Ana Picker","roles":["picker"],"pin":"246813"}]}`

// TestReferenceImportStreamsAndStopsMidway: reference imports of
// thousands of items and locations, in either order, read as they come,
// on both stores over HTTP. A body malformed, cut short, unreadable or
// refused (by a record alone, against an earlier one, or against the hub
// in the transaction) after thousands of good records is refused with the
// record and the byte it stopped at, and leaves the database as it was; a
// good one imports every record, its PIN hashed; no spool file stays.
func TestReferenceImportStreamsAndStopsMidway(t *testing.T) {
	for _, kind := range sitetest.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			h, spool := streamHub(t, kind, nil)
			before := refState(t, h)
			for _, tc := range []struct {
				name   string
				body   io.Reader
				status int
				says   []string
			}{
				{"junk after location 2000", refs(2000).then(`, {"code": }`), 400,
					[]string{"not valid JSON in location 2001, at byte", "nothing was imported"}},
				{"cut short in item 2001", refsLocsFirst(2000).then(`, {"sku":"SKU-X","desc`), 400,
					[]string{"ends in item 2001", "cut short"}},
				{"cut short after the lists", refs(2000).then(""), 400, []string{"ends after location 2000", "cut short"}},
				{"an unknown field in location 1501", refs(1500).then(`,{"code":"L-X","colour":"red"}]}`), 400,
					[]string{"location 1501", "unknown field", "colour"}},
				{"a field the body does not have", refs(1500).then(`], "orders": []}`), 400,
					[]string{`the body has a field "orders": a reference import has only "operators", "locations" or "items"`}},
				{"items twice", refsLocsFirst(1000).then(`], "items": []}`), 400, []string{`"items" twice`}},
				{"a hostile item 2001", refsLocsFirst(2000).then(`,{"sku":"SKU-X","description":"a\u001b[2Jb"}]}`), 400,
					[]string{"item 2001 (SKU-X)", "U+001B", "item 2001 ends at byte"}},
				{"a case twin of item 7", refsLocsFirst(2000).then(`,{"sku":"sku-g0000007","description":"Mug"}]}`), 400,
					[]string{"item 2001: the SKU sku-g0000007 differs from the SKU SKU-G0000007 only in letter case"}},
				{"item 5's GTIN on item 2001", refsLocsFirst(2000).then(`,{"sku":"SKU-Y","description":"Mug","gtins":["` + genGTIN(5) + `"]}]}`), 400,
					[]string{"item 2001 (SKU-Y): the GTIN " + genGTIN(5) + " is also item SKU-G0000005's"}},
				{"a short PIN", refsLocsFirst(1000).then(`], "operators": [{"badge":"B-G2","name":"Bo","roles":["picker"],"pin":"12"}]}`), 400,
					[]string{"operator 1 (B-G2)", "pin_min_digits", "operator 1 ends at byte"}},
				{"an item at an unknown location", refsLocsFirst(2000).then(`,{"sku":"SKU-Z","description":"Mug","location":"NOPE-1"}]}`), 400,
					[]string{"item 2001 (SKU-Z): location NOPE-1 is not known", "item 2001 ends at byte"}},
				{"a case twin of the hub's MUG-1", refsLocsFirst(2000).then(`,{"sku":"mug-1","description":"Mug"}]}`), 409,
					[]string{"item 2001 (mug-1): the hub has item MUG-1"}},
				{"a body that fails to read", io.MultiReader(refs(1000).then(","), failingReader{}), 0, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					refusedAsIs(t, h, "/admin/v1/reference", "application/json", tc.body, tc.status, tc.says, before, refState)
				})
			}
			if a := postTo(t, h, "/admin/v1/reference", "application/json", refs(2000)); a.status != 200 || !strings.Contains(string(a.body), `"locations":2000,"items":2000`) {
				t.Fatalf("items before their locations: %d %s", a.status, a.body)
			}
			a := postTo(t, h, "/admin/v1/reference", "application/json", refsLocsFirst(2000).then(genOperator))
			if a.status != 200 || !strings.Contains(string(a.body), `{"operators":1,"locations":2000,"items":2000}`) {
				t.Fatalf("the same again, locations first, with an operator: %d %s", a.status, a.body)
			}
			if got, want := refState(t, h), "operators 1, locations 2002, items 2002, gtins 2000, other locations 0"; !strings.HasPrefix(got, want) {
				t.Fatalf("after the imports: %s, want %s", got, want)
			}
			var hash string
			q := `SELECT pin_hash FROM operators WHERE badge='B-G1'`
			if h.PG != nil {
				_ = h.PG.Pool().QueryRow(context.Background(), q).Scan(&hash)
			} else {
				_ = h.Store.DB().R.QueryRow(q).Scan(&hash)
			}
			if !strings.HasPrefix(hash, "scrypt$") {
				t.Fatalf("the operator's PIN is kept as %q, not hashed", hash)
			}
			waitSpoolEmpty(t, h, spool)
		})
	}
}

// TestReferenceImportClientGoneMidBody: the client declares a 64 MiB
// reference body, sends two thousand items and locations and hangs up.
// The hub stops, leaves the database as it was and its spool empty.
func TestReferenceImportClientGoneMidBody(t *testing.T) {
	goneMidBody(t, "/admin/v1/reference", refs(2000).then(","), refState)
}

// TestReferenceImportOverTheLimitMidStream: a reference body of unknown
// length (chunked) that passes 64 MiB is cut there and refused with 413
// after 64 MiB of good records, and nothing of them is imported.
func TestReferenceImportOverTheLimitMidStream(t *testing.T) {
	overTheLimit(t, "/admin/v1/reference", refs((64<<20)/genPairMin+10000), "larger than 64 MiB (stopped after ", refState)
	// The hub may close the connection before the client reads its
	// answer: the refusal itself, as the endpoint makes it.
	err := hub.SpoolReference(refs((64<<20)/genPairMin + 10000))
	var pe *protocol.Error
	if !errors.As(err, &pe) || pe.Code != protocol.CodeTooLarge || !strings.Contains(pe.Message, "larger than 64 MiB (stopped after location ") {
		t.Fatalf("a body past 64 MiB refused with %v", err)
	}
}

// inMemoryReference is the reference import as it was before it streamed:
// the whole body decoded into one value, then written (ImportReference).
// It is the baseline of BenchmarkReferenceImport64MiB.
func inMemoryReference(api hub.API) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ref protocol.Reference
		if decodeBody(w, r, &ref) {
			res, err := api.ImportReference(r.Context(), ref)
			answerWith(w, res, err)
		}
	})
}

// BenchmarkReferenceImport64MiB imports a 64 MiB JSON reference body of
// about 224,000 items and as many locations (the items first, each at a
// location listed after it), made as it is sent, over loopback HTTP into a
// SQLite hub: streamed through the hub's own endpoint, and the former
// handler (the body decoded whole first) in the same run. It reports what
// BenchmarkOrderImport64MiB does: the peaks of heap and resident size,
// next to the body, and the streamed import's over the baseline's.
//
//	go test -run '^$' -bench ReferenceImport64MiB -benchtime 1x ./sync/hub
func BenchmarkReferenceImport64MiB(b *testing.B) {
	n := (64<<20 - 1024) / genPairMax
	importBench{path: "/admin/v1/reference", unit: "records", records: 2 * n,
		body:     func() io.Reader { return refs(n) },
		want:     fmt.Sprintf(`"locations":%d,"items":%d`, n, n),
		baseline: inMemoryReference,
	}.run(b)
}
