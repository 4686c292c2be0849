package webhook_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/sync/webhook"
)

// docVerifier is the code block docs/oms.md has under <!-- verifier:LANG -->.
func docVerifier(t *testing.T, lang string) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/oms.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- verifier:" + lang + " -->\n```[a-z]+\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatalf("docs/oms.md has no %s verifier", lang)
	}
	return string(m[1])
}

// A harness around each verifier: the secret and the headers (lower-case
// names, JSON) in the environment, the raw body on standard input; exit 0
// when it verifies.
var harness = map[string]struct{ file, before, after string }{
	"go": {"verify.go", `package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

`, `
func main() {
	var hs map[string]string
	json.Unmarshal([]byte(os.Getenv("TOTE_HEADERS")), &hs)
	h := http.Header{}
	for k, v := range hs {
		h.Set(k, v)
	}
	body, _ := io.ReadAll(os.Stdin)
	if !verify(os.Getenv("TOTE_SECRET"), h, body) {
		os.Exit(1)
	}
}
`},
	"node": {"verify.js", "", `
const body = require('fs').readFileSync(0);
process.exit(verify(process.env.TOTE_SECRET, JSON.parse(process.env.TOTE_HEADERS), body) ? 0 : 1);
`},
	"python": {"verify.py", "", `
import json, os, sys
sys.exit(0 if verify(os.environ["TOTE_SECRET"], json.loads(os.environ["TOTE_HEADERS"]), sys.stdin.buffer.read()) else 1)
`},
}

var runners = map[string][]string{"go": {"go", "run"}, "node": {"node"}, "python": {"python3"}}

// TestDocumentedVerifiers: a real delivery, signed during a rotation,
// checked by the Go, Node and Python verifiers of docs/oms.md: each takes
// either secret, and refuses a wrong secret and a changed body.
func TestDocumentedVerifiers(t *testing.T) {
	hs := openHub(t)
	var mu sync.Mutex
	var hdr http.Header
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hdr, body = r.Header.Clone(), b
		mu.Unlock()
	}))
	defer srv.Close()
	old := addWebhook(t, hs, srv.URL, time.Now()).Secret
	rot, err := hs.RotateWebhook(ctx, "oms", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	orders(t, hs, 1, 0, time.Now())
	c := &clock{now: time.Now()}
	drain(t, hs, webhook.New(hs.SQLite, webhook.Options{}), c)
	if body == nil {
		t.Fatal("nothing was delivered")
	}
	lower := map[string]string{}
	for k := range hdr {
		lower[strings.ToLower(k)] = hdr.Get(k)
	}
	headers, _ := json.Marshal(lower)
	ran := 0
	for lang, h := range harness {
		run := runners[lang]
		if _, err := exec.LookPath(run[0]); err != nil {
			t.Logf("%s is not installed here: its verifier was not run", run[0])
			continue
		}
		ran++
		dir := t.TempDir()
		src := filepath.Join(dir, h.file)
		if err := os.WriteFile(src, []byte(h.before+docVerifier(t, lang)+h.after), 0o600); err != nil {
			t.Fatal(err)
		}
		verifies := func(secret string, body []byte) bool {
			cmd := exec.Command(run[0], append(run[1:], src)...)
			cmd.Env = append(os.Environ(), "TOTE_SECRET="+secret, "TOTE_HEADERS="+string(headers))
			cmd.Stdin = bytes.NewReader(body)
			out, err := cmd.CombinedOutput()
			if _, exited := err.(*exec.ExitError); err != nil && !exited {
				t.Fatalf("%s: %v %s", lang, err, out)
			}
			if cmd.ProcessState.ExitCode() > 1 {
				t.Fatalf("%s's verifier failed to run: %s", lang, out)
			}
			return err == nil
		}
		if !verifies(rot.Secret, body) || !verifies(old, body) {
			t.Errorf("%s: a good delivery did not verify with the new or the old secret", lang)
		}
		if verifies("whsec_not-the-secret", body) {
			t.Errorf("%s: a wrong secret verified", lang)
		}
		tampered := bytes.Replace(body, []byte(`"seq":1`), []byte(`"seq":2`), 1)
		if bytes.Equal(tampered, body) || verifies(rot.Secret, tampered) {
			t.Errorf("%s: a changed body verified", lang)
		}
	}
	if ran == 0 {
		t.Fatal("not even go ran a verifier")
	}
}
