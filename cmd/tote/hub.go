package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	register(command{name: "hub", summary: "run the central hub stations sync with (and its admin tools)", run: runHub})
}

const hubSummary = "Run the central hub: stations push their journals to it and pull their work, holds and\n" +
	"cancellations from it; the office administers it over HTTP (docs/hub.md).\n\n" +
	"  tote hub [--listen ADDR] [--db FILE | --postgres DSN] [--config FILE]   serve\n" +
	"  tote hub token --db FILE (--station ID [--name N] | --admin | --reader)\n" +
	"                                                             register a station or make a token\n" +
	"  tote hub import --db FILE FILE...                          import orders (.csv) or a site (.json)\n" +
	"  tote hub settings --db FILE [NAME=VALUE...]                show or change the hub's settings\n" +
	"Each takes --postgres DSN instead of --db FILE for a hub on PostgreSQL, or --config FILE."

func runHub(args []string, s stdio) int {
	if len(args) > 0 {
		switch args[0] {
		case "token":
			return runHubToken(args[1:], s)
		case "import":
			return runHubImport(args[1:], s)
		case "settings":
			return runHubSettings(args[1:], s)
		}
	}
	fs := newFlags("hub", "hub [--listen ADDR] [--db FILE | --postgres DSN] [--config FILE]", hubSummary, s)
	listen := fs.String("listen", "127.0.0.1:8420", "address to serve on; use :8420 to accept other machines (behind TLS)")
	dbf := addHubDBFlags(fs)
	dbf.listen = listen
	logLevel := fs.String("log-level", "info", "debug, info, warn or error; the log goes to standard error")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.err, "tote hub: unexpected argument %q (subcommands: token, import, settings)\n", fs.Arg(0))
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(s.err, "tote hub: --log-level %q: use debug, info, warn or error\n", *logLevel)
		return 2
	}
	log := slog.New(slog.NewTextHandler(s.err, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	if has, err := hs.HasToken(ctx, hub.TokenAdmin); err != nil {
		fmt.Fprintf(s.err, "tote hub: %v\n", err)
		return 1
	} else if !has {
		token := hub.NewToken(hub.TokenAdmin)
		if err := hs.AddToken(ctx, hub.TokenAdmin, "", hub.HashToken(token), time.Now()); err != nil {
			fmt.Fprintf(s.err, "tote hub: %v\n", err)
			return 1
		}
		fmt.Fprintf(s.out, "tote hub: a new database: its admin token is\n  %s\nkeep it safe: the hub keeps only its hash and will not show it again\n", token)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub: cannot listen on %s: %v\n", *listen, err)
		return 1
	}
	fmt.Fprintf(s.out, "tote hub: serving %s on http://%s (sync protocol v%d)\n", hs.where, ln.Addr(), protocol.Version)
	log.Info("hub started", "db", hs.where, "listen", ln.Addr().String())
	if err := hub.Serve(ctx, ln, hub.NewServer(hs, hub.Options{Log: log})); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(s.err, "tote hub: %v\n", err)
		return 1
	}
	log.Info("hub stopped")
	return 0
}

func runHubToken(args []string, s stdio) int {
	fs := newFlags("hub token", "hub token --db FILE (--station ID [--name N] | --admin | --reader)",
		"Register a station and print its token, or make another token. Only the token's hash is kept:\nit is printed once.", s)
	dbf := addHubDBFlags(fs)
	station := fs.String("station", "", "register this station (or give it a new token if it is registered)")
	name := fs.String("name", "", "a name for a new station, e.g. \"packing bench 2\"")
	admin := fs.Bool("admin", false, "make an admin token (admin and read APIs)")
	reader := fs.Bool("reader", false, "make a reader token (read API only)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	n := 0
	for _, b := range []bool{*station != "", *admin, *reader} {
		if b {
			n++
		}
	}
	if n != 1 || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote hub token: give exactly one of --station ID, --admin or --reader")
		return 2
	}
	ctx := context.Background()
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub token: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	kind := hub.TokenAdmin
	switch {
	case *reader:
		kind = hub.TokenReader
	case *station != "":
		kind = hub.TokenStation
	}
	token := hub.NewToken(kind)
	switch {
	case kind != hub.TokenStation:
		err = hs.AddToken(ctx, kind, "", hub.HashToken(token), time.Now())
	default:
		var known bool
		if known, err = hs.StationRegistered(ctx, *station); err == nil && known {
			err = hs.AddToken(ctx, kind, *station, hub.HashToken(token), time.Now())
		} else if err == nil {
			if err = hs.RegisterStation(ctx, *station, *name, hub.HashToken(token), time.Now()); err == nil {
				// On stderr: stdout is the token alone, for scripts.
				var h protocol.Hello
				if h, err = hs.Hello(ctx, *station); err == nil {
					fmt.Fprintf(s.err, "tote hub token: registered station %s as station number %d; its SSCCs and tracking numbers carry it\n", *station, h.Number)
				}
			}
		}
	}
	if err != nil {
		fmt.Fprintf(s.err, "tote hub token: %v\n", err)
		return 1
	}
	fmt.Fprintln(s.out, token)
	return 0
}

func runHubImport(args []string, s stdio) int {
	fs := newFlags("hub import", "hub import --db FILE FILE...",
		"Import into the hub's database: a .csv file of order lines, or a .json site document\n"+
			"(operators, locations, items, orders, waves); docs/hub.md describes both.", s)
	dbf := addHubDBFlags(fs)
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(s.err, "tote hub import: name at least one .csv or .json file")
		return 2
	}
	ctx := context.Background()
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub import: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	for _, path := range fs.Args() {
		res, err := importFile(ctx, hs, path)
		if err != nil {
			fmt.Fprintf(s.err, "tote hub import: %s: %v\n", path, err)
			return 1
		}
		fmt.Fprintf(s.out, "%s: %d operators, %d locations, %d items, %d orders\n", path, res.Operators, res.Locations, res.Items, res.Orders)
	}
	return 0
}

func runHubSettings(args []string, s stdio) int {
	fs := newFlags("hub settings", "hub settings --db FILE [NAME=VALUE...]",
		"Show the hub's settings, or change them: each NAME=VALUE is written to the database, then all\n"+
			"settings are shown. ship_to_required (default true): an order without a ship-to address is\n"+
			"refused at import, because the site prints shipping labels; docs/hub.md.", s)
	dbf := addHubDBFlags(fs)
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	ctx := context.Background()
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub settings: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	for _, kv := range fs.Args() {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			fmt.Fprintf(s.err, "tote hub settings: %q: write NAME=VALUE, e.g. %s=false\n", kv, hub.SettingShipToRequired)
			return 2
		}
		if err := hs.SetSetting(ctx, strings.TrimSpace(name), value); err != nil {
			fmt.Fprintf(s.err, "tote hub settings: %v\n", err)
			return 2
		}
	}
	set, err := hs.Settings(ctx)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub settings: %v\n", err)
		return 1
	}
	for _, name := range hub.SettingNames {
		v, _ := set.Get(name)
		fmt.Fprintf(s.out, "%s=%s\n", name, v)
	}
	return 0
}

func importFile(ctx context.Context, hs hub.API, path string) (protocol.ImportResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return protocol.ImportResult{}, err
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		orders, err := hub.ParseOrdersCSV(f)
		if err != nil {
			return protocol.ImportResult{}, err
		}
		return hs.ImportOrders(ctx, orders, time.Now())
	case ".json":
		var site protocol.SiteImport
		dec := json.NewDecoder(io.LimitReader(f, 256<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&site); err != nil {
			return protocol.ImportResult{}, fmt.Errorf("not a site document: %w", err)
		}
		return hub.ImportSite(ctx, hs, site, time.Now())
	}
	return protocol.ImportResult{}, errors.New("the file name must end in .csv (orders) or .json (a site document)")
}
