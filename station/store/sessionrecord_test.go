package store_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// sessionRow is the session row as stored, apart from the journal.
func sessionRow(t *testing.T, s *store.Store) (operator, step string, through int64) {
	t.Helper()
	if err := s.DB().R.QueryRow(`SELECT operator, step, through_seq FROM session WHERE id=1`).Scan(&operator, &step, &through); err != nil {
		t.Fatal(err)
	}
	return operator, step, through
}

// keptIn lists the journal rows that keep a session.
func keptIn(t *testing.T, s *store.Store) []int64 {
	t.Helper()
	rows, err := s.DB().R.Query(`SELECT seq FROM journal WHERE session IS NOT NULL ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
	}
	return seqs
}

func wantSession(t *testing.T, s *store.Store, what string, want store.Session) {
	t.Helper()
	got, err := s.LoadSession(ctx)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if got.Bench != want.Bench || got.Operator != want.Operator || got.WaveID != want.WaveID || got.Tote != want.Tote ||
		got.ToteOrder != want.ToteOrder || got.TaskID != want.TaskID || got.Step != want.Step ||
		string(got.Pending) != string(want.Pending) || got.Through != want.Through {
		t.Fatalf("%s: session %+v, want %+v", what, got, want)
	}
	st, err := s.SyncState(ctx)
	if err != nil || st.Operator != want.Operator {
		t.Fatalf("%s: the health's operator %q (%v), want %q", what, st.Operator, err, want.Operator)
	}
}

// TestSessionKeptInTheCommitsLastJournalRow: a commit with events keeps
// the session it leaves in its last journal row and leaves the session
// row alone; a commit without events writes the row, which then wins over
// every older journal row; a restart resumes whichever is newest.
func TestSessionKeptInTheCommitsLastJournalRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	loadWave(t, s)
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	at := &store.Session{Operator: "B1001", WaveID: "W1", Tote: "T00009", ToteOrder: "ORD-1", TaskID: 1, Step: "location"}
	if _, err := s.Commit(ctx, now, []floor.Event{
		ev(floor.EvToteAssigned, floor.TotePayload{Tote: "T00009", Wave: "W1"}),
		ev(floor.EvLoggedIn, map[string]string{"badge": "B1001"}),
	}, at); err != nil {
		t.Fatal(err)
	}
	if op, step, through := sessionRow(t, s); op != "" || step != "" || through != 0 {
		t.Fatalf("the session row was written: %q %q through %d", op, step, through)
	}
	if seqs := keptIn(t, s); len(seqs) != 1 || seqs[0] != 2 {
		t.Fatalf("session kept in journal rows %v, want [2] (the commit's last)", seqs)
	}
	want := store.Session{Bench: "pick", Operator: "B1001", WaveID: "W1", Tote: "T00009", ToteOrder: "ORD-1", TaskID: 1, Step: "location", Pending: []byte("{}"), Through: 2}
	wantSession(t, s, "kept in the journal", want)
	s.Close()
	s = open(t, path)
	wantSession(t, s, "after a restart", want)

	// No events (a step that only asks for more): the row, through the
	// newest sequence, so the journal's older session no longer counts.
	lot := &store.Session{Operator: "B1001", WaveID: "W1", Tote: "T00009", ToteOrder: "ORD-1", TaskID: 1, Step: "lot", Pending: []byte(`{"qty":1}`)}
	if _, err := s.Commit(ctx, now, nil, lot); err != nil {
		t.Fatal(err)
	}
	if op, step, through := sessionRow(t, s); op != "B1001" || step != "lot" || through != 2 {
		t.Fatalf("session row %q %q through %d, want B1001 lot through 2", op, step, through)
	}
	want.Step, want.Pending = "lot", []byte(`{"qty":1}`)
	wantSession(t, s, "the row after a commit without events", want)

	// Signed out with an event: the journal's again, the operator gone
	// from the health too.
	out := &store.Session{Step: "login"}
	if _, err := s.Commit(ctx, now, []floor.Event{ev(floor.EvLoggedOut, map[string]string{"badge": "B1001"})}, out); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "signed out", store.Session{Bench: "pick", Step: "login", Pending: []byte("{}"), Through: 3})

	// A commit that leaves the session as it was keeps none.
	if _, err := s.Commit(ctx, now, []floor.Event{ev(floor.EvLoggedOut, map[string]string{"badge": "B1001"})}, out); err != nil {
		t.Fatal(err)
	}
	if seqs := keptIn(t, s); len(seqs) != 2 || seqs[1] != 3 {
		t.Fatalf("session kept in journal rows %v, want [2 3]", seqs)
	}

	// A large state (a pack bench's) goes to the row, with its events,
	// not into the journal.
	big := &store.Session{Bench: "pack", Operator: "B2001", Step: "verify", Pending: []byte(`{"note":"` + strings.Repeat("x", 600) + `"}`)}
	if _, err := s.Commit(ctx, now, []floor.Event{ev(floor.EvLoggedIn, map[string]string{"badge": "B2001"})}, big); err != nil {
		t.Fatal(err)
	}
	if seqs := keptIn(t, s); len(seqs) != 2 {
		t.Fatalf("a large session was kept in the journal: rows %v", seqs)
	}
	if op, step, through := sessionRow(t, s); op != "B2001" || step != "verify" || through != 5 {
		t.Fatalf("session row %q %q through %d, want B2001 verify through 5", op, step, through)
	}
	wantSession(t, s, "a large session", store.Session{Bench: "pack", Operator: "B2001", Step: "verify", Pending: big.Pending, Through: 5})
}

// TestPruneMovesTheJournalsSessionToTheRow: a session kept only in the
// journal does not stop pruning forever; pruning moves it to the row
// first, and the station resumes exactly it.
func TestPruneMovesTheJournalsSessionToTheRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	ids := map[int64]string{}
	commitN(t, s, 30, longAgo, &store.Session{Bench: "pack", Operator: "B2001", Step: "carton", Pending: []byte(`{"step":"carton"}`)}, ids) // kept in row 30
	commitN(t, s, 10, longAgo.Add(time.Hour), nil, ids)                                                                                     // 31..40
	if err := s.RecordPush(ctx, store.PushAck{Mark: 40, At: today}); err != nil {
		t.Fatal(err)
	}
	if _, _, through := sessionRow(t, s); through != 0 {
		t.Fatalf("the session row was written before pruning: through %d", through)
	}
	n, err := s.Prune(ctx, pruneOpts(store.PushedDelete))
	if err != nil || n != 30 {
		t.Fatalf("pruned %d, %v; want 30 (1..30: the session moved to the row, the events after it stay)", n, err)
	}
	sameSeqs(t, "journal", journalSeqs(t, s), span(31, 40))
	if op, step, through := sessionRow(t, s); op != "B2001" || step != "carton" || through != 30 {
		t.Fatalf("session row %q %q through %d, want B2001 carton through 30", op, step, through)
	}
	s.Close()
	s = open(t, path)
	wantSession(t, s, "after pruning and a restart", store.Session{Bench: "pack", Operator: "B2001", Step: "carton", Pending: []byte(`{"step":"carton"}`), Through: 30})
}

// TestCompletingScanLeavesTheTaskRow: the scan that completes a task
// writes its picks row and the journal, not the task's row; the task reads
// picked all the same (pick_task_progress), its order's line is picked in
// full, and a cancelled order's picked task no longer counts as still in
// the walk. A row an older version marked picked stays picked.
func TestCompletingScanLeavesTheTaskRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	loadWave(t, s)
	sess := &store.Session{Operator: "B1001", WaveID: "W1", Tote: "T00001", ToteOrder: "ORD-0001", TaskID: 1, Step: "item"}
	commit := func(evs ...floor.Event) {
		t.Helper()
		if _, err := s.Commit(ctx, time.Now(), evs, sess); err != nil {
			t.Fatal(err)
		}
	}
	raw := func() (status string) {
		t.Helper()
		if err := s.DB().R.QueryRow(`SELECT status FROM pick_tasks WHERE id=1`).Scan(&status); err != nil {
			t.Fatal(err)
		}
		return status
	}
	task := func() floor.PickTask {
		t.Helper()
		tasks, err := s.WaveTasks(ctx, "W1")
		if err != nil || len(tasks) != 1 {
			t.Fatalf("tasks %+v %v", tasks, err)
		}
		return tasks[0]
	}
	commit(ev(floor.EvLocationOK, task1))
	commit(ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T00001"}))
	if tk := task(); tk.Status != floor.TaskInProgress || tk.QtyPicked != 1 {
		t.Fatalf("one of two picked: %+v", tk)
	}
	sess = &store.Session{Operator: "B1001", WaveID: "W1", Step: "done"}
	commit(ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T00001"}), ev(floor.EvTaskPicked, task1))
	if st := raw(); st != "in_progress" {
		t.Fatalf("the completing scan wrote the task's row: status %q", st)
	}
	if tk := task(); tk.Status != floor.TaskPicked || tk.QtyPicked != 2 {
		t.Fatalf("completed: %+v", tk)
	}
	var picked, short int
	if err := s.DB().R.QueryRow(`SELECT qty_picked, qty_short FROM order_line_progress WHERE order_id='ORD-0001'`).Scan(&picked, &short); err != nil || picked != 2 || short != 0 {
		t.Fatalf("order line picked %d short %d (%v)", picked, short, err)
	}
	// Cancelled once its tote is emptied: nothing of it is left in the walk.
	commit(ev(floor.EvToteReleased, floor.ToteReleasePayload{Tote: "T00001"}))
	if _, err := s.DB().W.Exec(`UPDATE orders SET status='cancelled' WHERE id='ORD-0001'`); err != nil {
		t.Fatal(err)
	}
	if ws, err := s.WaveStanding(ctx, "W1"); err != nil || len(ws.Cancelled) != 0 {
		t.Fatalf("a picked task of an emptied tote counts as still in the walk: %+v %v", ws, err)
	}
	// Marked picked by an older version: still picked.
	if _, err := s.DB().W.Exec(`UPDATE pick_tasks SET status='picked' WHERE id=1`); err != nil {
		t.Fatal(err)
	}
	if tk := task(); tk.Status != floor.TaskPicked {
		t.Fatalf("a row marked picked: %+v", tk)
	}
}
