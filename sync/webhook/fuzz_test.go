package webhook_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/totewms/tote/sync/webhook"
)

// FuzzVerify: whatever headers a request brings, Verify answers without
// panicking, and accepts only a signature made with the secret over
// exactly that timestamp and body.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1772463845, 0)
	good := webhook.SignatureHeader(now.Unix(), []byte(`{"id":1}`), "whsec_a", "whsec_b")
	f.Add("1772463845", good, []byte(`{"id":1}`))
	f.Add("1772463845", "v1=", []byte(`{}`))
	f.Add("-1", "v1=zz,v1=,,", []byte(``))
	f.Add("17724638450000000000000", "v2=abc", []byte(`x`))
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(webhook.HeaderTimestamp, ts)
		h.Set(webhook.HeaderSignature, sig)
		err := webhook.Verify(h, body, "whsec_a", now, 5*time.Minute)
		if err != nil {
			return
		}
		n, perr := strconv.ParseInt(ts, 10, 64)
		if perr != nil {
			t.Fatalf("verified with timestamp %q", ts)
		}
		if want := webhook.Sign("whsec_a", n, body); !contains(sig, want) {
			t.Fatalf("verified %q without the signature %s", sig, want)
		}
	})
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
