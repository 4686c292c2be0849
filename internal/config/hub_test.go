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
