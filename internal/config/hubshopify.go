package config

import (
	"fmt"
	"strings"
	"time"
)

// ShopifyFile is the hub file's [shopify] table: the hub acts as a
// Shopify fulfillment service (docs/oms.md, "Shopify"). Secrets are never
// in the file itself: each comes from a file or an environment variable.
//
//	[shopify]
//	shop                 = "example.myshopify.com"
//	api_version          = "2025-01"
//	access_token_file    = "/etc/tote/shopify-token"   # or access_token_env = "TOTE_SHOPIFY_TOKEN"
//	callback_secret_file = "/etc/tote/shopify-secret"  # or callback_secret_env
//	location_id          = "gid://shopify/Location/123"
//	poll_interval        = "1m"
//	notify_customer      = true
//
//	[shopify.carriers.UPS]
//	company      = "UPS"
//	tracking_url = "https://www.ups.com/track?tracknum={tracking}"
type ShopifyFile struct {
	Shop               string                    `toml:"shop"`
	APIVersion         string                    `toml:"api_version"`
	AccessTokenFile    string                    `toml:"access_token_file"`
	AccessTokenEnv     string                    `toml:"access_token_env"`
	CallbackSecretFile string                    `toml:"callback_secret_file"`
	CallbackSecretEnv  string                    `toml:"callback_secret_env"`
	LocationID         string                    `toml:"location_id"`
	PollInterval       string                    `toml:"poll_interval"`
	Endpoint           string                    `toml:"endpoint"`
	NotifyCustomer     bool                      `toml:"notify_customer"`
	StationTracking    bool                      `toml:"station_tracking"`
	Carriers           map[string]ShopifyCarrier `toml:"carriers"`
	// Poll is PollInterval parsed (0: the connector's default).
	Poll time.Duration `toml:"-"`
}

// ShopifyCarrier is how Shopify names a hub carrier and tracks its
// parcels ({tracking} in the URL is the number).
type ShopifyCarrier struct {
	Company     string `toml:"company"`
	TrackingURL string `toml:"tracking_url"`
}

func (s *ShopifyFile) check(path string) []*Error {
	var errs []*Error
	bad := func(key, msg string, a ...any) {
		errs = append(errs, &Error{File: path, Key: "shopify." + key, Msg: fmt.Sprintf(msg, a...)})
	}
	if s.Shop == "" {
		bad("shop", "give the shop's domain, e.g. example.myshopify.com")
	}
	if s.LocationID == "" {
		bad("location_id", "give the fulfillment service's location, gid://shopify/Location/N")
	}
	for _, p := range []struct{ name, file, env string }{
		{"access_token", s.AccessTokenFile, s.AccessTokenEnv},
		{"callback_secret", s.CallbackSecretFile, s.CallbackSecretEnv},
	} {
		switch {
		case p.file == "" && p.env == "":
			bad(p.name+"_file", "give %s_file or %s_env: the secret is never written in this file", p.name, p.name)
		case p.file != "" && p.env != "":
			bad(p.name+"_env", "give %s_file or %s_env, not both", p.name, p.name)
		}
	}
	if s.PollInterval != "" {
		d, err := time.ParseDuration(s.PollInterval)
		if err != nil || d < 5*time.Second || d > 24*time.Hour {
			bad("poll_interval", "%q: give a duration from 5s to 24h, e.g. \"1m\"", s.PollInterval)
		}
		s.Poll = d
	}
	if s.Endpoint != "" && !strings.HasPrefix(s.Endpoint, "https://") && !strings.HasPrefix(s.Endpoint, "http://127.0.0.1") && !strings.HasPrefix(s.Endpoint, "http://localhost") {
		bad("endpoint", "%q: Shopify is reached over https:// (plain http only on this machine)", s.Endpoint)
	}
	for name, c := range s.Carriers {
		if c.TrackingURL != "" && (!strings.HasPrefix(c.TrackingURL, "https://") || !strings.Contains(c.TrackingURL, "{tracking}")) {
			bad("carriers."+name+".tracking_url", "%q: give an https:// address with {tracking} where the number goes", c.TrackingURL)
		}
	}
	return errs
}
