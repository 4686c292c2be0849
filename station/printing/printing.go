// Package printing is the station's spooler: it sends the labels of the
// durable print queue (station/store) to the printers (devices/printer),
// oldest first, one at a time per printer, and tells the operator in plain
// words why a label has not printed and what to do about it.
//
// Its promise: a label is never printed twice unless an operator asks for a
// reprint. Before a byte goes out the job is marked sending in a committed
// transaction; afterwards it is marked sent, failed (nothing left the
// station: tried again after a pause) or needs-operator (some bytes went
// out: it may be half printed). A job found in sending when the spooler
// starts may or may not have printed, so it waits for the operator too.
// The spooler is driven by what the store holds and by timers, so a restart,
// a printer coming back or a label queued by another process all get
// noticed without anyone calling Kick.
//
// It must never resend a job whose outcome is unknown, never decide what a
// label says, and never open, configure or close the printers: the caller
// owns them.
package printing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/serialport"
	"github.com/totewms/tote/station/store"
)

// Defaults for Options left zero.
const (
	DefaultPollEvery   = 2 * time.Second
	DefaultRetryMin    = time.Second
	DefaultRetryMax    = time.Minute
	DefaultSendTimeout = 30 * time.Second
)

// recordTimeout bounds the write that records a send's outcome after the
// spooler was told to stop: the outcome must be saved if at all possible.
const recordTimeout = 10 * time.Second

// ErrAlreadyRunning is returned by a second concurrent Run.
var ErrAlreadyRunning = errors.New("print spooler is already running")

// Options tune a Spooler. Zero values take the defaults.
type Options struct {
	Log *slog.Logger     // default: nothing logged
	Now func() time.Time // clock for the store's timestamps; default time.Now

	// PollEvery is how often a printer holding jobs is asked again, and how
	// often the queue is looked at when nothing happens. Default 2s.
	PollEvery time.Duration
	// RetryMin and RetryMax bound the pause after a send in which nothing
	// left the station: RetryMin, doubling with each attempt, at most
	// RetryMax. Defaults 1s and 1m.
	RetryMin, RetryMax time.Duration
	// SendTimeout bounds one Send. Default 30s.
	SendTimeout time.Duration

	// OnReport hears every change of a printer's report. It runs on the
	// spooler's goroutines, one call at a time, and may call the spooler
	// (Reports, Kick); hand the report on (e.g. program.Send) and return.
	OnReport func(Report)
}

// Spooler sends queued labels to printers.
type Spooler struct {
	st       *store.Store
	printers map[string]printer.Printer
	names    []string
	opts     Options
	log      *slog.Logger

	running atomic.Bool
	kicks   []chan struct{} // one per printer worker, then the stray-job check

	mu      sync.Mutex // guards reports
	reports map[string]Report
	tell    sync.Mutex // one OnReport call at a time
}

// New makes a spooler for the store's queue and the station's printers, by
// their config names. The printers stay the caller's to close.
func New(st *store.Store, printers map[string]printer.Printer, opts Options) (*Spooler, error) {
	if st == nil {
		return nil, errors.New("print spooler without a store")
	}
	names := make([]string, 0, len(printers))
	for name, p := range printers {
		if strings.TrimSpace(name) == "" {
			return nil, errors.New("print spooler: a printer without a name")
		}
		if p == nil {
			return nil, fmt.Errorf("print spooler: printer %s is nil", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PollEvery <= 0 {
		opts.PollEvery = DefaultPollEvery
	}
	if opts.RetryMin <= 0 {
		opts.RetryMin = DefaultRetryMin
	}
	if opts.RetryMax < opts.RetryMin {
		opts.RetryMax = max(DefaultRetryMax, opts.RetryMin)
	}
	if opts.SendTimeout <= 0 {
		opts.SendTimeout = DefaultSendTimeout
	}
	s := &Spooler{st: st, printers: printers, names: names, opts: opts,
		log: opts.Log.With("part", "print spooler"), reports: map[string]Report{}}
	for range len(names) + 1 {
		s.kicks = append(s.kicks, make(chan struct{}, 1))
	}
	return s, nil
}

// Kick wakes the spooler at once, after a label was queued, reprinted or
// confirmed. Without it the change is still noticed within PollEvery.
func (s *Spooler) Kick() {
	for _, k := range s.kicks {
		select {
		case k <- struct{}{}:
		default:
		}
	}
}

// Enqueue queues a label (journaled as label.queued) and wakes the spooler.
func (s *Spooler) Enqueue(ctx context.Context, operator string, j store.NewPrintJob) (int64, error) {
	id, err := s.st.Enqueue(ctx, s.opts.Now(), operator, j)
	if err == nil {
		s.Kick()
	}
	return id, err
}

// Reprint queues a copy of a label for an operator (journaled with the
// reason as label.reprinted) and wakes the spooler.
func (s *Spooler) Reprint(ctx context.Context, r store.ReprintRequest) (store.PrintJob, error) {
	j, err := s.st.Reprint(ctx, s.opts.Now(), r)
	if err == nil {
		s.Kick()
	}
	return j, err
}

// ConfirmPrinted records that a label in doubt did print, and refreshes
// the reports.
func (s *Spooler) ConfirmPrinted(ctx context.Context, id int64, operator, note string) error {
	err := s.st.ConfirmPrinted(ctx, s.opts.Now(), id, operator, note)
	if err == nil {
		s.Kick()
	}
	return err
}

// Reports returns the latest report of every printer that has one, by name.
func (s *Spooler) Reports() []Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Report, 0, len(s.reports))
	for _, r := range s.reports {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Report) int { return strings.Compare(a.Printer, b.Printer) })
	return out
}

// Run sends labels until ctx is done, then returns nil once every send
// under way has been recorded. Jobs left in sending by an earlier run become
// needs-operator first: they may have printed, so they are never resent by
// themselves.
func (s *Spooler) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer s.running.Store(false)
	if !s.recover(ctx) {
		return nil
	}
	var wg sync.WaitGroup
	for i, name := range s.names {
		w := &worker{s: s, name: name, p: s.printers[name], kick: s.kicks[i]}
		wg.Go(func() { w.run(ctx) })
	}
	s.watchStrays(ctx, s.kicks[len(s.names)])
	wg.Wait()
	return nil
}

// recover turns jobs interrupted while sending into needs-operator, trying
// until it works or ctx ends: nothing may be sent before it has.
func (s *Spooler) recover(ctx context.Context) bool {
	for attempt := 1; ; attempt++ {
		jobs, err := s.st.RecoverInterrupted(ctx, s.opts.Now())
		if err == nil {
			for _, j := range jobs {
				s.log.Warn("label was being sent when tote stopped: it may or may not have printed; it waits for the operator",
					"job", j.ID, "printer", j.Printer, "kind", j.Kind, "ref", j.Ref)
			}
			return true
		}
		s.log.Error("cannot check the print queue for labels in doubt; nothing prints until it can", "err", err, "attempt", attempt)
		if !sleep(ctx, nil, s.backoff(attempt)) {
			return false
		}
	}
}

// notConfigured is the reason given to jobs for a printer this station
// does not have.
func notConfigured(name string) (problem, instruction string) {
	return "not configured on this station",
		fmt.Sprintf("add a [[printers]] entry named %q to the station's configuration", name)
}

// watchStrays holds jobs queued for printers this spooler does not have,
// so the operator sees them and why, until ctx ends.
func (s *Spooler) watchStrays(ctx context.Context, kick <-chan struct{}) {
	for {
		qs, err := s.st.PrintQueues(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("cannot read the print queue", "err", err)
		}
		for _, q := range qs {
			if _, ok := s.printers[q.Printer]; ok || (q.Waiting == 0 && q.Sending == 0 && len(q.InDoubt) == 0) {
				continue
			}
			problem, instruction := notConfigured(q.Printer)
			if q.Waiting > 0 {
				if n, err := s.st.HoldPrintJobs(ctx, s.opts.Now(), q.Printer, problem+" — "+instruction); err != nil {
					s.log.Error("cannot hold labels for an unknown printer", "printer", q.Printer, "err", err)
				} else if n > 0 {
					s.log.Warn("labels queued for a printer this station does not have", "printer", q.Printer, "labels", n)
				}
			}
			s.publish(Report{Printer: q.Printer, State: StateNotConfigured, Problem: problem, Instruction: instruction,
				Waiting: q.Waiting + q.Sending, InDoubt: q.InDoubt})
		}
		if !sleep(ctx, kick, s.opts.PollEvery) {
			return
		}
	}
}

// backoff is the pause before attempt n+1 of something that failed n times.
func (s *Spooler) backoff(n int) time.Duration {
	d := s.opts.RetryMin
	for i := 1; i < n && d < s.opts.RetryMax; i++ {
		d *= 2
	}
	return min(d, s.opts.RetryMax)
}

// publish stores a printer's report and passes it on when it changed.
// Each printer's reports come from one goroutine, so they are heard in the
// order they happened; OnReport may call back into the spooler.
func (s *Spooler) publish(r Report) {
	s.mu.Lock()
	old, ok := s.reports[r.Printer]
	if ok && old.same(r) {
		s.mu.Unlock()
		return
	}
	s.reports[r.Printer] = r
	s.mu.Unlock()
	if s.opts.OnReport != nil {
		s.tell.Lock()
		defer s.tell.Unlock()
		s.opts.OnReport(r)
	}
}

// sleep waits for d, a kick or the end of ctx; false when ctx ended.
// d < 0 waits without a timer.
func sleep(ctx context.Context, kick <-chan struct{}, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-kick:
	case <-timer:
	}
	return ctx.Err() == nil
}

// worker sends one printer's jobs.
type worker struct {
	s    *Spooler
	name string
	p    printer.Printer
	kick chan struct{}

	// pending is a send whose outcome is not recorded yet: nothing else is
	// sent to this printer until it is.
	pending *outcome
}

// outcome is what became of one send.
type outcome struct {
	job    store.PrintJob
	status store.PrintStatus // sent, failed or needs_operator
	reason string
	retry  time.Time
}

func (w *worker) run(ctx context.Context) {
	for {
		wait := w.step(ctx)
		if ctx.Err() != nil {
			break
		}
		if wait > 0 && !sleep(ctx, w.kick, wait) {
			break
		}
	}
	if w.pending != nil {
		// One last try with a context of its own: the label went (or may
		// have gone) out, and that must not be forgotten.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		defer cancel()
		if err := w.record(rctx); err != nil {
			w.s.log.Error("stopping without recording a label's outcome: it stays in sending and will wait for the operator at the next start",
				"job", w.pending.job.ID, "printer", w.name, "outcome", w.pending.status, "err", err)
		}
	}
}

// step does the next thing for the printer and says how long to wait
// before the following one (0: at once).
func (w *worker) step(ctx context.Context) time.Duration {
	s := w.s
	if w.pending != nil {
		if err := w.record(ctx); err != nil {
			if ctx.Err() == nil {
				s.log.Error("cannot record a label's outcome; trying again, nothing else is sent to this printer until then",
					"job", w.pending.job.ID, "printer", w.name, "outcome", w.pending.status, "err", err)
			}
			return s.opts.RetryMin
		}
	}
	job, err := s.st.NextPrintJob(ctx, w.name)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("cannot read the print queue", "printer", w.name, "err", err)
		}
		return s.opts.PollEvery
	}
	if job == nil {
		w.report(ctx, Report{State: StateIdle})
		return s.opts.PollEvery
	}
	now := s.opts.Now()
	if job.Status == store.PrintFailed && now.Before(job.RetryAt) {
		problem, instruction, _ := strings.Cut(job.Reason, " — ")
		w.report(ctx, Report{State: StateRetrying, Problem: problem, Instruction: instruction, RetryAt: job.RetryAt})
		return min(job.RetryAt.Sub(now), s.opts.PollEvery)
	}

	st, serr := w.p.Status(ctx)
	if ctx.Err() != nil {
		return 0
	}
	// A spool has no status channel: its labels go out unchecked.
	if (serr != nil && !errors.Is(serr, printer.ErrNoStatus)) || (serr == nil && !st.Ready()) {
		problem, instruction := notReady(st, serr)
		reason := problem + " — " + instruction
		n, err := s.st.HoldPrintJobs(ctx, s.opts.Now(), w.name, reason)
		switch {
		case err != nil:
			s.log.Error("cannot mark labels held", "printer", w.name, "reason", reason, "err", err)
		case n > 0:
			s.log.Warn("printer not ready: labels held", "printer", w.name, "reason", reason, "detail", errText(serr), "labels", n)
		}
		w.report(ctx, Report{State: StateHeld, Problem: problem, Instruction: instruction, Detail: errText(serr)})
		return s.opts.PollEvery
	}

	// The job is sending, durably, before any byte of it goes out.
	ok, err := s.st.StartSending(ctx, s.opts.Now(), job.ID)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("cannot mark a label as sending; not sending it", "job", job.ID, "printer", w.name, "err", err)
		}
		return s.opts.RetryMin
	}
	if !ok {
		return 0 // it stopped waiting meanwhile; look again
	}
	job.Attempts++
	w.report(ctx, Report{State: StatePrinting})
	s.log.Debug("sending label", "job", job.ID, "printer", w.name, "kind", job.Kind, "ref", job.Ref,
		"attempt", job.Attempts, "bytes", len(job.ZPL), "digest", store.LabelDigest(job.ZPL))

	// Once marked, the send runs to its end even if the spooler is told to
	// stop: its outcome is then known and recorded.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.SendTimeout)
	err = w.p.Send(sctx, job.ZPL)
	cancel()
	w.pending = w.judge(*job, err)
	if err := w.record(context.WithoutCancel(ctx)); err != nil {
		s.log.Error("cannot record a label's outcome; trying again, nothing else is sent to this printer until then",
			"job", job.ID, "printer", w.name, "outcome", w.pending.status, "err", err)
		return s.opts.RetryMin
	}
	return 0
}

// judge turns a Send's result into the job's next status.
func (w *worker) judge(job store.PrintJob, err error) *outcome {
	s := w.s
	o := &outcome{job: job}
	switch {
	case err == nil:
		o.status = store.PrintSent
		s.log.Info("label sent", "job", job.ID, "printer", w.name, "kind", job.Kind, "ref", job.Ref, "attempt", job.Attempts)
	case errors.Is(err, printer.ErrNotSent) && !errors.Is(err, printer.ErrPartlySent):
		problem, instruction := unreachable(err)
		o.status, o.reason = store.PrintFailed, "could not send the label: "+problem+" — "+instruction
		o.retry = s.opts.Now().Add(s.backoff(job.Attempts))
		s.log.Warn("label not sent; it is tried again", "job", job.ID, "printer", w.name, "ref", job.Ref,
			"attempt", job.Attempts, "retry_at", o.retry, "err", err)
	default:
		// Partly sent, or an error that does not say: either way the label
		// may be out, so only the operator can say whether to print it again.
		o.status = store.PrintNeedsOperator
		o.reason = "the label may have printed partly or not at all (" + err.Error() + ") — check the printer, then reprint it or confirm it printed"
		s.log.Error("label may have printed partly: it waits for the operator", "job", job.ID, "printer", w.name,
			"ref", job.Ref, "err", err)
	}
	return o
}

// record saves the pending outcome.
func (w *worker) record(ctx context.Context) error {
	o, st, now := w.pending, w.s.st, w.s.opts.Now()
	var err error
	switch o.status {
	case store.PrintSent:
		err = st.MarkSent(ctx, now, o.job.ID)
	case store.PrintFailed:
		err = st.MarkFailed(ctx, now, o.job.ID, o.reason, o.retry)
	default:
		err = st.MarkNeedsOperator(ctx, now, o.job.ID, o.reason)
	}
	if err == nil {
		w.pending = nil
	}
	return err
}

// report fills in the printer's queue and publishes the report.
func (w *worker) report(ctx context.Context, r Report) {
	r.Printer = w.name
	q, err := w.s.st.PrintQueue(ctx, w.name)
	if err != nil {
		if ctx.Err() == nil {
			w.s.log.Error("cannot read the print queue", "printer", w.name, "err", err)
		}
		return
	}
	r.Waiting, r.InDoubt = q.Waiting+q.Sending, q.InDoubt
	w.s.publish(r)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// notReady says what stops a printer and what to do, from its status or
// the error asking for it.
func notReady(st printer.Status, err error) (problem, instruction string) {
	switch {
	case err == nil && st.Known:
		return strings.Join(st.Problems(), ", "), lowerFirst(st.Instruction())
	case errors.Is(err, printer.ErrNoReply), err == nil:
		return "not answering", lowerFirst(printer.Status{}.Instruction())
	case errors.Is(err, printer.ErrBadReply):
		return "answers in a way tote cannot read", "check that the printer speaks ZPL and that the baud rate and parity match its settings"
	}
	return unreachable(err)
}

// unreachable says why a printer cannot be reached and what to do.
func unreachable(err error) (problem, instruction string) {
	problem = strings.TrimPrefix(err.Error(), printer.ErrNotSent.Error()+": ")
	switch {
	case errors.Is(err, serialport.ErrBusy):
		return problem, "close the other program that has the port open"
	case errors.Is(err, serialport.ErrPermission):
		return problem, "add the station's user to the dialout group"
	case errors.Is(err, serialport.ErrNotSerial):
		return problem, "check the printer's port in the configuration"
	}
	return problem, lowerFirst(printer.Status{}.Instruction())
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
