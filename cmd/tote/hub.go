package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubmetrics"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/webhook"
)

func init() {
	register(command{name: "hub", summary: "run the central hub stations sync with (and its admin tools)", run: runHub})
}

const hubSummary = "Run the central hub: stations push their journals to it and pull their work, holds and\n" +
	"cancellations from it; the office administers it over HTTP (docs/hub.md).\n\n" +
	"  tote hub [--listen ADDR] [--db FILE | --postgres DSN] [--config FILE] [--tls-cert F --tls-key F]\n" +
	"                                                             serve (HTTPS with a certificate)\n" +
	"  tote hub token --db FILE (--station ID [--name N] | --admin [--scopes S] | --reader | --list | --revoke ID)\n" +
	"                                                             register a station or make a token\n" +
	"  tote hub import --db FILE FILE...                          import orders (.csv) or a site (.json)\n" +
	"  tote hub settings --db FILE [NAME=VALUE...]                show or change the hub's settings\n" +
	"  tote hub webhook add|list|rotate|deliveries|replay --db FILE   the OMS's webhook endpoints (docs/oms.md)\n" +
	"  tote hub backup --db FILE --to FILE                        copy a SQLite database while the hub serves\n" +
	"  tote hub shopify status --db FILE                          what the Shopify connector did (docs/oms.md)\n" +
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
		case "webhook":
			return runHubWebhook(args[1:], s)
		case "backup":
			return runHubBackup(args[1:], s)
		case "shopify":
			return runHubShopify(args[1:], s)
		}
	}
	fs := newFlags("hub", "hub [--listen ADDR] [--db FILE | --postgres DSN] [--config FILE]", hubSummary, s)
	listen := fs.String("listen", "127.0.0.1:8420", "address to serve on; use :8420 to accept other machines (behind TLS)")
	dbf := addHubDBFlags(fs)
	dbf.listen = listen
	logLevel := fs.String("log-level", "info", "debug, info, warn or error; the log goes to standard error")
	webhookKeep := fs.Duration("webhook-keep", webhook.DefaultKeep, "how long delivered webhook deliveries are kept before they are pruned (dead ones stay until replayed)")
	pullWait := fs.Duration("pull-wait", hub.DefaultMaxPullWait, "the longest a station's pull waits here for news (0: pulls never wait; stations then pull every pull_interval)")
	logFormat := fs.String("log-format", "text", "text or json (one JSON object a line, for a log collector)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	tlsKey := fs.String("tls-key", "", "the PEM private key of --tls-cert")
	minBuild := fs.String("min-station-build", "", "refuse stations whose tote is older than this release (e.g. v0.9.0); stations of a newer major version than the hub are always refused")
	largePer := fs.Int("large-per-token", hub.DefaultLargePerToken, "how many large pushes or imports (1 MiB or more) one token may run at once; more get 429")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if *minBuild != "" {
		if err := hub.CheckMinStationBuild(*minBuild); err != nil {
			fmt.Fprintf(s.err, "tote hub: --min-station-build: %v\n", err)
			return 2
		}
	}
	if *largePer < 1 {
		fmt.Fprintf(s.err, "tote hub: --large-per-token %d: give 1 or more\n", *largePer)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(s.err, "tote hub: unexpected argument %q (subcommands: token, import, settings, webhook, backup, shopify)\n", fs.Arg(0))
		return 2
	}
	if *pullWait < 0 || *pullWait > 10*time.Minute {
		fmt.Fprintf(s.err, "tote hub: --pull-wait %v: give 0 (no waiting) up to 10m; 30s suits most proxies\n", *pullWait)
		return 2
	}
	maxWait := *pullWait
	if maxWait == 0 {
		maxWait = -1 // hub.Options: pulls never wait
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(s.err, "tote hub: give both --tls-cert and --tls-key, or neither")
		return 2
	}
	var tlsConf *tls.Config
	if *tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			fmt.Fprintf(s.err, "tote hub: the TLS certificate did not load: %v\n", err)
			return 1
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(s.err, "tote hub: --log-level %q: use debug, info, warn or error\n", *logLevel)
		return 2
	}
	var log *slog.Logger
	switch *logFormat {
	case "text":
		log = slog.New(slog.NewTextHandler(s.err, &slog.HandlerOptions{Level: level}))
	case "json":
		log = slog.New(slog.NewJSONHandler(s.err, &slog.HandlerOptions{Level: level}))
	default:
		fmt.Fprintf(s.err, "tote hub: --log-format %q: use text or json\n", *logFormat)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	if hs.sqlite != nil {
		if w := sharedFile(hs.where, "database"); w != "" {
			log.Warn(w)
			fmt.Fprintf(s.err, "tote hub: warning: %s\n", w)
		}
	}
	if has, err := hs.HasToken(ctx, hub.TokenAdmin); err != nil {
		fmt.Fprintf(s.err, "tote hub: %v\n", err)
		return 1
	} else if !has {
		reg, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes, Label: "first admin token"}, console(), time.Now())
		if err != nil {
			fmt.Fprintf(s.err, "tote hub: %v\n", err)
			return 1
		}
		log.Info("token created", "id", reg.ID, "kind", reg.Kind, "scopes", strings.Join(reg.Scopes, ","), "by", console().Who())
		fmt.Fprintf(s.out, "tote hub: a new database: its admin token (%s, every scope) is\n  %s\nkeep it safe: the hub keeps only its hash and will not show it again\n", reg.ID, reg.Token)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub: cannot listen on %s: %v\n", *listen, err)
		return 1
	}
	deliveries := webhook.New(hs.port, webhook.Options{Log: log, Keep: *webhookKeep})
	shop, err := hubShopify(dbf, hs, log)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub: %v\n", err)
		return 1
	}
	var delivering sync.WaitGroup
	delivering.Go(func() { _ = deliveries.Run(ctx) })
	hs.OnFacts(deliveries.Notify)
	if shop != nil {
		hs.OnFacts(func() { deliveries.Notify(); shop.Notify() })
		delivering.Go(func() { _ = shop.Run(ctx) })
	}
	defer func() { stop(); delivering.Wait() }() // the worker ends before the store closes
	scheme := "http"
	if tlsConf != nil {
		ln, scheme = tls.NewListener(ln, tlsConf), "https"
	}
	fmt.Fprintf(s.out, "tote hub: serving %s on %s://%s (sync protocol v%d)\n", hs.where, scheme, ln.Addr(), protocol.Version)
	log.Info("hub started", "db", hs.where, "listen", ln.Addr().String())
	metrics := hubmetrics.New(hs.Stations)
	if err := hub.Serve(ctx, ln, hub.NewServer(hs, hub.Options{Log: log, MaxPullWait: maxWait, Observer: metrics, Metrics: metrics.Handler(),
		MinStationBuild: *minBuild, LargePerToken: *largePer,
		Callbacks: shopifyCallbacks(shop)})); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(s.err, "tote hub: %v\n", err)
		return 1
	}
	log.Info("hub stopped")
	return 0
}

func runHubToken(args []string, s stdio) int {
	fs := newFlags("hub token", "hub token --db FILE (--station ID [--name N] | --admin [--scopes S] | --reader | --list | --revoke ID)",
		"Register a station and print its token, make another token, list tokens or revoke one.\n"+
			"Only a token's hash is kept: it is printed once. To rotate a token without downtime, make\n"+
			"the new one, put it in place, then revoke the old one (docs/security.md).", s)
	dbf := addHubDBFlags(fs)
	station := fs.String("station", "", "register this station (or give it another token if it is registered)")
	name := fs.String("name", "", "a name for a new station, e.g. \"packing bench 2\"")
	admin := fs.Bool("admin", false, "make an admin token with --scopes")
	scopes := fs.String("scopes", "all", "an admin token's scopes, comma-separated: "+strings.Join(hub.AllScopes, ", ")+" (or all)")
	reader := fs.Bool("reader", false, "make an admin token with the read scope alone")
	label := fs.String("label", "", "what the token is for, shown in --list")
	expires := fs.Duration("expires", 0, "the token stops working after this long, e.g. 720h (default: never)")
	listFlag := fs.Bool("list", false, "list the tokens (ids, kinds, scopes; never the tokens)")
	revoke := fs.String("revoke", "", "revoke the token with this id (from --list): it is refused at once")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	n := 0
	for _, b := range []bool{*station != "", *admin, *reader, *listFlag, *revoke != ""} {
		if b {
			n++
		}
	}
	if n != 1 || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote hub token: give exactly one of --station ID, --admin, --reader, --list or --revoke ID")
		return 2
	}
	if *expires < 0 || (*expires > 0 && *expires < time.Hour) {
		fmt.Fprintln(s.err, "tote hub token: --expires: give at least 1h")
		return 2
	}
	ctx := context.Background()
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub token: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	me := console()
	ctx = hub.WithAudit(ctx, me.Who(), "tote hub token "+strings.Join(args, " "), *station+*revoke, time.Now())
	switch {
	case *listFlag:
		return listTokens(ctx, hs, s)
	case *revoke != "":
		if err := hs.RevokeToken(ctx, *revoke, me, time.Now()); err != nil {
			fmt.Fprintf(s.err, "tote hub token: %v\n", err)
			return 1
		}
		fmt.Fprintf(s.err, "tote hub token: token %s revoked; a request with it is now refused\n", *revoke)
		return 0
	}
	req := protocol.NewToken{Kind: hub.TokenAdmin, Label: *label, ExpiresInHours: int(*expires / time.Hour)}
	switch {
	case *reader:
		req.Scopes = []string{hub.ScopeRead}
	case *admin:
		if req.Scopes, err = hub.ParseScopes(*scopes); err != nil {
			fmt.Fprintf(s.err, "tote hub token: --scopes: %v\n", err)
			return 2
		}
	default:
		req.Kind, req.Station = hub.TokenStation, *station
	}
	var reg protocol.Registered
	if known, err2 := hs.StationRegistered(ctx, *station); req.Kind == hub.TokenStation && err2 == nil && !known {
		token := hub.NewToken(hub.TokenStation)
		if err = hs.RegisterStation(ctx, *station, *name, hub.HashToken(token), time.Now()); err == nil {
			reg = protocol.Registered{Station: *station, Kind: hub.TokenStation, Token: token, ID: hub.TokenID(hub.HashToken(token))}
			// On stderr: stdout is the token alone, for scripts.
			var h protocol.Hello
			if h, err = hs.Hello(ctx, *station); err == nil {
				fmt.Fprintf(s.err, "tote hub token: registered station %s as station number %d; its SSCCs and tracking numbers carry it\n", *station, h.Number)
			}
		}
	} else if err = err2; err == nil {
		reg, err = hub.Issue(ctx, hs, req, me, time.Now())
	}
	if err != nil {
		fmt.Fprintf(s.err, "tote hub token: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.err, "tote hub token: made %s token %s%s by %s\n", reg.Kind, reg.ID, scopeNote(reg.Scopes), me.Who())
	fmt.Fprintln(s.out, reg.Token)
	return 0
}

func scopeNote(scopes []string) string {
	if len(scopes) == 0 {
		return ""
	}
	return " (" + strings.Join(scopes, ",") + ")"
}

func listTokens(ctx context.Context, hs hub.API, s stdio) int {
	ts, err := hs.Tokens(ctx)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub token: %v\n", err)
		return 1
	}
	tw := tabwriter.NewWriter(s.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tSTATION\tSCOPES\tLABEL\tCREATED\tBY\tSTATE")
	for _, t := range ts {
		state := "live"
		switch {
		case t.RevokedAt != nil:
			state = "revoked " + t.RevokedAt.Local().Format("2006-01-02 15:04")
		case t.ExpiresAt != nil && !time.Now().Before(*t.ExpiresAt):
			state = "expired " + t.ExpiresAt.Local().Format("2006-01-02 15:04")
		case t.ExpiresAt != nil:
			state = "expires " + t.ExpiresAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Kind, orDash(t.Station), orDash(strings.Join(t.Scopes, ",")),
			orDash(t.Label), t.CreatedAt.Local().Format("2006-01-02 15:04"), orDash(t.CreatedBy), state)
	}
	tw.Flush()
	return 0
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// console is who runs the hub's command line, for the audit log.
func console() hub.Principal {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return hub.Console(name)
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

func runHubBackup(args []string, s stdio) int {
	fs := newFlags("hub backup", "hub backup --db FILE --to FILE",
		"Write a consistent copy of the hub's database to a new file (SQLite VACUUM INTO), while the hub\n"+
			"serves. To restore: stop the hub, put the copy in place of the database, delete its -wal and\n"+
			"-shm files, start the hub (docs/install.md).", s)
	dbf := addHubDBFlags(fs)
	to := fs.String("to", "", "the backup file to write (must not exist)")
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	if *to == "" || fs.NArg() > 0 {
		fmt.Fprintln(s.err, "tote hub backup: give --to FILE, a file that does not exist yet")
		return 2
	}
	ctx := context.Background()
	if *dbf.postgres == "" {
		if _, err := os.Stat(*dbf.db); err != nil {
			fmt.Fprintf(s.err, "tote hub backup: %v\n", err)
			return 1
		}
	}
	hs, err := dbf.open(ctx, fs)
	if err != nil {
		fmt.Fprintf(s.err, "tote hub backup: the database did not open:\n  %v\n", err)
		return 1
	}
	defer hs.Close()
	if hs.sqlite == nil {
		fmt.Fprintln(s.err, "tote hub backup: a hub on PostgreSQL is backed up with pg_dump (docs/install.md)")
		return 2
	}
	start := time.Now()
	if err := hs.sqlite.Backup(ctx, *to); err != nil {
		fmt.Fprintf(s.err, "tote hub backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(s.out, "tote hub backup: %s written in %s\n", *to, time.Since(start).Round(time.Millisecond))
	return 0
}

func runHubSettings(args []string, s stdio) int {
	fs := newFlags("hub settings", "hub settings --db FILE [NAME=VALUE...]",
		"Show the hub's settings, or change them: each NAME=VALUE is written to the database, then all\n"+
			"settings are shown. ship_to_required (default true): an order without a ship-to address is\n"+
			"refused at import, because the site prints shipping labels; pin_min_digits (default 6): the\n"+
			"fewest digits of a PIN imported in clear; docs/hub.md.", s)
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
		// Read an order at a time, as the hub's endpoint does.
		return hs.ImportOrderStream(ctx, hub.FromStart(f, hub.DecodeOrdersCSV), time.Now())
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
