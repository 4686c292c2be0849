package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/hub/pgstore"
)

// hubDB is the hub's database as the hub commands use it: the service
// over SQLite (--db, the default) or PostgreSQL (--postgres).
type hubDB struct {
	*hub.Service
	// port is the store under the service (the webhook worker reads it).
	port  hub.Store
	close func() error
	// where names it for messages (never the connection string, which
	// may carry a password).
	where string
	// sqlite is the SQLite store (backups), nil on PostgreSQL.
	sqlite *hubstore.SQLite
}

func (h *hubDB) Close() error { return h.close() }

// hubDBFlags are the flags every hub command takes to find its database.
type hubDBFlags struct {
	config, db, postgres *string
	listen               *string // serve only
}

func addHubDBFlags(fs *flag.FlagSet) hubDBFlags {
	return hubDBFlags{
		config:   fs.String("config", "", "the hub's configuration file ([hub] listen, db, postgres); flags win over it"),
		db:       fs.String("db", "hub.db", "the hub's SQLite database (created if absent)"),
		postgres: fs.String("postgres", "", "keep the hub's state in PostgreSQL at this connection string instead of SQLite, e.g. \"host=db1 dbname=tote user=tote\" (docs/hub.md)"),
	}
}

// resolve merges the configuration file under the flags that were set.
func (f hubDBFlags) resolve(fs *flag.FlagSet) error {
	if *f.config == "" {
		return nil
	}
	c, err := config.LoadHub(*f.config)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if !set["postgres"] && !set["db"] {
		if c.Postgres != "" {
			*f.postgres = c.Postgres
		} else if c.DB != "" {
			*f.db = c.DB
		}
	}
	if f.listen != nil && !set["listen"] && c.Listen != "" {
		*f.listen = c.Listen
	}
	return nil
}

// open opens the database the flags name.
func (f hubDBFlags) open(ctx context.Context, fs *flag.FlagSet) (*hubDB, error) {
	if err := f.resolve(fs); err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["db"] && set["postgres"] {
		return nil, fmt.Errorf("give --db (SQLite) or --postgres, not both: the hub keeps one database")
	}
	if *f.postgres != "" {
		s, err := pgstore.Open(ctx, *f.postgres, pgstore.Options{})
		if err != nil {
			return nil, err
		}
		return &hubDB{Service: s.Service, port: s.Postgres, close: s.Close, where: "PostgreSQL (" + s.Where() + ")"}, nil
	}
	s, err := hubstore.Open(ctx, *f.db, hubstore.Options{})
	if err != nil {
		return nil, err
	}
	return &hubDB{Service: s.Service, port: s.SQLite, close: s.Close, where: *f.db, sqlite: s.SQLite}, nil
}
