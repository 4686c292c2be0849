package replicator_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/replicator"
)

// testCA is a CA made for one test, and a certificate it signs for
// 127.0.0.1; its certificate is written to a PEM file for ca_file.
type testCA struct {
	pemFile string
	leaf    tls.Certificate
}

func newTestCA(t *testing.T, name string) testCA {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "hub"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name+".pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return testCA{pemFile: p, leaf: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}}
}

// TestTLSHub: a station syncs with a hub over TLS whose certificate its
// ca_file vouches for, and refuses a hub whose certificate it does not
// (another CA, or the system's roots): nothing reaches that hub.
func TestTLSHub(t *testing.T) {
	r := newRig(t, nil)
	if err := r.st.LoadSite(ctx, r.site); err != nil {
		t.Fatal(err)
	}
	sitetest.CommitShift(t, r.st, r.site, 0, 30, 10)
	site, other := newTestCA(t, "site-ca"), newTestCA(t, "other-ca")
	srv := httptest.NewUnstartedServer(hub.NewServer(r.hub.Store, hub.Options{}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{site.leaf}}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	for _, caFile := range []string{other.pemFile, ""} {
		client, err := replicator.NewClient(caFile)
		if err != nil {
			t.Fatal(err)
		}
		_, ss, stop := start(t, r.st, replicator.Options{Hub: srv.URL, Token: r.token, Client: client})
		sitetest.WaitFor(t, 10*time.Second, "the push to fail", func() bool { return strings.Contains(ss.last().LastError, "certificate") })
		stop()
		var held int
		r.hub.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&held)
		if held != 0 || ss.last().Online {
			t.Fatalf("ca_file %q: the hub holds %d events; status %+v", caFile, held, ss.last())
		}
	}
	client, err := replicator.NewClient(site.pemFile)
	if err != nil {
		t.Fatal(err)
	}
	_, _, stop := start(t, r.st, replicator.Options{Hub: srv.URL, Token: r.token, Client: client})
	sitetest.WaitFor(t, 10*time.Second, "every event to reach the hub", func() bool {
		s := syncState(t, r.st)
		return s.LastSeq > 0 && s.Pushed == s.LastSeq
	})
	stop()
	if _, err := replicator.NewClient(filepath.Join(t.TempDir(), "none.pem")); err == nil {
		t.Fatal("a missing ca_file was accepted")
	}
}

// TestPlainHTTPNeedsConsent: plain http is for a hub on this machine;
// to another machine only with insecure_http.
func TestPlainHTTPNeedsConsent(t *testing.T) {
	r := newRig(t, nil)
	for _, c := range []struct {
		url      string
		insecure bool
		ok       bool
	}{
		{"http://192.0.2.10:8420", false, false},
		{"http://hub.example.com", false, false},
		{"http://192.0.2.10:8420", true, true},
		{"http://127.0.0.1:8420", false, true},
		{"http://localhost:8420", false, true},
		{"http://[::1]:8420", false, true},
		{"https://hub.example.com", false, true},
	} {
		_, err := replicator.New(r.st, replicator.Options{Hub: c.url, Token: r.token, InsecureHTTP: c.insecure})
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), "insecure_http")) {
			t.Errorf("%s insecure=%v: %v", c.url, c.insecure, err)
		}
	}
}
