// Package office is the demo's office: a hub in this process (`tote demo`)
// that is the source of the demo's orders and joins the demo's stations,
// with the office working on it. Its database is dir/hub.db and it serves
// on a free loopback port. It registers the demo's stations (Stations: a
// pick cart, a pack bench and a dispatch bench, each a station of its own
// with its folder dir/<id> and its token kept in dir/<id>/station.token,
// used again at the next start) and, on a new database, imports the demo
// site for the seed with its wave assigned to the cart, so the stations
// pull their work and each other's totes as from a real hub. An admin
// token for curl is written to dir/hub-admin.token, the hub's address to
// dir/hub.url and its log to dir/hub.log. The office holds, cancels and
// releases orders as it goes (actors.Office) and releases a new wave to
// the cart when asked (NewWave, F12 once a wave is picked).
package office

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// Station is one of the demo site's stations: a PC of its own on a real
// floor, here a store, a replicator and devices of its own in one process.
type Station struct {
	ID    string // its station id, e.g. CART-01
	Bench string // the bench it runs (protocol.BenchPick, …)
	Name  string // what the demo calls it, e.g. "pick cart"
	// Short is its word on the switch key's help ("Tab bench"): short, so
	// it stays on a narrow screen's help line.
	Short string
}

// Dir is the station's own folder under the demo folder root.
func (s Station) Dir(root string) string { return filepath.Join(root, s.ID) }

// Stations are the demo site's stations in the order the goods go through
// them: the cart (the demo's wave is assigned to it), the pack bench that
// packs its totes, the dock that loads the parcels.
var Stations = []Station{
	{ID: "CART-01", Bench: protocol.BenchPick, Name: "pick cart", Short: "cart"},
	{ID: "PACK-01", Bench: protocol.BenchPack, Name: "pack bench", Short: "bench"},
	{ID: "DOCK-01", Bench: protocol.BenchDispatch, Name: "dispatch bench", Short: "dock"},
}

// Place is the place in Stations of the station that runs bench.
func Place(bench string) (int, bool) {
	for i, s := range Stations {
		if s.Bench == bench {
			return i, true
		}
	}
	return 0, false
}

// cart is the station the demo's waves are assigned to.
var cart = Stations[0].ID

// oldStation is the one station a demo folder made before the demo ran
// separate stations registered: such a folder cannot be opened again.
const oldStation = "DEMO-01"

// Office is the demo's hub, running.
type Office struct {
	URL string // the hub's address, http://127.0.0.1:port
	// Tokens are the demo stations' tokens by station id.
	Tokens map[string]string

	ctx  context.Context
	hs   *hubstore.Store
	seed uint64
	log  *slog.Logger
	once sync.Once
	stop func()
}

// Start runs the demo's hub on dir until Stop (or ctx ends).
func Start(ctx context.Context, dir string, seed uint64) (*Office, error) {
	logf, err := os.OpenFile(filepath.Join(dir, "hub.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(logf, nil)).With("component", "demo hub")
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("demo hub: %w", err)
	}
	closeAll := func() { hs.Close(); logf.Close() }
	tokens, err := open(ctx, hs, dir, seed)
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("demo hub: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		closeAll()
		return nil, fmt.Errorf("demo hub: %w", err)
	}
	hctx, cancel := context.WithCancel(ctx)
	o := &Office{URL: "http://" + ln.Addr().String(), Tokens: tokens, ctx: hctx, hs: hs, seed: seed, log: log}
	// Its address changes at every start: said where curl can read it.
	log.Info("demo hub serving", "url", o.URL)
	if err := os.WriteFile(filepath.Join(dir, "hub.url"), []byte(o.URL+"\n"), 0o600); err != nil {
		ln.Close()
		cancel()
		closeAll()
		return nil, fmt.Errorf("demo hub: %w", err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := hub.Serve(hctx, ln, hub.NewServer(hs, hub.Options{Log: log})); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo hub stopped", "err", err)
		}
	}()
	scripted := make(chan struct{})
	go func() {
		defer close(scripted)
		actors.Office(hctx, hs, demo.Site(seed, time.Now()).Orders, log)
	}()
	o.stop = func() {
		cancel()
		<-served
		<-scripted
		closeAll()
	}
	return o, nil
}

// tokenFile, in a station's folder, keeps its token between starts, so a
// demo opened again uses the token it has rather than minting another.
const tokenFile = "station.token"

// open registers the demo's stations (each token kept in its folder and
// used again while the hub takes it); a new database gets the demo site
// and an admin token too. A folder of the one-station demo is refused.
func open(ctx context.Context, hs *hubstore.Store, dir string, seed uint64) (map[string]string, error) {
	old, err := hs.StationRegistered(ctx, oldStation)
	if err != nil {
		return nil, err
	}
	if old {
		return nil, fmt.Errorf("%s is the folder of an older demo, which ran one station (%s) for picking and packing; "+
			"the demo now runs a cart, a pack bench and a dispatch bench apart: start it on a new folder (tote demo --dir NEW-FOLDER)", dir, oldStation)
	}
	tokens := map[string]string{}
	for _, s := range Stations {
		if tokens[s.ID], err = stationToken(ctx, hs, dir, s); err != nil {
			return nil, err
		}
	}
	imported := false
	if err := hs.Read(ctx, func(tx hub.StoreTx) error {
		_, ok, err := tx.Wave(demo.WaveID)
		imported = ok
		return err
	}); err != nil || imported {
		return tokens, err
	}
	site := demo.Site(seed, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(ctx, hs, protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, cart), time.Now()); err != nil {
		return nil, err
	}
	admin, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes, Label: "demo office"}, hub.Console("demo"), time.Now())
	if err != nil {
		return nil, err
	}
	return tokens, os.WriteFile(filepath.Join(dir, "hub-admin.token"), []byte(admin.Token+"\n"), 0o600)
}

// stationToken registers station s at the hub, or finds it registered,
// and returns its token: the one in its folder while the hub takes it,
// else a new one written there.
func stationToken(ctx context.Context, hs *hubstore.Store, dir string, s Station) (string, error) {
	if err := os.MkdirAll(s.Dir(dir), 0o750); err != nil {
		return "", err
	}
	path := filepath.Join(s.Dir(dir), tokenFile)
	known, err := hs.StationRegistered(ctx, s.ID)
	if err != nil {
		return "", err
	}
	var token string
	switch {
	case known:
		if b, err := os.ReadFile(path); err == nil {
			token := strings.TrimSpace(string(b))
			if p, err := hs.Authenticate(ctx, hub.HashToken(token), time.Now()); err == nil && p.Station == s.ID {
				return token, nil
			}
		}
		reg, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenStation, Station: s.ID, Label: "demo"}, hub.Console("demo"), time.Now())
		if err != nil {
			return "", err
		}
		token = reg.Token
	default:
		token = hub.NewToken(hub.TokenStation)
		if err := hs.RegisterStation(ctx, s.ID, "demo "+s.Name, hub.HashToken(token), time.Now()); err != nil {
			return "", err
		}
	}
	return token, os.WriteFile(path, []byte(token+"\n"), 0o600)
}

// Stop ends the hub and the office's script and closes the database.
// Calling it again does nothing.
func (o *Office) Stop() { o.once.Do(o.stop) }

// NewWave releases the demo's next wave to the demo's cart and returns
// its id: numbered on from the hub's last demo wave, so a demo folder
// opened again goes on where it was.
func (o *Office) NewWave() (string, error) {
	n, err := o.nextWave()
	if err != nil {
		return "", err
	}
	site := demo.ExtraWave(o.seed, n, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(o.ctx, o.hs, protocol.SiteOf(nil, nil, nil, site.Orders, site.Waves, site.Tasks, cart), time.Now()); err != nil {
		return "", err
	}
	o.log.Info("demo office released a new wave", "wave", site.Waves[0].ID, "orders", len(site.Orders))
	return site.Waves[0].ID, nil
}

// nextWave is the number of the first demo wave the hub does not have.
func (o *Office) nextWave() (int, error) {
	n := 1
	err := o.hs.Read(o.ctx, func(tx hub.StoreTx) error {
		for ; ; n++ {
			_, ok, err := tx.Wave(demo.ExtraWaveID(n))
			if err != nil || !ok {
				return err
			}
		}
	})
	return n, err
}
