package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
	"github.com/totewms/tote/sync/replicator"
)

// syncLink is the station's replicator and the watch that hands its
// status to the screen (replicator.Watch).
type syncLink struct {
	rep   *replicator.Replicator
	watch *replicator.Watch
}

// startSync starts syncing when the configuration names a hub; nil when it
// does not. token is used when cfg.Sync.TokenFile is empty (the demo).
func startSync(run starter, cfg *config.Config, st *store.Store, bench station.BenchName, token string, log *slog.Logger) (*syncLink, error) {
	if cfg.Sync.Hub == "" {
		return nil, nil
	}
	if cfg.Sync.TokenFile != "" {
		b, err := os.ReadFile(cfg.Sync.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("sync.token_file: %w", err)
		}
		token = strings.TrimSpace(string(b))
		if w := sharedFile(cfg.Sync.TokenFile, "token file"); w != "" {
			log.Warn(w)
		}
	}
	if token == "" {
		return nil, errors.New("sync.hub is set but there is no token: set sync.token_file")
	}
	client, err := replicator.NewClient(cfg.Sync.CAFile)
	if err != nil {
		return nil, err
	}
	l := &syncLink{watch: replicator.NewWatch()}
	rep, err := replicator.New(st, replicator.Options{Hub: cfg.Sync.Hub, Token: token, Bench: string(bench), Client: client, InsecureHTTP: cfg.Sync.InsecureHTTP,
		PushInterval: cfg.Sync.PushInterval, PullInterval: cfg.Sync.PullInterval, Log: log,
		OnStatus: l.watch.Note})
	if err != nil {
		return nil, err
	}
	l.rep = rep
	run(func(ctx context.Context) {
		if err := rep.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("replicator stopped", "err", err)
		}
	})
	return l, nil
}

// forward shows the sync status on the screen (replicator.Watch.Run),
// with the office's refusals the floor has not acknowledged when the hub
// rejected any (refusals, when set, lists them).
func (l *syncLink) forward(ctx context.Context, send func(tea.Msg), refusals func(context.Context) ([]station.Refusal, error), log *slog.Logger) {
	l.watch.Run(ctx, l.rep.Status, 5*time.Second, func(s replicator.Shown) {
		m := syncMsgOf(s)
		if s.Rejected > 0 && refusals != nil {
			rs, err := refusals(ctx)
			if err != nil && ctx.Err() == nil {
				log.Warn("reading the office's refusals", "err", err)
			}
			m.Refusals = rs
		}
		send(m)
	})
}

func syncMsgOf(s replicator.Shown) tui.SyncMsg {
	m := tui.SyncMsg{Online: s.Online, Waiting: s.Waiting, OldestWaiting: s.OldestAge, LastPull: s.LastPull,
		News: s.News, NewsAt: s.NewsAt, Told: s.Told, Rejected: s.Rejected, OfflineSince: s.OfflineSince, Failing: s.Failing}
	switch {
	case s.Stopped != "":
		m.Stopped, m.Problem = true, s.Stopped
	case s.LastError != "":
		m.Problem = s.LastError
	}
	return m
}
