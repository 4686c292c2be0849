package store_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
)

var (
	longAgo = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	today   = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	month   = 720 * time.Hour
)

func pruneOpts(mode string) store.PruneOptions {
	return store.PruneOptions{Mode: mode, KeepPushed: month, Batch: 7, Now: func() time.Time { return today }}
}

// commitN commits n sign-in events dated at, the last one with a session
// when sess is set (its through_seq becomes the last sequence); it
// returns the committed events' ids by sequence.
func commitN(t *testing.T, s *store.Store, n int, at time.Time, sess *store.Session, ids map[int64]string) {
	t.Helper()
	for i := range n {
		var ss *store.Session
		if i == n-1 {
			ss = sess
		}
		out, err := s.Commit(ctx, at.Add(time.Duration(i)*time.Second), []floor.Event{ev(floor.EvLoggedIn, map[string]string{"badge": "B1001"})}, ss)
		if err != nil {
			t.Fatal(err)
		}
		ids[out[0].Seq] = out[0].ID
	}
}

func journalSeqs(t *testing.T, s *store.Store) []int64 {
	t.Helper()
	evs, err := s.Journal(ctx, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []int64
	for _, e := range evs {
		seqs = append(seqs, e.Seq)
	}
	return seqs
}

func span(lo, hi int64) []int64 {
	var out []int64
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

func sameSeqs(t *testing.T, what string, got, want []int64) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
}

// archived checks the archive holds exactly want, each with the id it
// was committed with.
func archived(t *testing.T, path string, want []int64, ids map[int64]string) {
	t.Helper()
	evs, err := store.ArchivedJournal(ctx, path, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, e := range evs {
		got = append(got, e.Seq)
		if ids[e.Seq] != e.ID {
			t.Fatalf("archived event %d has id %s, committed as %s", e.Seq, e.ID, ids[e.Seq])
		}
	}
	sameSeqs(t, "archive", got, want)
}

// TestPruneKeepsWhatSyncAndResumeNeed: only events the hub acknowledged,
// that the session's resume does not replay, older than keep_pushed, and
// not refused, leave the journal; the newest event always stays, so the
// sequence carries on gapless after a restart.
func TestPruneKeepsWhatSyncAndResumeNeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	ids := map[int64]string{}
	commitN(t, s, 60, longAgo, &store.Session{Bench: "pack", Operator: "B1001", Step: "carton"}, ids) // through_seq 60
	commitN(t, s, 40, longAgo.Add(time.Hour), nil, ids)                                               // 61..100, old
	if err := s.RecordPush(ctx, store.PushAck{Mark: 80, At: today, Rejections: []store.Rejection{{Seq: 5, Reason: "unknown badge"}}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(ctx, pruneOpts(store.PushedArchive))
	if err != nil || n != 59 {
		t.Fatalf("pruned %d, %v; want 59 (1..60 but the refused 5: the session replays after 60)", n, err)
	}
	sameSeqs(t, "journal", journalSeqs(t, s), append([]int64{5}, span(61, 100)...))
	archived(t, path, append(span(1, 4), span(6, 60)...), ids)

	// The session moves on, the hub acknowledges all; the newest stays.
	commitN(t, s, 10, today.Add(-2*time.Hour), &store.Session{Bench: "pack", Operator: "B1001", Step: "weigh"}, ids) // 101..110
	if err := s.RecordPush(ctx, store.PushAck{Mark: 110, At: today}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx, store.PruneOptions{Mode: store.PushedArchive, Now: func() time.Time { return today }}); err != nil || n != 109-59-1 {
		t.Fatalf("keep_pushed 0: pruned %d, %v; want %d (up to 109, the newest stays)", n, err, 109-59-1)
	}
	sameSeqs(t, "journal", journalSeqs(t, s), []int64{5, 110})
	s.Close()

	s = open(t, path)
	commitN(t, s, 1, today, nil, ids)
	if seqs := journalSeqs(t, s); seqs[len(seqs)-1] != 111 {
		t.Fatalf("after prune and restart the next sequence is %d, want 111", seqs[len(seqs)-1])
	}
	st, err := s.SyncState(ctx)
	if err != nil || st.Waiting != 1 {
		t.Fatalf("waiting to push %+v, %v; want 1", st, err)
	}
	// Every event ever committed is in the journal or the archive.
	archived(t, path, append(span(1, 4), span(6, 109)...), ids)

	// A hub restored from an old backup asks for pruned events again:
	// refused in plain words, never sent with a gap.
	if _, err := s.Outbox(ctx, 110, 100, 1<<20); err != nil {
		t.Fatalf("outbox after the pushed mark: %v", err)
	}
	if err := s.RewindPush(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Outbox(ctx, 3, 100, 1<<20); !errors.Is(err, store.ErrPruned) || !strings.Contains(err.Error(), "sequence 4 left this station's journal") {
		t.Fatalf("outbox over pruned events: %v", err)
	}
}

// TestPruneYoungEventsAndKeepMode: events younger than keep_pushed stay,
// and "keep" prunes nothing.
func TestPruneYoungEventsAndKeepMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	ids := map[int64]string{}
	commitN(t, s, 10, longAgo, nil, ids)
	commitN(t, s, 10, today.Add(-time.Hour), &store.Session{Operator: "B1001"}, ids)
	if err := s.RecordPush(ctx, store.PushAck{Mark: 20, At: today}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx, pruneOpts(store.PushedKeep)); err != nil || n != 0 {
		t.Fatalf("keep: %d, %v", n, err)
	}
	if n, err := s.Prune(ctx, pruneOpts(store.PushedDelete)); err != nil || n != 10 {
		t.Fatalf("delete: %d, %v", n, err)
	}
	sameSeqs(t, "journal", journalSeqs(t, s), span(11, 20))
	if _, err := os.Stat(store.ArchivePath(path)); !os.IsNotExist(err) {
		t.Fatalf("delete mode made an archive: %v", err)
	}
	if _, err := s.Prune(ctx, store.PruneOptions{Mode: "shred"}); err == nil {
		t.Fatal("an unknown mode pruned")
	}
}

const pruneChildEnv = "TOTE_PRUNE_CHILD_DB"

// pruneChild prunes the store at p and is killed between the archive's
// commit and the journal's delete.
func pruneChild(p string) {
	s, err := store.Open(ctx, p, "ST-01")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	store.SetAfterCopy(func() {
		fmt.Println("copied")
		select {}
	})
	_, err = s.Prune(ctx, pruneOpts(store.PushedArchive))
	fmt.Println("prune returned", err)
	os.Exit(1)
}

// TestPruneKilledBetweenCopyAndDelete: a station killed with SIGKILL after
// the archive committed a batch and before the journal lost it loses
// nothing and doubles nothing: the next run finishes the move.
func TestPruneKilledBetweenCopyAndDelete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	ids := map[int64]string{}
	commitN(t, s, 30, longAgo, &store.Session{Operator: "B1001"}, ids)
	if err := s.RecordPush(ctx, store.PushAck{Mark: 30, At: today}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), pruneChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	cmd.Process.Kill()
	cmd.Wait()
	if strings.TrimSpace(line) != "copied" {
		t.Fatalf("child said %q", line)
	}

	s, err = store.OpenWith(ctx, path, "ST-01", sqlitedb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.DB().FullCheck != "unclean shutdown" {
		t.Fatalf("open after the kill: FullCheck = %q", s.DB().FullCheck)
	}
	sameSeqs(t, "journal after the kill", journalSeqs(t, s), span(1, 30))
	archived(t, path, span(1, 7), ids) // the first batch, in both
	n, err := s.Prune(ctx, pruneOpts(store.PushedArchive))
	if err != nil || n != 29 {
		t.Fatalf("retry pruned %d, %v; want 29", n, err)
	}
	sameSeqs(t, "journal", journalSeqs(t, s), []int64{30})
	archived(t, path, span(1, 29), ids)
}

func TestMain(m *testing.M) {
	if p := os.Getenv(pruneChildEnv); p != "" {
		pruneChild(p)
	}
	os.Exit(m.Run())
}

// TestKeepPruningRunsAtStartAndStops: the station's background pruning
// prunes at once, then waits for the next round, and returns when told.
func TestKeepPruningRunsAtStartAndStops(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	ids := map[int64]string{}
	commitN(t, s, 20, longAgo, &store.Session{Operator: "B1001"}, ids)
	if err := s.RecordPush(ctx, store.PushAck{Mark: 20, At: today}); err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	reports := make(chan int, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.KeepPruning(runCtx, pruneOpts(store.PushedDelete), time.Hour, func(n int, err error) {
			if err != nil {
				t.Error(err)
			}
			reports <- n
		})
	}()
	if n := <-reports; n != 19 {
		t.Fatalf("first round pruned %d, want 19", n)
	}
	stop()
	<-done
	sameSeqs(t, "journal", journalSeqs(t, s), []int64{20})
}
