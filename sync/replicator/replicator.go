// Package replicator is the station's side of sync: it pushes the journal
// to the hub and pulls the station's slice of central data, in the
// background, from durable state and timers.
//
// It pushes soon after each commit (Kick) and on a timer; it pulls with a
// wait (long-poll) while the hub offers one, so news reaches the station as
// soon as it commits at the hub, and on a timer otherwise (a hub that is
// away, or older than waiting). It backs off exponentially with jitter
// while the hub is unreachable, and
// picks up where it left off after a restart, because the pushed mark and
// the pull cursor live in the station's store. On 401 or 403 it stops and
// says so in Status.Stopped.
//
// It must never delete or mark anything in the journal except through the
// hub's acknowledgement (store.RecordPush), and never store a pull cursor
// except with the changes it covers (store.ApplyPull).
package replicator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/protocol"
)

// Journal is what the replicator needs of the station's store.
type Journal interface {
	Station() string
	SyncState(ctx context.Context) (store.SyncState, error)
	Outbox(ctx context.Context, after int64, limit, maxBytes int) ([]store.OutboxEvent, error)
	RecordPush(ctx context.Context, ack store.PushAck) error
	RewindPush(ctx context.Context, mark int64) error
	ApplyPull(ctx context.Context, p store.Pulled) (store.PullSummary, error)
}

var _ Journal = (*store.Store)(nil)

// Options configure a Replicator. Hub and Token are required.
type Options struct {
	Hub   string // the hub's base URL, e.g. https://hub.example:8443
	Token string // the station's token

	PushInterval time.Duration // default 2s: how often waiting events are pushed without a Kick
	PullInterval time.Duration // default 10s: how often to pull when the hub does not wait
	// PullWait is how long a pull may wait at the hub for news while the
	// station has nothing new (within the hub's own maximum), when the
	// hub's last answer offered waiting; default 25s; negative: never wait.
	PullWait time.Duration
	// BatchSize and BatchBytes bound one push (at least one event is
	// always sent); PullLimit bounds one pull page.
	BatchSize  int // default 2000
	BatchBytes int // default 1 MiB
	PullLimit  int // default 1000
	// RequestTimeout bounds each HTTP exchange; default 30s.
	RequestTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait after a failure; it doubles
	// from the first to the second, with jitter. Defaults 500ms and 1min.
	MinBackoff, MaxBackoff time.Duration

	// Bench is what this station runs (protocol.BenchPick, BenchPack),
	// stated on every pull: the hub sends a pack bench the totes the
	// carts fill. "" states none.
	Bench string

	Client *http.Client // default: a client of its own (NewClient makes one for a CA file)
	// InsecureHTTP allows plain http to a hub that is not on this machine
	// ([sync] insecure_http); without it New refuses such a URL.
	InsecureHTTP bool
	Now          func() time.Time // default time.Now
	Log          *slog.Logger
	// OnStatus, when set, receives every change of Status, in order, from
	// the replicator's goroutines: it must not block (send it on).
	OnStatus func(Status)
}

// Status is what the status bar shows.
type Status struct {
	Station string
	// Online: the last exchange with the hub succeeded.
	Online bool
	// Waiting events the hub has not acknowledged, and the device time of
	// the oldest (zero when none) with its age when the status was made.
	Waiting       int
	OldestWaiting time.Time
	OldestAge     time.Duration
	LastPush      time.Time // the last acknowledgement (durable: survives restarts)
	LastPull      time.Time // the last applied pull (durable)
	Rejected      int       // events the hub rejected: each is an exception to resolve
	Operator      string    // the badge signed in at the station, "" when nobody
	// Stopped is set when sync stopped and needs a person, e.g. "hub
	// refused the token (401): check token_file". Nothing was deleted.
	Stopped string
	// LastError is the latest failure, "" once both directions work again.
	LastError string
	// Failing names what failed at the last try when it was not the
	// network: FailingHub (the hub answered 5xx: it is up but cannot
	// apply, e.g. its disk is full) or FailingStore (this station's own
	// store); "" otherwise.
	Failing string
	// News is what the last pull that brought any changed for operators
	// (holds, releases, cancellations, labels), and when.
	News   string
	NewsAt time.Time
	// Told is the part of News that is supervisors' resolutions of
	// exceptions met here, "" when it has none: a bench that restates the
	// rest of the news (a cancelled order's tasks leaving the walk) keeps
	// these words with its own.
	Told string
}

// What Status.Failing names.
const (
	FailingHub   = "hub"
	FailingStore = "store"
	// FailingQuota: the hub refused a push over the station's storage
	// quota; FailingBuild: it refuses this station's tote build.
	FailingQuota = "quota"
	FailingBuild = "build"
)

// Replicator syncs one station's store with the hub.
type Replicator struct {
	j      Journal
	opts   Options
	base   *url.URL
	client *http.Client
	log    *slog.Logger
	kick   chan struct{}

	// stateMu serialises reading the store's sync state with publishing
	// it, so a count read before a commit is never shown after one read
	// since (the push and pull loops both publish).
	stateMu  sync.Mutex
	mu       sync.Mutex // guards the fields below and orders OnStatus calls
	status   Status
	pushErr  string
	pullErr  string
	batch    int // events per push: halves after a timeout, grows back to batchCap on success
	batchCap int // shrinks after a 413 and stays there

	devices deviceReport // the station's devices for the hub (devices.go)
}

// New makes a replicator for j's station; Run starts it.
func New(j Journal, opts Options) (*Replicator, error) {
	u, err := url.Parse(strings.TrimRight(opts.Hub, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hub URL %q: want http(s)://host[:port]", opts.Hub)
	}
	if u.User != nil {
		return nil, fmt.Errorf("hub URL %q has a user or password in it: the token goes in token_file", u.Redacted())
	}
	if err := checkPlain(u, opts.InsecureHTTP); err != nil {
		return nil, err
	}
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("the station has no hub token: put it in the file token_file names")
	}
	if err := protocol.CheckStationID(j.Station()); err != nil {
		return nil, err
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.PushInterval, 2*time.Second)
	def(&opts.PullInterval, 10*time.Second)
	if opts.PullWait == 0 {
		opts.PullWait = 25 * time.Second
	}
	def(&opts.RequestTimeout, 30*time.Second)
	def(&opts.MinBackoff, 500*time.Millisecond)
	def(&opts.MaxBackoff, time.Minute)
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = opts.MinBackoff
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2000
	}
	opts.BatchSize = min(opts.BatchSize, protocol.MaxPushEvents)
	if opts.BatchBytes <= 0 {
		opts.BatchBytes = 1 << 20
	}
	if opts.PullLimit <= 0 {
		opts.PullLimit = 1000
	}
	opts.PullLimit = min(opts.PullLimit, protocol.MaxPullLimit)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	opts.Token = strings.TrimSpace(opts.Token)
	return &Replicator{j: j, opts: opts, base: u, client: client, log: opts.Log.With("hub", u.Redacted()),
		kick: make(chan struct{}, 1), status: Status{Station: j.Station()}, batch: opts.BatchSize, batchCap: opts.BatchSize}, nil
}

// Kick asks for a push soon, after a commit. It never blocks; kicks while a
// push is under way fold into one. While the hub is failing, a kick only
// refreshes the waiting count: the backoff still decides the next try.
func (r *Replicator) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Status returns the current status.
func (r *Replicator) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Run syncs until ctx ends. A stop for a person (401, 403, a journal the
// hub does not recognise) ends the exchanges, not Run: the status keeps
// its reason and the waiting count stays current.
func (r *Replicator) Run(ctx context.Context) error {
	r.refresh(ctx)
	var wg sync.WaitGroup
	stopped := make(chan struct{})
	// A stop also ends a pull waiting at the hub.
	pullCtx, cancelPull := context.WithCancel(ctx)
	defer cancelPull()
	var once sync.Once
	stop := func() { once.Do(func() { close(stopped); cancelPull() }) }
	wg.Add(2)
	go func() { defer wg.Done(); r.pushLoop(ctx, stopped, stop) }()
	go func() { defer wg.Done(); r.pullLoop(pullCtx, stopped, stop) }()
	wg.Wait()
	return nil
}

func (r *Replicator) pushLoop(ctx context.Context, stopped <-chan struct{}, stop func()) {
	b := backoff{min: r.opts.MinBackoff, max: r.opts.MaxBackoff}
	for {
		err := r.pushAll(ctx)
		if ctx.Err() != nil {
			return
		}
		if err == nil || refusedOverQuota(err) {
			// Also when the hub refused the push over the quota: it is
			// there, and the site's health must see the events piling up.
			r.reportDevices(ctx)
		}
		delay := r.opts.PushInterval
		healthy := err == nil
		if err != nil {
			switch r.failed(err, true) {
			case actStop:
				stop()
				r.idle(ctx)
				return
			case actAgain:
				delay = 0
			default:
				delay = b.next()
			}
		} else {
			b.reset()
		}
		select {
		case <-stopped:
			r.idle(ctx)
			return
		default:
		}
		if !r.wait(ctx, stopped, delay, healthy) {
			if ctx.Err() == nil {
				r.idle(ctx)
			}
			return
		}
	}
}

// wait sleeps for delay; a kick ends it early when the hub is healthy, and
// always refreshes the status. It returns false when ctx ended or sync
// stopped.
func (r *Replicator) wait(ctx context.Context, stopped <-chan struct{}, delay time.Duration, healthy bool) bool {
	if delay <= 0 {
		return true
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-stopped:
			return false
		case <-t.C:
			return true
		case <-r.kick:
			if healthy {
				return true
			}
			r.refresh(ctx)
		}
	}
}

// idle keeps the waiting count current after sync stopped.
func (r *Replicator) idle(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
			r.refresh(ctx)
		}
	}
}

// pullLoop pulls, round after round. While the hub's last answer offered
// to wait, the next round starts at once and waits at the hub; otherwise
// (a hub that does not wait, or after a failure) it starts after the pull
// interval or the backoff, without a wait, and learns again from its
// answer. Its own goroutine, so a waiting pull never delays a push.
func (r *Replicator) pullLoop(ctx context.Context, stopped <-chan struct{}, stop func()) {
	b := backoff{min: r.opts.MinBackoff, max: r.opts.MaxBackoff}
	var offer time.Duration // the wait the hub's last answer offered
	for {
		var wait time.Duration
		if r.opts.PullWait > 0 && offer > 0 {
			wait = min(r.opts.PullWait, offer)
		}
		began := time.Now()
		round, err := r.pullAll(ctx, wait)
		if ctx.Err() != nil {
			return
		}
		delay := r.opts.PullInterval
		offer = round.offer
		if err == nil && offer > 0 && r.opts.PullWait > 0 {
			delay = 0
			// A wait that came back empty long before its end (a hub
			// shutting down) pauses a little: a hub that answers at once
			// must never make this a tight loop.
			if wait > 0 && round.changes == 0 && time.Since(began) < wait/2 {
				delay = r.opts.MinBackoff
			}
		}
		if err != nil {
			offer = 0
			switch r.failed(err, false) {
			case actStop:
				stop()
				return
			case actAgain:
				delay = 0
			default:
				delay = b.next()
			}
		} else {
			b.reset()
		}
		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-stopped:
				t.Stop()
				return
			case <-t.C:
			}
		}
	}
}

// batch is a push made ready: the events and the request body. No events
// and no error means nothing waits after the position it was read from.
type batch struct {
	evs  []store.OutboxEvent
	body []byte
	err  error
}

// prepare reads the events after seq and encodes them.
func (r *Replicator) prepare(ctx context.Context, after int64) batch {
	r.mu.Lock()
	limit := r.batch
	r.mu.Unlock()
	evs, err := r.j.Outbox(ctx, after, limit, r.opts.BatchBytes)
	if err != nil {
		return batch{err: localError{fmt.Errorf("reading the journal: %w", err)}}
	}
	if len(evs) == 0 {
		return batch{}
	}
	if evs[0].Seq != after+1 {
		return batch{err: localError{fmt.Errorf("the journal has no event %d to push", after+1)}}
	}
	return batch{evs: evs, body: r.encodePush(evs)}
}

// pushAll pushes batches until nothing waits, so a backlog drains at full
// speed. One request is in flight at a time, so the protocol is plain;
// around it, the next batch is read and encoded while the hub applies this
// one, and each acknowledgement is recorded while the next batch travels.
// Acknowledgements are recorded in order; a crash before one is recorded
// only means the hub sees those events again, as duplicates.
func (r *Replicator) pushAll(ctx context.Context) error {
	st, err := r.refresh(ctx)
	if err != nil {
		return localError{fmt.Errorf("reading the sync state: %w", err)}
	}
	pos := st.Pushed // acknowledged by the hub, recorded or being recorded
	var recording chan error
	settle := func() error { // waits for the acknowledgement being recorded
		if recording == nil {
			return nil
		}
		err := <-recording
		recording = nil
		if err != nil {
			return localError{fmt.Errorf("recording the hub's acknowledgement: %w", err)}
		}
		r.refresh(ctx)
		return nil
	}
	var next chan batch
	for {
		var b batch
		if next != nil {
			b = <-next
			next = nil
		}
		if b.err != nil || len(b.evs) == 0 || b.evs[0].Seq != pos+1 {
			b = r.prepare(ctx, pos)
		}
		if b.err != nil {
			return errors.Join(b.err, settle())
		}
		if len(b.evs) == 0 {
			if err := settle(); err != nil {
				return err
			}
			r.succeeded(true)
			return nil
		}
		first, last := b.evs[0].Seq, b.evs[len(b.evs)-1].Seq
		next = make(chan batch, 1)
		go func() { next <- r.prepare(ctx, last) }()
		var resp protocol.PushResponse
		if err := r.do(ctx, http.MethodPost, protocol.PathPush, nil, b.body, &resp); err != nil {
			if serr := settle(); serr != nil {
				return serr
			}
			return err
		}
		if resp.Station != r.j.Station() || resp.Mark < first-1 || len(resp.Outcomes) != len(b.evs) {
			if serr := settle(); serr != nil {
				return serr
			}
			return transportError{fmt.Errorf("the hub's answer does not match the push (station %q, mark %d, %d outcomes for events %d-%d)",
				resp.Station, resp.Mark, len(resp.Outcomes), first, last)}
		}
		mark := min(resp.Mark, last)
		ack := store.PushAck{Mark: mark, At: r.opts.Now()}
		for _, o := range resp.Outcomes {
			if o.Status == protocol.Rejected && o.Seq <= mark && o.Seq >= first {
				ack.Rejections = append(ack.Rejections, store.Rejection{Seq: o.Seq, Reason: o.Reason})
				if !o.Duplicate {
					r.log.Warn("hub rejected an event", "seq", o.Seq, "reason", o.Reason)
				}
			}
		}
		if err := settle(); err != nil {
			return err
		}
		recording = make(chan error, 1)
		go func() { recording <- r.j.RecordPush(ctx, ack) }()
		pos = mark
		r.log.Debug("pushed", "from", first, "to", last, "mark", mark)
		r.mu.Lock()
		r.batch = min(r.batchCap, r.batch*2)
		r.mu.Unlock()
		r.succeeded(true)
	}
}

// encodePush writes the push body straight from the stored rows: the
// payloads are the JSON the store holds and the device times its RFC 3339
// text, so nothing is decoded to be encoded again. A row that is not what
// the store writes (a payload that is not a JSON object, a time that does
// not read) is still sent, wrapped so the hub keeps it for review: one bad
// row must never block the queue.
func (r *Replicator) encodePush(evs []store.OutboxEvent) []byte {
	size := 64
	for _, e := range evs {
		size += len(e.Payload) + len(e.ID) + len(e.Type) + len(e.Operator) + 140
	}
	b := make([]byte, 0, size)
	b = append(b, `{"station":`...)
	b = appendJSONString(b, r.j.Station())
	b = append(b, `,"events":[`...)
	for i, e := range evs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"station":`...)
		b = appendJSONString(b, e.Station)
		b = append(b, `,"seq":`...)
		b = strconv.AppendInt(b, e.Seq, 10)
		b = append(b, `,"id":`...)
		b = appendJSONString(b, e.ID)
		if e.Operator != "" {
			b = append(b, `,"operator":`...)
			b = appendJSONString(b, e.Operator)
		}
		dt := e.DeviceTime
		if _, err := time.Parse(time.RFC3339Nano, dt); err != nil {
			r.log.Warn("journal event with an unreadable device time: sent as zero", "seq", e.Seq, "device_time", floor.Printable(dt))
			dt = "0001-01-01T00:00:00Z"
		}
		b = append(b, `,"device_time":`...)
		b = appendJSONString(b, dt)
		b = append(b, `,"type":`...)
		b = appendJSONString(b, e.Type)
		b = append(b, `,"payload":`...)
		if p := bytes.TrimSpace(e.Payload); len(p) > 0 && p[0] == '{' && json.Valid(p) {
			b = append(b, p...)
		} else {
			r.log.Warn("journal event with an unreadable payload: sent wrapped", "seq", e.Seq)
			b = append(b, `{"unreadable_payload":`...)
			b = appendJSONString(b, string(e.Payload))
			b = append(b, '}')
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendJSONString appends s as a JSON string: plain text directly, the
// rest through encoding/json's escaping.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// pullRound is what one round of pulls learned: the wait the hub's last
// answer offered (0: it does not wait) and how many changes came.
type pullRound struct {
	offer   time.Duration
	changes int
}

// pullAll pulls page after page while the hub has more. The first page
// asks the hub to wait up to wait for news (0: answer at once).
func (r *Replicator) pullAll(ctx context.Context, wait time.Duration) (pullRound, error) {
	var round pullRound
	for {
		st, err := r.j.SyncState(ctx)
		if err != nil {
			return round, localError{fmt.Errorf("reading the sync state: %w", err)}
		}
		q := url.Values{}
		if st.Cursor != "" {
			q.Set("cursor", st.Cursor)
		}
		q.Set("limit", strconv.Itoa(r.opts.PullLimit))
		if r.opts.Bench != "" {
			q.Set(protocol.PullBench, r.opts.Bench)
		}
		timeout := r.opts.RequestTimeout
		if wait > 0 {
			q.Set(protocol.ParamWait, wait.String())
			timeout += wait
		}
		wait = 0
		var resp protocol.PullResponse
		if err := r.exchange(ctx, timeout, http.MethodGet, protocol.PathPull, q, nil, &resp); err != nil {
			return round, err
		}
		round.offer = time.Duration(max(resp.WaitMS, 0)) * time.Millisecond
		round.changes += len(resp.Changes)
		if resp.Station != r.j.Station() {
			return round, &protocol.Error{Status: http.StatusForbidden, Code: protocol.CodeForbidden,
				Message: fmt.Sprintf("the hub sent station %s's data: this token belongs to %s, not to %s", floor.Printable(resp.Station), floor.Printable(resp.Station), r.j.Station())}
		}
		p, unknown, err := pulledOf(resp, r.opts.Now())
		if err != nil {
			return round, transportError{err}
		}
		if resp.Reset {
			r.log.Info("the hub ordered a refetch of this station's data")
		}
		sum, err := r.j.ApplyPull(ctx, p)
		if err != nil {
			return round, localError{fmt.Errorf("applying the pull: %w", err)}
		}
		sum.Skipped = append(unknown, sum.Skipped...)
		if len(sum.Skipped) > 0 {
			r.log.Warn("pulled changes skipped", "count", len(sum.Skipped), "first", sum.Skipped[0])
		}
		if news := sum.News(); news != "" {
			r.log.Info("pulled", "news", news)
		}
		r.pulled(ctx, sum)
		if !resp.More {
			return round, nil
		}
	}
}

// knownKinds are the change kinds this station applies.
var knownKinds = map[string]bool{
	protocol.KindOperator: true, protocol.KindLocation: true, protocol.KindItem: true, protocol.KindOrder: true,
	protocol.KindWave: true, protocol.KindTask: true, protocol.KindHolds: true, protocol.KindCancel: true, protocol.KindLabel: true,
	protocol.KindTote: true, protocol.KindBadge: true, protocol.KindParcel: true, protocol.KindNotice: true, protocol.KindCount: true,
	protocol.KindReturnable: true,
}

// pulledOf converts and checks a pull page. A change of a kind this
// station does not know (from a newer hub) is left out and named in
// skipped: it must not stop the changes after it.
func pulledOf(resp protocol.PullResponse, now time.Time) (p store.Pulled, skipped []string, err error) {
	p = store.Pulled{Reset: resp.Reset, Cursor: resp.Cursor, At: now}
	if resp.Cursor == "" {
		return p, nil, errors.New("the hub's pull answer has no cursor")
	}
	if resp.StationNumber < 0 || resp.StationNumber > protocol.MaxStationNumber {
		return p, nil, fmt.Errorf("the hub's pull answer gives station number %d: it must be 1 to %d", resp.StationNumber, protocol.MaxStationNumber)
	}
	p.StationNumber = resp.StationNumber
	for i := range resp.Changes {
		c := &resp.Changes[i]
		if !knownKinds[c.Kind] {
			skipped = append(skipped, fmt.Sprintf("change %d of kind %q, unknown to this station (is the hub newer?)", c.Seq, floor.Printable(c.Kind)))
			continue
		}
		if err := c.Check(); err != nil {
			return p, nil, fmt.Errorf("the hub's pull answer: %w", err)
		}
		var sc store.Change
		switch c.Kind {
		case protocol.KindOperator:
			op, err := c.Operator.Floor()
			if err != nil {
				return p, nil, fmt.Errorf("the hub's pull answer: %w", err)
			}
			sc.Operator = &op
		case protocol.KindLocation:
			l := c.Location.Floor()
			sc.Location = &l
		case protocol.KindItem:
			it := c.Item.Floor()
			sc.Item = &it
		case protocol.KindOrder:
			o := c.Order.Floor()
			sc.Order = &o
		case protocol.KindWave:
			w := c.Wave.Floor()
			sc.Wave = &w
		case protocol.KindTask:
			t := c.Task.Floor()
			sc.Task = &t
		case protocol.KindHolds:
			h := store.OrderHolds{Order: c.Holds.Order}
			for _, x := range c.Holds.Holds {
				h.Holds = append(h.Holds, floor.Hold(x))
			}
			sc.Holds = &h
		case protocol.KindCancel:
			sc.Cancel = &store.Cancellation{Order: c.Cancel.Order, Reason: c.Cancel.Reason}
		case protocol.KindTote:
			if err := c.Tote.Check(); err != nil {
				// One bad tote must not stop the changes after it.
				skipped = append(skipped, fmt.Sprintf("change %d: %v", c.Seq, err))
				continue
			}
			sc.Tote = hubTote(c.Tote)
		case protocol.KindBadge:
			b := c.Badge
			sc.Badge = &store.BadgeLock{Badge: b.Badge, Locked: b.Locked, Failures: b.Failures, Station: b.Station, At: b.LockedAt}
		case protocol.KindNotice:
			n := c.Notice
			sc.Notice = &store.OfficeNotice{Exception: n.Exception, Source: n.Source, Kind: n.Kind, Action: n.Action, Reason: n.Reason,
				Supervisor: n.Supervisor, Order: n.Order, Job: n.Job, EventID: n.EventID, Wave: n.Wave, Text: floor.Printable(n.Text), At: n.At}
		case protocol.KindCount:
			k := c.Count
			sc.Count = &store.CountTask{ID: k.ID, Exception: k.Exception, Location: k.Location, SKU: k.SKU, Reason: k.Reason,
				Status: k.Status, At: k.At}
		case protocol.KindParcel:
			if err := c.Parcel.Check(); err != nil {
				// One bad parcel must not stop the changes after it.
				skipped = append(skipped, fmt.Sprintf("change %d: %v", c.Seq, err))
				continue
			}
			sc.Parcel = hubParcel(c.Parcel)
		case protocol.KindReturnable:
			if err := c.Returnable.Check(); err != nil {
				skipped = append(skipped, fmt.Sprintf("change %d: %v", c.Seq, err))
				continue
			}
			sc.Returnable = returnable(c.Returnable)
		case protocol.KindLabel:
			l := c.Label
			sc.Label = &store.CarrierLabel{Order: l.Order, Tracking: l.Tracking, Carrier: l.Carrier, Service: l.Service,
				SSCC: l.SSCC, Format: l.Format, Data: l.Data}
		}
		p.Changes = append(p.Changes, sc)
	}
	return p, skipped, nil
}

// maxAnswer bounds what the replicator reads of one answer.
const maxAnswer = 256 << 20

// do runs one exchange. Any answer but a 2xx with a body that reads is an
// error: transportError for what a retry can cure, *protocol.Error for
// what the hub said.
func (r *Replicator) do(ctx context.Context, method, path string, q url.Values, body []byte, out any) error {
	return r.exchange(ctx, r.opts.RequestTimeout, method, path, q, body, out)
}

// exchange is do with its own time limit (a waiting pull's is longer).
func (r *Replicator) exchange(ctx context.Context, timeout time.Duration, method, path string, q url.Values, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := *r.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = q.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return localError{err}
	}
	req.Header.Set("Authorization", "Bearer "+r.opts.Token)
	req.Header.Set(protocol.VersionHeader, strconv.Itoa(protocol.Version))
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return transportError{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return transportError{fmt.Errorf("reading the hub's answer: %w", err)}
	}
	if resp.StatusCode/100 != 2 {
		var eb protocol.ErrorBody
		if json.Unmarshal(data, &eb) != nil || eb.Error.Message == "" {
			eb.Error = protocol.Error{Code: "", Message: strings.TrimSpace(http.StatusText(resp.StatusCode))}
		}
		eb.Error.Status = resp.StatusCode
		return &eb.Error
	}
	if err := json.Unmarshal(data, out); err != nil {
		return transportError{fmt.Errorf("the hub's answer does not read (%d bytes): %w", len(data), err)}
	}
	return nil
}

// transportError is a failure a retry can cure: the network, a timeout, an
// answer cut short or garbled.
type transportError struct{ err error }

func (e transportError) Error() string { return e.err.Error() }
func (e transportError) Unwrap() error { return e.err }

// localError is a failure of the station's own store.
type localError struct{ err error }

func (e localError) Error() string { return e.err.Error() }
func (e localError) Unwrap() error { return e.err }

type action int

const (
	actBackoff action = iota // wait, then try again
	actAgain                 // try again now
	actStop                  // a person must act
)

// failed records a failure and says what to do next.
func (r *Replicator) failed(err error, push bool) action {
	ctx := context.Background()
	var pe *protocol.Error
	var te transportError
	act, online := actBackoff, false
	failing := ""
	var msg string // every case below says what went wrong
	switch {
	case errors.As(err, &pe):
		online = pe.Status < 500 && pe.Status != http.StatusTooManyRequests // the hub answered
		switch {
		case pe.Status == http.StatusUnauthorized:
			act, msg = actStop, fmt.Sprintf("hub refused the token (401): check token_file (%s)", pe.Message)
		case pe.Status == http.StatusForbidden:
			act, msg = actStop, fmt.Sprintf("hub refused this station (403): %s", pe.Message)
		case pe.Code == protocol.CodeBuild:
			act, msg, failing = actStop, "hub refuses this station's tote build: "+pe.Message, FailingBuild
		case pe.Code == protocol.CodeQuota:
			msg, failing = "hub refused the push: "+pe.Message, FailingQuota
		case pe.Code == protocol.CodeVersion || pe.Status == http.StatusUpgradeRequired:
			act, msg = actStop, fmt.Sprintf("hub speaks another sync protocol: %s", pe.Message)
		case pe.Code == protocol.CodeSeqConflict:
			act, msg = actStop, "hub holds other events under this station's sequence numbers: "+pe.Message
		case pe.Code == protocol.CodeGap && push && pe.Expected >= 1:
			// The hub holds less than it once acknowledged (restored from a
			// backup): send again from where it stands. Only ever backwards,
			// so this cannot loop.
			msg = fmt.Sprintf("hub expects sequence %d: sending again from there", pe.Expected)
			st, serr := r.j.SyncState(ctx)
			switch {
			case serr != nil:
				msg += ": " + serr.Error()
			case pe.Expected-1 >= st.Pushed:
				msg = fmt.Sprintf("hub expects sequence %d, but this station has sent only up to %d: %s", pe.Expected, st.Pushed, pe.Message)
			default:
				if rerr := r.j.RewindPush(ctx, pe.Expected-1); rerr != nil {
					msg = "rewinding after the hub's gap answer: " + rerr.Error()
				} else {
					r.log.Warn("hub lost events: sending them again", "from", pe.Expected, "acknowledged_before", st.Pushed)
					act = actAgain
				}
			}
		case pe.Status == http.StatusRequestEntityTooLarge && push:
			r.mu.Lock()
			if r.batch > 1 {
				r.batch = max(1, r.batch/2)
				r.batchCap = r.batch
				act = actAgain
			}
			msg = fmt.Sprintf("hub refused a push as too large: batches are now %d events", r.batch)
			r.mu.Unlock()
		case pe.Status >= 500 || pe.Status == http.StatusTooManyRequests:
			msg = fmt.Sprintf("hub error (%d): %s", pe.Status, pe.Message)
			if pe.Status >= 500 && pe.Status != http.StatusServiceUnavailable {
				failing = FailingHub
			}
		default:
			// A request the hub finds wrong is a bug: say it loudly, retry slowly.
			msg = fmt.Sprintf("hub refused the request (%d %s): %s", pe.Status, pe.Code, pe.Message)
		}
	case errors.As(err, &te):
		msg = "hub unreachable: " + te.Error()
		if push && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			// The push ran out of time: the hub rolls the whole batch back,
			// so the same batch would time out again forever on a slow or
			// busy hub. Send smaller batches; they grow back on success.
			r.mu.Lock()
			if r.batch > 1 {
				r.batch = max(1, r.batch/2)
				msg += fmt.Sprintf(" (the push timed out: batches are now %d events)", r.batch)
			}
			r.mu.Unlock()
		}
	default:
		online = true // the hub was not the problem
		msg = "station store: " + err.Error()
		failing = FailingStore
	}
	r.mu.Lock()
	if push {
		r.pushErr = msg
	} else {
		r.pullErr = msg
	}
	if act == actStop {
		r.status.Stopped = msg
	}
	r.status.Online = online
	r.status.Failing = failing
	r.setErrorLocked()
	r.emitLocked()
	r.mu.Unlock()
	if act == actStop {
		r.log.Error("sync stopped", "reason", msg)
	} else {
		r.log.Warn("sync failed", "push", push, "err", msg)
	}
	r.refresh(ctx)
	return act
}

func (r *Replicator) succeeded(push bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if push {
		r.pushErr = ""
	} else {
		r.pullErr = ""
	}
	r.status.Online = true
	r.status.Failing = ""
	r.setErrorLocked()
	r.emitLocked()
}

func (r *Replicator) setErrorLocked() {
	r.status.LastError = r.pushErr
	if r.status.LastError == "" {
		r.status.LastError = r.pullErr
	}
}

func (r *Replicator) pulled(ctx context.Context, sum store.PullSummary) {
	r.mu.Lock()
	if news := sum.News(); news != "" {
		r.status.News, r.status.NewsAt, r.status.Told = news, r.opts.Now(), strings.Join(sum.Resolved, "; ")
	}
	r.pullErr = ""
	if len(sum.Skipped) > 0 {
		r.pullErr = fmt.Sprintf("%d pulled changes could not apply, e.g. %s", len(sum.Skipped), sum.Skipped[0])
	}
	r.status.Online = true
	r.status.Failing = ""
	if len(sum.Skipped) > 0 {
		r.status.Failing = FailingStore // it cannot apply what it pulls
	}
	r.setErrorLocked()
	r.mu.Unlock()
	if _, err := r.refresh(ctx); err != nil {
		r.mu.Lock()
		r.emitLocked() // the news and the error still reach the screen
		r.mu.Unlock()
	}
}

// refresh reads the store's sync state into the status and publishes it.
func (r *Replicator) refresh(ctx context.Context) (store.SyncState, error) {
	r.stateMu.Lock()
	defer r.stateMu.Unlock()
	st, err := r.j.SyncState(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("reading the sync state", "err", err)
		}
		return st, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.applyStateLocked(st)
	r.emitLocked()
	return st, nil
}

func (r *Replicator) applyStateLocked(st store.SyncState) {
	r.status.Waiting, r.status.OldestWaiting = st.Waiting, st.OldestWaiting
	r.status.OldestAge = 0
	if !st.OldestWaiting.IsZero() {
		r.status.OldestAge = max(r.opts.Now().Sub(st.OldestWaiting), 0)
	}
	r.status.LastPush, r.status.LastPull, r.status.Rejected = st.LastPush, st.LastPull, st.Rejected
	r.status.Operator = st.Operator
}

func (r *Replicator) emitLocked() {
	if r.opts.OnStatus != nil {
		r.opts.OnStatus(r.status)
	}
}

// backoff is exponential with jitter: the n-th wait is drawn from
// [d/2, d] where d = min·2ⁿ capped at max, so stations that lost the hub
// together do not all come back in the same instant.
type backoff struct {
	min, max time.Duration
	n        int
}

func (b *backoff) next() time.Duration {
	d := b.min
	for i := 0; i < b.n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	if b.n < 62 {
		b.n++
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

func (b *backoff) reset() { b.n = 0 }

// hubTote converts a tote record.
func hubTote(t *protocol.Tote) *store.HubTote {
	out := &store.HubTote{Code: t.Code, Order: t.Order, Fill: t.Fill, Freed: t.Freed, FreedBy: t.FreedBy, Hold: t.Hold, FilledBy: t.FilledBy}
	for _, u := range t.Units {
		out.Units = append(out.Units, store.HubToteUnit{Station: u.Station, Seq: u.Seq, Task: u.Task, Line: u.Line, SKU: u.SKU, Qty: u.Qty,
			Lot: u.Lot, Serial: u.Serial, Expiry: u.Expiry, Location: u.Location, Operator: u.Operator})
	}
	for _, sh := range t.Shorts {
		out.Shorts = append(out.Shorts, store.HubShort(sh))
	}
	for _, p := range t.Packed {
		out.Packed = append(out.Packed, store.HubPacked(p))
	}
	return out
}

// hubParcel converts a parcel record.
// returnable is a shipped order as a returns bench's store keeps it.
func returnable(r *protocol.Returnable) *store.Returnable {
	out := &store.Returnable{Order: r.Order, SSCCs: r.SSCCs, Counted: r.Counted, Cancelled: r.Cancelled}
	for _, l := range r.Lines {
		out.Lines = append(out.Lines, store.ReturnableLine{Line: l.Line, SKU: l.SKU, Shipped: l.Shipped, Returned: l.Returned})
	}
	return out
}

func hubParcel(p *protocol.DockParcel) *store.HubParcel {
	out := &store.HubParcel{SSCC: p.SSCC, Order: p.Order, Shipment: p.Shipment, Carrier: p.Carrier, Service: p.Service,
		Tracking: p.Tracking, Status: p.Status, Pickup: p.Pickup, Cancelled: p.Cancelled}
	for _, h := range p.Holds {
		out.Holds = append(out.Holds, floor.Hold(h))
	}
	return out
}
