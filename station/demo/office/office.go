// Package office is the demo's office: a hub in this process (`tote demo`)
// that is the source of the demo's orders, with the office working on it.
// Its database is dir/hub.db and it serves on a free loopback port. It
// registers station DEMO-01 (its token kept in dir/station.token and used
// again at the next start) and, on a new database, imports the demo site for the seed with
// its wave assigned to DEMO-01, so the station pulls its work as from a
// real hub. An admin token for curl is written to dir/hub-admin.token and
// the hub's log to dir/hub.log. The office holds, cancels and releases
// orders as it goes (actors.Office) and releases a new wave when asked
// (NewWave, F12 once a wave is picked).
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

// Station is the station id the demo's hub registers.
const Station = "DEMO-01"

// Office is the demo's hub, running.
type Office struct {
	URL   string // the hub's address, http://127.0.0.1:port
	Token string // the demo station's token, new at each start

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
	token, err := open(ctx, hs, dir, seed)
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
	o := &Office{URL: "http://" + ln.Addr().String(), Token: token, ctx: hctx, hs: hs, seed: seed, log: log}
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

// tokenFile keeps the demo station's token between starts, so a demo
// opened again uses the token it has rather than minting another.
const tokenFile = "station.token"

// open registers the demo station (its token kept in dir/station.token
// and used again while the hub takes it); a new database gets the demo
// site and an admin token too.
func open(ctx context.Context, hs *hubstore.Store, dir string, seed uint64) (string, error) {
	known, err := hs.StationRegistered(ctx, Station)
	if err != nil {
		return "", err
	}
	by := hub.Console("demo")
	path := filepath.Join(dir, tokenFile)
	if known {
		if b, err := os.ReadFile(path); err == nil {
			token := strings.TrimSpace(string(b))
			if p, err := hs.Authenticate(ctx, hub.HashToken(token), time.Now()); err == nil && p.Station == Station {
				return token, nil
			}
		}
		reg, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenStation, Station: Station, Label: "demo"}, by, time.Now())
		if err != nil {
			return "", err
		}
		return reg.Token, os.WriteFile(path, []byte(reg.Token+"\n"), 0o600)
	}
	token := hub.NewToken(hub.TokenStation)
	if err := hs.RegisterStation(ctx, Station, "demo station", hub.HashToken(token), time.Now()); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", err
	}
	site := demo.Site(seed, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(ctx, hs, protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, Station), time.Now()); err != nil {
		return "", err
	}
	admin, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes, Label: "demo office"}, by, time.Now())
	if err != nil {
		return "", err
	}
	return token, os.WriteFile(filepath.Join(dir, "hub-admin.token"), []byte(admin.Token+"\n"), 0o600)
}

// Stop ends the hub and the office's script and closes the database.
// Calling it again does nothing.
func (o *Office) Stop() { o.once.Do(o.stop) }

// NewWave releases the demo's next wave to the demo station and returns
// its id: numbered on from the hub's last demo wave, so a demo folder
// opened again goes on where it was.
func (o *Office) NewWave() (string, error) {
	n, err := o.nextWave()
	if err != nil {
		return "", err
	}
	site := demo.ExtraWave(o.seed, n, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(o.ctx, o.hs, protocol.SiteOf(nil, nil, nil, site.Orders, site.Waves, site.Tasks, Station), time.Now()); err != nil {
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
