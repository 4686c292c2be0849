package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
	"github.com/totewms/tote/sync/replicator"
)

// syncLink runs the replicator and hands its status to the screen. Status
// arrives on the replicator's goroutines, which must never wait on the UI,
// so the latest is kept and a forwarder delivers it.
type syncLink struct {
	rep    *replicator.Replicator
	latest atomic.Pointer[replicator.Status]
	wake   chan struct{}
}

// startSync starts syncing when the configuration names a hub; nil when it
// does not. token is used when cfg.Sync.TokenFile is empty (the demo).
func startSync(run starter, cfg *config.Config, st *store.Store, token string, log *slog.Logger) (*syncLink, error) {
	if cfg.Sync.Hub == "" {
		return nil, nil
	}
	if cfg.Sync.TokenFile != "" {
		b, err := os.ReadFile(cfg.Sync.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("sync.token_file: %w", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return nil, errors.New("sync.hub is set but there is no token: set sync.token_file")
	}
	l := &syncLink{wake: make(chan struct{}, 1)}
	rep, err := replicator.New(st, replicator.Options{Hub: cfg.Sync.Hub, Token: token,
		PushInterval: cfg.Sync.PushInterval, PullInterval: cfg.Sync.PullInterval, Log: log,
		OnStatus: func(s replicator.Status) {
			l.latest.Store(&s)
			select {
			case l.wake <- struct{}{}:
			default:
			}
		}})
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

// waitForWork waits until pulls from the hub have brought work (ready
// says so), so a fresh demo station has its wave before anyone logs in.
func (l *syncLink) waitForWork(ctx context.Context, limit time.Duration, ready func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if s := l.latest.Load(); s != nil {
			if !s.LastPull.IsZero() && ready() {
				return nil
			}
			if s.Stopped != "" {
				return errors.New(s.Stopped)
			}
		}
		select {
		case <-ctx.Done():
			last := "no answer"
			if s := l.latest.Load(); s != nil && s.LastError != "" {
				last = s.LastError
			}
			return fmt.Errorf("no work from the hub within %s: %s", limit, last)
		case <-l.wake:
		case <-tick.C:
		}
	}
}

// forward sends the status to the screen on every change, and every few
// seconds so the age of the oldest waiting event stays true.
// refusals, when set, lists the office's refusals the floor has not
// acknowledged, for the message line.
func (l *syncLink) forward(ctx context.Context, send func(tea.Msg), refusals func(context.Context) ([]station.Refusal, error), log *slog.Logger) {
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	var offline time.Time // when this run first saw the hub out of reach
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.wake:
		case <-tick.C:
		}
		s := l.rep.Status()
		m := syncMsgOf(s)
		switch {
		case s.Online:
			offline = time.Time{}
		case !m.OfflineSince.IsZero():
		case offline.IsZero():
			offline = time.Now()
			m.OfflineSince = offline
		default:
			m.OfflineSince = offline
		}
		if s.Rejected > 0 && refusals != nil {
			rs, err := refusals(ctx)
			if err != nil && ctx.Err() == nil {
				log.Warn("reading the office's refusals", "err", err)
			}
			m.Refusals = rs
		}
		send(m)
	}
}

func syncMsgOf(s replicator.Status) tui.SyncMsg {
	m := tui.SyncMsg{Online: s.Online, Waiting: s.Waiting, OldestWaiting: s.OldestAge, LastPull: s.LastPull,
		News: s.News, NewsAt: s.NewsAt, Rejected: s.Rejected}
	if !s.Online {
		// Offline since the last exchange that worked (both are durable).
		m.OfflineSince = s.LastPull
		if s.LastPush.After(m.OfflineSince) {
			m.OfflineSince = s.LastPush
		}
	}
	switch {
	case s.Stopped != "":
		m.Stopped, m.Problem = true, s.Stopped
	case s.LastError != "":
		m.Problem = s.LastError
	}
	return m
}
