package config

import (
	"strings"
	"testing"
)

func TestParseHub(t *testing.T) {
	h, err := ParseHub("hub.toml", []byte("[hub]\nlisten = \":8420\"\npostgres = \"host=/run/postgresql dbname=tote\"\n"))
	if err != nil || h.Listen != ":8420" || h.Postgres != "host=/run/postgresql dbname=tote" || h.DB != "" {
		t.Fatalf("ParseHub: %+v %v", h, err)
	}
	for _, c := range []struct{ text, want string }{
		{"[hub]\ndb = \"hub.db\"\npostgres = \"dbname=tote\"\n", "hub.toml: hub.postgres: give db (SQLite) or postgres, not both"},
		{"[hub]\npostgress = \"dbname=tote\"\n", "hub.toml: hub.postgress: not a setting of the hub's file"},
		{"[hub]\ndb = 3\n", "hub.toml: "},
		{"[hub\n", "hub.toml:2: expected"},
		{"listen = \":1\"\n", "hub.toml: listen: not a setting"},
	} {
		_, err := ParseHub("hub.toml", []byte(c.text))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q…", c.text, err, c.want)
		}
	}
}

// FuzzParseHub: any text gives a configuration or errors, never a crash.
func FuzzParseHub(f *testing.F) {
	f.Add([]byte("[hub]\nlisten = \":8420\"\npostgres = \"dbname=tote\"\n"))
	f.Add([]byte("[hub]\ndb = \"hub.db\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHub("f.toml", b)
		if err == nil && h.DB != "" && h.Postgres != "" {
			t.Fatalf("both databases accepted: %+v", h)
		}
	})
}

func TestParseHubShopify(t *testing.T) {
	h, err := ParseHub("hub.toml", []byte(`[hub]
db = "hub.db"

[shopify]
shop = "tote-test.myshopify.com"
api_version = "2025-01"
access_token_env = "TOTE_SHOPIFY_TOKEN"
callback_secret_file = "/etc/tote/secret"
location_id = "77"
poll_interval = "2m"
notify_customer = true

[shopify.carriers.UPS]
company = "UPS"
tracking_url = "https://www.ups.com/track?tracknum={tracking}"
`))
	if err != nil || h.Shopify == nil || h.Shopify.Shop != "tote-test.myshopify.com" || h.Shopify.Poll.Minutes() != 2 ||
		!h.Shopify.NotifyCustomer || h.Shopify.Carriers["UPS"].Company != "UPS" || h.Shopify.AccessTokenEnv != "TOTE_SHOPIFY_TOKEN" {
		t.Fatalf("ParseHub: %+v %v", h.Shopify, err)
	}
	_, err = ParseHub("hub.toml", []byte("[hub]\n[shopify]\nshop = \"x\"\naccess_token_file = \"a\"\naccess_token_env = \"B\"\npoll_interval = \"1s\"\ntoken = \"shpat_x\"\n"))
	for _, want := range []string{"shopify.location_id", "shopify.access_token_env: give access_token_file or access_token_env, not both",
		"shopify.callback_secret_file: give", "shopify.poll_interval", "shopify.token: not a setting"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}
