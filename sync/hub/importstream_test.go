package hub_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// orderGen writes an order import of n orders as it is read, never holding
// more than one order: JSON ({"orders": [...]}) or CSV (two rows an
// order). tail, when set, comes after the last order instead of the end of
// the body: junk, or nothing at all (cut short).
type orderGen struct {
	madeAsRead
	csv  bool
	n, i int
}

func jsonOrders(n int) *orderGen { return newOrderGen(n, false) }
func csvOrders(n int) *orderGen  { return newOrderGen(n, true) }

func newOrderGen(n int, csv bool) *orderGen {
	g := &orderGen{n: n, csv: csv}
	g.next = g.piece
	return g
}

// madeAsRead is a body made a piece at a time as it is read, so that a
// test sends a large one without holding it: next appends the next piece
// to b and says whether it was the last.
type madeAsRead struct {
	next func(b []byte) ([]byte, bool)
	tail *string // set: comes instead of the body's proper end
	buf  []byte
	done bool
}

// then ends the body with tail instead of its proper end.
func (m *madeAsRead) then(tail string) io.Reader { m.tail = &tail; return m }

func (m *madeAsRead) Read(p []byte) (int, error) {
	for len(m.buf) == 0 {
		if m.done {
			return 0, io.EOF
		}
		m.buf, m.done = m.next(m.buf[:0])
	}
	n := copy(p, m.buf)
	m.buf = m.buf[n:]
	return n, nil
}

const genCSVHeader = "order_id,line_no,sku,qty,priority,customer,ship_to_name,ship_to_line1,ship_to_city,ship_to_postal_code,ship_to_country,carrier,service\n"

// genOrderBytes is what one generated JSON order takes, with its comma.
const genOrderBytes = 288

func (g *orderGen) piece(b []byte) ([]byte, bool) {
	if g.i == 0 {
		if g.csv {
			b = append(b, genCSVHeader...)
		} else {
			b = append(b, `{"orders": [`...)
		}
	}
	if g.i < g.n {
		g.i++
		id := fmt.Sprintf("SO-G%07d", g.i)
		if g.csv {
			for line, sku := range []string{"MUG-1", "CAN-1"} {
				b = fmt.Appendf(b, "%s,%d,%s,%d,1,Olivia Smith,Olivia Smith,1450 Maple St,Springfield,62701,US,UPS,Ground\n", id, line+1, sku, 1+g.i%3)
			}
		} else {
			if g.i > 1 {
				b = append(b, ",\n"...)
			}
			b = fmt.Appendf(b, `{"id":"%s","priority":1,"customer":"Olivia Smith","ship_to":{"name":"Olivia Smith","line1":"1450 Maple St",`+
				`"city":"Springfield","postal_code":"62701","country":"US"},"carrier":"UPS","service":"Ground",`+
				`"lines":[{"line":1,"sku":"MUG-1","qty":%d},{"line":2,"sku":"CAN-1","qty":1}]}`, id, 1+g.i%3)
		}
	} else {
		switch {
		case g.tail != nil:
			b = append(b, *g.tail...)
		case !g.csv:
			b = append(b, "]}\n"...)
		}
		return b, true
	}
	return b, false
}

// streamHub is a hub of the kind with the two items the generated orders
// name, its spool directory (TMPDIR) of its own.
func streamHub(t *testing.T, kind sitetest.Kind, wrap func(http.Handler) http.Handler) (*sitetest.Hub, string) {
	t.Helper()
	spool := t.TempDir()
	t.Setenv("TMPDIR", spool)
	h := sitetest.NewHubOn(t, kind, t.TempDir(), hubstore.Options{}, wrap)
	_, err := h.API.ImportReference(context.Background(), protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01", Zone: "A", WalkSeq: 1}, {Code: "A-02", Zone: "A", WalkSeq: 2}},
		Items:     []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}, {SKU: "CAN-1", Description: "Candle", Location: "A-02"}}})
	if err != nil {
		t.Fatal(err)
	}
	return h, spool
}

// importState is what an order import may change, as counts.
func importState(t *testing.T, h *sitetest.Hub) string {
	t.Helper()
	q := `SELECT (SELECT COUNT(*) FROM orders), (SELECT COUNT(*) FROM order_lines), (SELECT COUNT(*) FROM order_holds),
		(SELECT COUNT(*) FROM facts), (SELECT COUNT(*) FROM changes)`
	var a, b, c, d, e int64
	var err error
	if h.PG != nil {
		err = h.PG.Pool().QueryRow(context.Background(), q).Scan(&a, &b, &c, &d, &e)
	} else {
		err = h.Store.DB().R.QueryRow(q).Scan(&a, &b, &c, &d, &e)
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("orders %d, lines %d, holds %d, facts %d, changes %d", a, b, c, d, e)
}

// postImport sends body (its length unknown: chunked) as an order import.
func postImport(t *testing.T, h *sitetest.Hub, contentType string, body io.Reader) answer {
	t.Helper()
	return postTo(t, h, "/admin/v1/orders", contentType, body)
}

// postTo sends body (its length unknown: chunked) to the hub's path.
func postTo(t *testing.T, h *sitetest.Hub, path, contentType string, body io.Reader) answer {
	t.Helper()
	req, err := http.NewRequest("POST", h.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.Admin)
	req.Header.Set(protocol.VersionHeader, "1")
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b}
}

func spoolEmpty(t *testing.T, dir string) {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 0 {
		t.Fatalf("the spool directory keeps %d files after the import", len(es))
	}
}

// TestImportStreamsAndStopsMidway: imports of thousands of orders read as
// they come, on both stores. A body malformed, cut short or unreadable after
// thousands of good orders is refused with the order and byte (or CSV
// line) it stopped at, and leaves the database as it was; a good one
// imports every order; no spool file stays behind.
func TestImportStreamsAndStopsMidway(t *testing.T) {
	for _, kind := range []sitetest.Kind{sitetest.SQLite, sitetest.Postgres} {
		t.Run(string(kind), func(t *testing.T) {
			h, spool := streamHub(t, kind, nil)
			before := importState(t, h)
			for _, tc := range []struct {
				name, ct string
				body     io.Reader
				status   int
				says     []string
			}{
				{"junk after order 3000", "application/json", jsonOrders(3000).then(`, {"id": "SO-X", "lines": [}`), 400,
					[]string{"not valid JSON in order 3001, at byte", "nothing was imported"}},
				{"cut short in order 2001", "application/json", jsonOrders(2000).then(`, {"id":"SO-G9","lines":[{"line":1,`), 400,
					[]string{"ends in order 2001", "cut short"}},
				{"cut short after the list", "application/json", jsonOrders(2000).then(""), 400, []string{"ends after order 2000", "cut short"}},
				{"an unknown field in order 1501", "application/json", jsonOrders(1500).then(`,{"id":"SO-Y","lines":[],"colour":"red"}]}`), 400,
					[]string{"order 1501", "unknown field", "colour"}},
				{"a hostile order 2501", "application/json", jsonOrders(2500).then(`,{"id":"SO-Z","customer":"a\u001b[2Jb","lines":[{"line":1,"sku":"MUG-1","qty":1}]}]}`), 400,
					[]string{"order 2501: order SO-Z", "U+001B"}},
				{"an unknown SKU in order 2001", "application/json", jsonOrders(2000).then(`,{"id":"SO-S","ship_to":{"name":"O","line1":"1 Main St","city":"X","country":"US"},"lines":[{"line":1,"sku":"NOPE","qty":1}]}]}`), 409,
					[]string{"order SO-S line 1: SKU NOPE is not known"}},
				{"a bare quote on CSV line 4002", "text/csv", csvOrders(2000).then("SO-Q,1,MUG-1,1,1,\"Ol\"ivia,O,1 Main St,X,1,US,UPS,Ground\n"), 400,
					[]string{"line 4002", "quote"}},
				{"a formula on CSV line 3002", "text/csv", csvOrders(1500).then("SO-F,1,MUG-1,1,1,=SUM(A1),O,1 Main St,X,1,US,UPS,Ground\n"), 400,
					[]string{"line 3002: customer", "formula"}},
				{"an order's CSV rows apart", "text/csv", csvOrders(1000).then("SO-G0000007,3,MUG-1,1,1,Olivia Smith,Olivia Smith,1450 Maple St,Springfield,62701,US,UPS,Ground\n"), 400,
					[]string{"line 2002: order SO-G0000007 came on line 14 already", "keep each order's rows together"}},
				{"a body that fails to read", "application/json", io.MultiReader(jsonOrders(1000).then(","), failingReader{}), 0, nil},
			} {
				t.Run(tc.name, func(t *testing.T) {
					refusedAsIs(t, h, "/admin/v1/orders", tc.ct, tc.body, tc.status, tc.says, before, importState)
				})
			}
			for _, g := range []*orderGen{jsonOrders(2000), csvOrders(2000)} {
				ct := "application/json"
				if g.csv {
					ct = "text/csv"
				}
				if a := postImport(t, h, ct, g); a.status != 200 || !strings.Contains(string(a.body), `"orders":2000`) {
					t.Fatalf("%s import of 2000 orders: %d %s", ct, a.status, a.body)
				}
			}
			if got, want := importState(t, h), "orders 2000, lines 4000"; !strings.HasPrefix(got, want) {
				t.Fatalf("after the imports: %s, want %s", got, want)
			}
			// The disconnected request's handler may still be ending; its
			// spool is gone once it has (checked again below).
			waitSpoolEmpty(t, h, spool)
		})
	}
}

// refusedAsIs sends body to path: it is refused with status, saying each
// of says (status 0: the client fails to send it), and state stays as it
// was before.
func refusedAsIs(t *testing.T, h *sitetest.Hub, path, contentType string, body io.Reader, status int, says []string,
	before string, state func(*testing.T, *sitetest.Hub) string) {
	t.Helper()
	if status == 0 {
		req, _ := http.NewRequest("POST", h.URL+path, body)
		req.Header.Set("Authorization", "Bearer "+h.Admin)
		req.Header.Set(protocol.VersionHeader, "1")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("a body that failed to read got %d", resp.StatusCode)
		}
	} else {
		a := postTo(t, h, path, contentType, body)
		if a.status != status {
			t.Fatalf("answered %d, want %d: %s", a.status, status, a.body)
		}
		said := strings.ReplaceAll(string(a.body), `\"`, `"`) // as JSON writes quotes
		for _, s := range says {
			if !strings.Contains(said, s) {
				t.Errorf("the refusal %s does not say %q", a.body, s)
			}
		}
	}
	if got := state(t, h); got != before {
		t.Fatalf("the database changed: %s, before %s", got, before)
	}
}

// failingReader fails as a client that went away does.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

// waitSpoolEmpty waits for the hub to finish every request (a further
// request on a fresh connection is answered only by then is not promised,
// so it polls the directory after one) and checks the spool is empty.
func waitSpoolEmpty(t *testing.T, h *sitetest.Hub, dir string) {
	t.Helper()
	h.Server.Close() // waits for every request in flight
	spoolEmpty(t, dir)
}

// TestImportClientGoneMidBody: the client declares a 64 MiB body, sends
// two thousand orders and hangs up. The hub stops, leaves the database as
// it was and its spool empty.
func TestImportClientGoneMidBody(t *testing.T) {
	goneMidBody(t, "/admin/v1/orders", jsonOrders(2000).then(","), importState)
}

// goneMidBody sends the head of an import to path, declared 64 MiB long,
// and hangs up: the hub stops, state stays as it was, the spool empty.
func goneMidBody(t *testing.T, path string, head io.Reader, state func(*testing.T, *sitetest.Hub) string) {
	t.Helper()
	done := make(chan struct{})
	h, spool := streamHub(t, sitetest.SQLite, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			if r.URL.Path == path {
				close(done)
			}
		})
	})
	before := state(t, h)
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(conn)
	fmt.Fprintf(w, "POST %s HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer %s\r\n%s: 1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		path, h.Admin, protocol.VersionHeader, 64<<20-1)
	if _, err := io.Copy(w, head); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	<-done
	if got := state(t, h); got != before {
		t.Fatalf("the database changed: %s, before %s", got, before)
	}
	spoolEmpty(t, spool)
}

// TestImportOverTheLimitMidStream: a body of unknown length (chunked) that
// passes 64 MiB is cut there and refused with 413 after 64 MiB of good
// orders, and nothing of them is imported.
func TestImportOverTheLimitMidStream(t *testing.T) {
	overTheLimit(t, "/admin/v1/orders", jsonOrders((64<<20)/genOrderBytes+10000), "larger than 64 MiB (stopped in order", importState)
}

// overTheLimit sends body, past 64 MiB, to path without a length: it is
// refused with 413 saying where it stopped (or the connection is closed
// while it is sent), and state stays as it was.
func overTheLimit(t *testing.T, path string, body io.Reader, says string, state func(*testing.T, *sitetest.Hub) string) {
	t.Helper()
	h, spool := streamHub(t, sitetest.SQLite, nil)
	before := state(t, h)
	req, _ := http.NewRequest("POST", h.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+h.Admin)
	req.Header.Set(protocol.VersionHeader, "1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), says) {
			t.Fatalf("answered %d %s, want 413 saying %q", resp.StatusCode, b, says)
		}
	} // else the hub closed the connection while the rest was sent: refused too
	if got := state(t, h); got != before {
		t.Fatalf("the database changed: %s, before %s", got, before)
	}
	waitSpoolEmpty(t, h, spool)
}
