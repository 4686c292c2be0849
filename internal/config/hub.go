package config

import (
	"errors"
	"os"

	"github.com/BurntSushi/toml"
)

// HubFile is the hub's configuration file (`tote hub --config FILE`): a
// [hub] table with where it listens and which database it keeps. Flags
// given on the command line win over it.
//
//	[hub]
//	listen   = "127.0.0.1:8420"
//	db       = "/var/lib/tote/hub.db"              # SQLite (the default), or
//	postgres = "host=db1 dbname=tote user=tote"    # PostgreSQL (docs/hub.md)
type HubFile struct {
	Listen   string `toml:"listen"`
	DB       string `toml:"db"`
	Postgres string `toml:"postgres"`
	// Shopify is the [shopify] table (hubshopify.go), nil without one.
	Shopify *ShopifyFile `toml:"-"`
}

// LoadHub reads and checks the hub's configuration file.
func LoadHub(path string) (HubFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return HubFile{}, &Errors{List: []*Error{{File: path, Msg: "cannot read the hub's configuration: " + err.Error(), err: err}}}
	}
	return ParseHub(path, b)
}

// ParseHub checks a hub configuration file's text: TOML, only the keys
// of [hub], strings, and one database at most. Problems come as *Errors.
func ParseHub(path string, data []byte) (HubFile, error) {
	var raw struct {
		Hub     HubFile      `toml:"hub"`
		Shopify *ShopifyFile `toml:"shopify"`
	}
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		e := &Error{File: path, Msg: err.Error(), err: err}
		var pe toml.ParseError
		if errors.As(err, &pe) {
			e.Line, e.Msg = pe.Position.Line, pe.Message
		}
		return HubFile{}, &Errors{List: []*Error{e}}
	}
	var errs []*Error
	for _, k := range md.Undecoded() {
		errs = append(errs, &Error{File: path, Key: k.String(), Msg: "not a setting of the hub's file (it knows [hub] listen, db and postgres, and [shopify]: docs/oms.md)"})
	}
	if !md.IsDefined("hub") {
		errs = append(errs, &Error{File: path, Key: "hub", Msg: "the file has no [hub] table"})
	}
	if raw.Hub.DB != "" && raw.Hub.Postgres != "" {
		errs = append(errs, &Error{File: path, Key: "hub.postgres", Msg: "give db (SQLite) or postgres, not both: the hub keeps one database"})
	}
	if raw.Shopify != nil {
		errs = append(errs, raw.Shopify.check(path)...)
	}
	if len(errs) > 0 {
		return HubFile{}, &Errors{List: errs}
	}
	raw.Hub.Shopify = raw.Shopify
	return raw.Hub, nil
}
