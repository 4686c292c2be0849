package replicator

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// NewClient is the station's HTTP client for its hub: https verifies the
// hub's certificate against the system's roots, or only against the CA
// certificates in caFile (PEM) when it is given, as a site with its own
// CA configures ([sync] ca_file).
func NewClient(caFile string) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("sync.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("sync.ca_file %s holds no PEM certificate", caFile)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	return &http.Client{Transport: tr}, nil
}

// checkPlain refuses plain http to a hub on another machine unless the
// configuration allows it: the token and the site's orders and addresses
// would cross the network in clear.
func checkPlain(u *url.URL, allowed bool) error {
	if u.Scheme != "http" || allowed || loopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("hub URL %q is plain http to another machine: the station's token and the site's orders would cross the network unencrypted. "+
		"Serve the hub with TLS (tote hub --tls-cert --tls-key) and use https://, or set [sync] insecure_http = true to allow it", u.Redacted())
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
