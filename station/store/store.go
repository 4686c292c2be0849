// Package store is the station's SQLite store: the site data a station works
// from (operators, locations, items, orders, waves, pick tasks), the
// operator's session, and the journal of every event.
//
// Its one promise: Commit appends events to the journal with gapless
// sequence numbers and applies each event's effect to the tables in the same
// transaction, so a fact is recorded exactly when its effect is, and a
// returned Commit is durable (WAL, synchronous=FULL). It never decides what
// an input means; that is the workflows' job.
package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations are the station schema's steps, embedded in the binary.
func Migrations() []sqlitedb.Migration {
	return sqlitedb.MustLoadMigrations(migrationFS, "migrations")
}

// Store is one station's database.
type Store struct {
	db      *sqlitedb.DB
	station string

	// saved is the session as last committed: a commit that leaves it
	// unchanged (most unit scans) does not rewrite it.
	mu    sync.Mutex
	saved *Session

	// news counts the pulls and site loads this process committed: a pick
	// cart re-reads its wave's orders only when it moved (OfficeNews).
	news atomic.Int64

	totes toteMemo

	pinLimit int // [station] pin_max_failures (pinlock.go)
}

// toteMemo remembers which order the totes this store filled hold, as
// committed, so a unit into a tote already holding its order needs no read
// (this store is the only writer of totes). learnt is this transaction's,
// kept only once it commits; a transaction that empties any tote forgets
// them all.
type toteMemo struct {
	mu     sync.Mutex
	known  map[string]string
	learnt map[string]string
	wipe   bool
}

func (m *toteMemo) holds(tote, order string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return !m.wipe && m.known[tote] == order && order != ""
}

func (m *toteMemo) learn(tote, order string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.learnt == nil {
		m.learnt = map[string]string{}
	}
	m.learnt[tote] = order
}

func (m *toteMemo) emptied() {
	m.mu.Lock()
	m.wipe = true
	m.mu.Unlock()
}

// forget drops what the memo knows, after another writer (a pull) freed
// totes.
func (m *toteMemo) forget() {
	m.mu.Lock()
	m.known = nil
	m.mu.Unlock()
}

// begin and end bracket a transaction; end says whether it committed.
func (m *toteMemo) begin() {
	m.mu.Lock()
	m.learnt, m.wipe = nil, false
	m.mu.Unlock()
}

func (m *toteMemo) end(committed bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.wipe:
		m.known = nil
	case committed && len(m.learnt) > 0:
		if m.known == nil {
			m.known = map[string]string{}
		}
		for t, o := range m.learnt {
			m.known[t] = o
		}
	}
	m.learnt, m.wipe = nil, false
}

// OfficeNews moves after every pull or site load this store committed, so
// a pick cart can tell without a query that orders may have changed.
func (s *Store) OfficeNews() int64 { return s.news.Load() }

// ErrOtherStation means the file belongs to another station id.
var ErrOtherStation = errors.New("database belongs to another station")

// Open opens or creates the store for station at path. The full integrity
// check runs only after an unclean shutdown (sqlitedb.Open); OpenWith sets
// its schedule.
func Open(ctx context.Context, path, station string) (*Store, error) {
	return OpenWith(ctx, path, station, sqlitedb.Options{})
}

// OpenWith is Open with the full check's schedule.
func OpenWith(ctx context.Context, path, station string, o sqlitedb.Options) (*Store, error) {
	db, err := sqlitedb.OpenWith(ctx, path, Migrations(), o)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, station: station}
	if err := db.Prepare(ctx, true, commitStatements...); err != nil {
		db.Close()
		if sqlitedb.IsCorrupt(err) {
			return nil, sqlitedb.Corrupt(path, err)
		}
		return nil, err
	}
	var owner string
	err = db.W.QueryRowContext(ctx, `SELECT value FROM station_meta WHERE key='station'`).Scan(&owner)
	switch {
	case sqlitedb.IsCorrupt(err):
		// Found without the full check (the last shutdown was clean): a
		// damaged page is still refused, nothing written.
		err = sqlitedb.Corrupt(path, err)
	case errors.Is(err, sql.ErrNoRows):
		err = db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO station_meta(key, value) VALUES ('station', ?)`, station)
			return err
		})
	case err == nil && owner != station:
		err = &sqlitedb.OpenError{Path: path, Err: fmt.Errorf("%w %q, not %q", ErrOtherStation, owner, station),
			Hint: "set data_dir to this station's own folder; the file has not been changed"}
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB gives tests and tools the underlying database.
func (s *Store) DB() *sqlitedb.DB { return s.db }

// Station is the station id the store belongs to.
func (s *Store) Station() string { return s.station }

// Session is the operator's place in a workflow.
type Session struct {
	// Bench is the workflow the step and pending data belong to: "pick"
	// (also when empty) or "pack".
	Bench    string
	Operator string
	WaveID   string
	Tote     string
	TaskID   int64
	Step     string
	Pending  json.RawMessage
	// ToteOrder is the order the tote was taken for (pick carts).
	ToteOrder string
	// Through is the newest journal sequence the saved session includes:
	// the commit that wrote it set it. Read by LoadSession; a commit sets
	// it itself.
	Through int64
	// Journaled, in a commit, says the commit's events alone record how
	// the session changed (a pack bench's verified unit, see
	// pack.Journaled): the row is not rewritten, and a restart replays
	// the events journaled after Through over it (JournalAfter).
	Journaled bool
}

// The statements a commit runs, prepared once when the store opens.
const (
	// qAppend appends one event at the next sequence number. seq is the
	// rowid, left for SQLite to give: a new rowid is one more than the
	// largest in the table, 1 in an empty one
	// (https://www.sqlite.org/autoinc.html), which is MAX(seq)+1, the
	// gapless next number, without a subquery that reads the journal
	// (the insert finds the last row anyway). LastInsertId returns it.
	// ?7 is the session the commit leaves, on its last event only, else
	// NULL (see journalSession).
	qAppend = `INSERT INTO journal(event_id, station, operator, device_time, type, payload, session)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`
	// qAppendAtStanding is qAppend for a commit's first event when the
	// commit checks the standing version (CommitAtStanding): it appends
	// only while the version is still ?8, so no row means it moved. The
	// check and the append are one statement. The SELECT reads
	// standing_version alone: one that read the journal it inserts into
	// would make SQLite stage the row in a temporary table first. OR FAIL
	// is ABORT for the one row it inserts, but lets SQLite skip the
	// statement journal (a copy of the page the row goes into) that an
	// INSERT … SELECT under ABORT keeps to undo rows before a failing one.
	qAppendAtStanding = `INSERT OR FAIL INTO journal(event_id, station, operator, device_time, type, payload, session)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 FROM standing_version WHERE id=1 AND v=?8`
	qSession = `UPDATE session SET bench=?, operator=?, wave_id=?, tote=?, tote_order=?, task_id=?, step=?, pending=?,
			through_seq=(SELECT COALESCE(MAX(seq), 0) FROM journal) WHERE id=1`
	qWaveStatus = `UPDATE waves SET status=? WHERE id=?`
	qToteUse    = `INSERT INTO totes(code, wave_id, operator, last_used) VALUES (?,?,?,?)
			ON CONFLICT(code) DO UPDATE SET wave_id=excluded.wave_id, operator=excluded.operator, last_used=excluded.last_used`
	qTaskStarted = `UPDATE pick_tasks SET status='in_progress' WHERE id=?`
	qPickInsert  = `INSERT INTO picks(task_id, seq, qty, tote, lot, serial, expiry) VALUES (?,?,?,?,?,?,?)`
	qPickDelete  = `DELETE FROM picks WHERE task_id=?1 AND seq=(SELECT MAX(seq) FROM picks WHERE task_id=?1) AND qty=?2 RETURNING tote`
	// qToteFill makes an empty tote hold the order (fillTote reads first,
	// so a unit scan into a tote that holds its order writes nothing here).
	qToteFill = `INSERT INTO totes(code, order_id) VALUES (?1, ?2)
			ON CONFLICT(code) DO UPDATE SET order_id=excluded.order_id WHERE totes.order_id=''`
	// A tote holds the order this station filled it with, else the one
	// another cart filled it with, as the hub said (hub_totes).
	qToteHolds = `SELECT COALESCE(NULLIF((SELECT order_id FROM totes WHERE code=?1), ''),
			(SELECT order_id FROM hub_totes WHERE code=?1), '')`
	qTaskShort   = `UPDATE pick_tasks SET status='short' WHERE id=?`
	qException   = `INSERT INTO exceptions(kind, order_id, task_id, location, sku, qty, reason, operator, event_id) VALUES ('short',?,?,?,?,?,?,?,?)`
	qTaskSkipped = `UPDATE pick_tasks SET status='skipped', sort_key=? WHERE id=?`
)

var commitStatements = []string{qAppend, qAppendAtStanding, qStandingVersion, qSession, qWaveStatus, qToteUse, qTaskStarted, qPickInsert, qPickDelete, qToteFill, qToteHolds, qTaskShort, qException, qTaskSkipped}

// Commit records events and their effects and the new session in one
// durable transaction. It assigns each event its sequence, id, station and
// device time, and returns them as committed.
func (s *Store) Commit(ctx context.Context, now time.Time, events []floor.Event, sess *Session) ([]floor.Event, error) {
	return s.CommitWith(ctx, now, sess, func(*Tx) ([]floor.Event, error) { return events, nil })
}

// CommitWith is Commit for facts that need the transaction before they are
// complete: build runs first, inside it, and may take counter values or
// queue print jobs there (never journal rows: Commit appends those); the
// events it returns are then appended and applied. Either all of it commits
// or none of it does.
func (s *Store) CommitWith(ctx context.Context, now time.Time, sess *Session, build func(*Tx) ([]floor.Event, error)) ([]floor.Event, error) {
	return s.CommitAtStanding(ctx, now, sess, -1, build)
}

// ErrStandingMoved: a commit made at one standing version found another
// inside its transaction; nothing was written.
var ErrStandingMoved = errors.New("an order's status, group or holds changed since they were read")

// CommitAtStanding is CommitWith for decisions taken on orders' standings
// read at version standing (see StandingVersion): inside the transaction,
// it checks the version has not moved, else it writes nothing and returns
// ErrStandingMoved. A negative standing checks nothing. The check is
// after build, in the first event's append (qAppendAtStanding): a scan
// pays no statement for it. A commit without events reads the version.
func (s *Store) CommitAtStanding(ctx context.Context, now time.Time, sess *Session, standing int64, build func(*Tx) ([]floor.Event, error)) ([]floor.Event, error) {
	// A commit is a few statements on a local file, begun only while ctx
	// is live and then run to its end (a shutdown waits for it): on a
	// context that is never done, database/sql and the driver start no
	// goroutine to watch it, where they started three per commit (the
	// transaction, its BEGIN, its COMMIT) and one per statement.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	var out []floor.Event
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		s.totes.begin()
		events, err := build(&Tx{ctx: ctx, s: s, tx: tx})
		if err != nil {
			return err
		}
		if standing >= 0 && len(events) == 0 {
			var v int64
			if err := s.db.TxQueryRow(ctx, tx, qStandingVersion).Scan(&v); err != nil {
				return err
			}
			if v != standing {
				return ErrStandingMoved
			}
		}
		save := sess != nil && !sess.Journaled && !s.unchanged(sess)
		saveRow := save && len(events) == 0
		var record any // the session, in the last event's row
		if save && len(events) > 0 {
			r, err := journalSession(sess)
			if err != nil {
				return err
			}
			if len(r) <= maxJournalSession {
				record = r
			} else {
				saveRow = true // a large state (a pack bench's) is overwritten, not kept
			}
		}
		out = make([]floor.Event, len(events))
		for i, ev := range events {
			var r any
			if i == len(events)-1 {
				r = record
			}
			check := int64(-1)
			if i == 0 {
				check = standing
			}
			if ev, err = s.appendEvent(ctx, tx, now, ev, r, check); err != nil {
				return err
			}
			if err := s.project(ctx, tx, ev, now); err != nil {
				return fmt.Errorf("applying %s: %w", ev.Type, err)
			}
			out[i] = ev
		}
		if saveRow {
			return s.saveSessionRow(ctx, tx, sess)
		}
		return nil
	})
	s.totes.end(err == nil)
	if err != nil {
		s.forget() // the transaction rolled back: no longer sure what is saved
		return nil, err
	}
	switch {
	case sess != nil && sess.Journaled:
		// The row is older than the session now: the next change writes
		// it, whatever it compares equal to.
		s.forget()
	case sess != nil:
		s.remember(sess)
	}
	return out, nil
}

// appendEvent appends ev to the journal inside tx at the next sequence
// number, with a new event id, this station and now, and returns it as
// written. One statement does it: the sequence and the row. session is
// the commit's new session record (journalSession) on its last event,
// else nil. A standing not negative appends only at that standing
// version, else nothing and ErrStandingMoved.
func (s *Store) appendEvent(ctx context.Context, tx *sql.Tx, now time.Time, ev floor.Event, session any, standing int64) (floor.Event, error) {
	ev.ID, ev.Station, ev.DeviceTime = newEventID(), s.station, now
	q, args := qAppend, append(make([]any, 0, 8), ev.ID, ev.Station, ev.Operator, now.UTC().Format(time.RFC3339Nano), string(ev.Type), string(ev.Payload), session)
	if standing >= 0 {
		q, args = qAppendAtStanding, append(args, standing)
	}
	res, err := s.db.Exec(ctx, tx, q, args...)
	if err != nil {
		return ev, err
	}
	if standing >= 0 {
		n, err := res.RowsAffected()
		if err != nil {
			return ev, err
		}
		if n == 0 {
			return ev, ErrStandingMoved
		}
	}
	if ev.Seq, err = res.LastInsertId(); err != nil {
		return ev, err
	}
	return ev, nil
}

func (s *Store) unchanged(sess *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.saved
	return o != nil && o.Bench == sess.Bench && o.Operator == sess.Operator && o.WaveID == sess.WaveID && o.Tote == sess.Tote && o.ToteOrder == sess.ToteOrder &&
		o.TaskID == sess.TaskID && o.Step == sess.Step && bytes.Equal(o.Pending, sess.Pending)
}

func (s *Store) remember(sess *Session) {
	c := *sess
	c.Pending = bytes.Clone(sess.Pending)
	s.mu.Lock()
	s.saved = &c
	s.mu.Unlock()
}

func (s *Store) forget() {
	s.mu.Lock()
	s.saved = nil
	s.mu.Unlock()
}

// newEventID is a random (version 4) UUID: unique across stations without
// coordination.
func newEventID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var id [36]byte // 8-4-4-4-12 hex digits
	hex.Encode(id[0:8], b[0:4])
	hex.Encode(id[9:13], b[4:6])
	hex.Encode(id[14:18], b[6:8])
	hex.Encode(id[19:23], b[8:10])
	hex.Encode(id[24:], b[10:])
	id[8], id[13], id[18], id[23] = '-', '-', '-', '-'
	return string(id[:])
}

// project applies one event's effect to the tables. Events that only record
// (logins, rejections) change nothing else.
func (s *Store) project(ctx context.Context, tx *sql.Tx, ev floor.Event, now time.Time) error {
	exec := func(q string, args ...any) error {
		_, err := s.db.Exec(ctx, tx, q, args...)
		return err
	}
	switch ev.Type {
	case floor.EvCountRecorded:
		return projectCount(ctx, tx, ev)
	case floor.EvWaveStarted, floor.EvWaveCompleted:
		var p floor.WavePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		status := "in_progress"
		if ev.Type == floor.EvWaveCompleted {
			status = "done"
		}
		return exec(qWaveStatus, status, p.Wave)
	case floor.EvToteAssigned:
		var p floor.TotePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		return exec(qToteUse,
			p.Tote, p.Wave, ev.Operator, now.UTC().Format(time.RFC3339))
	case floor.EvLocationOK:
		var p floor.TaskPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		return exec(qTaskStarted, p.Task)
	case floor.EvUnitsPicked:
		p, err := floor.DecodeUnits(ev.Payload) // every scan's: without reflection
		if err != nil {
			return err
		}
		if err := s.fillTote(ctx, tx, p.Tote, p.Order); err != nil {
			return err
		}
		return exec(qPickInsert, p.Task, ev.Seq, p.Qty, p.Tote, p.Lot, p.Serial, p.Expiry)
	case floor.EvPickUndone:
		var p floor.UndoPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		var tote string
		err := s.db.TxQueryRow(ctx, tx, qPickDelete, p.Task, p.Qty).Scan(&tote)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("task %d has no last pick of %d to undo", p.Task, p.Qty)
		}
		if err != nil {
			return err
		}
		// The undone unit was the order's last in the tote: it is empty again.
		s.totes.emptied()
		return exec(`UPDATE totes SET order_id='' WHERE code=?1 AND order_id=?2 AND NOT EXISTS (
			SELECT 1 FROM pick_tasks t JOIN picks p ON p.task_id = t.id WHERE t.order_id=?2 AND p.tote=?1)`, tote, p.Order)
	case floor.EvToteReleased:
		var p floor.ToteReleasePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		s.totes.emptied()
		if err := exec(`UPDATE totes SET order_id='' WHERE code=?`, p.Tote); err != nil {
			return err
		}
		// Another cart's fill too: the supervisor saw the tote empty.
		return exec(`UPDATE hub_totes SET order_id='', freed=order_id, freed_by=?2 WHERE code=?1 AND order_id<>''`, p.Tote, floor.ToteFreedReleased)
	case floor.EvOrderWithdrawn:
		var p floor.WithdrawPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		for _, id := range p.Tasks {
			if err := exec(`UPDATE pick_tasks SET status='cancelled' WHERE id=? AND order_id=?`, id, p.Order); err != nil {
				return err
			}
		}
		// The goods go back to stock: the order's totes are empty after.
		s.totes.emptied()
		if err := s.withdrawReturns(ctx, tx, ev.Seq, p); err != nil {
			return err
		}
		if err := exec(`UPDATE totes SET order_id='' WHERE order_id=?`, p.Order); err != nil {
			return err
		}
		return exec(`UPDATE hub_totes SET order_id='', freed=order_id, freed_by=?2 WHERE order_id=?1`, p.Order, floor.ToteFreedWithdrawn)
	case floor.EvStockReturned:
		return s.stockReturned(ctx, tx, ev)
	case floor.EvTaskPicked:
		// The task's picks, just inserted, reach its quantity: that is
		// what makes it picked (pick_task_progress, migration 0016), so
		// the task's own row, another page, is not written.
		return nil
	case floor.EvTaskShort:
		var p floor.ShortPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		if err := exec(qTaskShort, p.Task); err != nil {
			return err
		}
		// The exception is what a supervisor follows up: a recount of the
		// location and the remainder left open on the order line.
		return exec(qException,
			p.Order, p.Task, p.Location, p.SKU, p.Short, string(p.Reason), ev.Operator, ev.ID)
	case floor.EvTaskSkipped:
		var p floor.SkipPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		return exec(qTaskSkipped, p.SortKey, p.Task)
	case floor.EvLoggedIn, floor.EvPINFailed, floor.EvBadgeLocked:
		return s.projectPIN(ctx, tx, ev, now)
	}
	if ev.Type.IsPack() {
		return s.projectPack(ctx, tx, ev, now)
	}
	if ev.Type.IsDispatch() {
		return s.projectDispatch(ctx, tx, ev, now)
	}
	return s.projectReturn(ctx, tx, ev)
}

// ErrToteHolds says a pick went into a tote holding another order; the
// commit wrote nothing.
type ErrToteHolds struct{ Tote, Order string }

func (e *ErrToteHolds) Error() string {
	return fmt.Sprintf("tote %s holds %s: take an empty tote", e.Tote, e.Order)
}

// fillTote records that tote holds order from its first unit on, and
// refuses a unit for another order (the workflow refuses such a tote when
// it is scanned; this is the check at commit, against any race).
func (s *Store) fillTote(ctx context.Context, tx *sql.Tx, tote, order string) error {
	if s.totes.holds(tote, order) {
		return nil // filled by an earlier commit of this store, and not emptied since
	}
	var holds string
	err := s.db.TxQueryRow(ctx, tx, qToteHolds, tote).Scan(&holds)
	switch {
	case err != nil:
		return err
	case holds != "" && holds != order:
		return &ErrToteHolds{Tote: tote, Order: holds}
	}
	// Empty, or holding this order: here (the upsert then writes
	// nothing), or on the cart that began the fill (a wave moved here).
	if _, err = s.db.Exec(ctx, tx, qToteFill, tote, order); err != nil {
		return err
	}
	s.totes.learn(tote, order)
	return nil
}

// ToteHolds is the order a tote holds, "" when it is empty.
func (s *Store) ToteHolds(ctx context.Context, tote string) (string, error) {
	var order string
	err := s.db.QueryRow(ctx, qToteHolds, tote).Scan(&order)
	return order, err
}

// Journal returns up to limit events after seq, in order.
func (s *Store) Journal(ctx context.Context, after int64, limit int) ([]floor.Event, error) {
	rows, err := s.db.R.QueryContext(ctx,
		`SELECT seq, event_id, station, operator, device_time, type, payload FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

// JournalAfter returns every event of type typ after seq, in order: the
// facts a session saved at seq was not rewritten for (Session.Journaled).
func (s *Store) JournalAfter(ctx context.Context, after int64, typ floor.EventType) ([]floor.Event, error) {
	rows, err := s.db.R.QueryContext(ctx,
		`SELECT seq, event_id, station, operator, device_time, type, payload FROM journal WHERE seq > ? AND type = ? ORDER BY seq`, after, string(typ))
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

func scanEvents(rows *sql.Rows) ([]floor.Event, error) {
	defer rows.Close()
	var evs []floor.Event
	for rows.Next() {
		var ev floor.Event
		var dt, typ, payload string
		if err := rows.Scan(&ev.Seq, &ev.ID, &ev.Station, &ev.Operator, &dt, &typ, &payload); err != nil {
			return nil, err
		}
		ev.DeviceTime, _ = time.Parse(time.RFC3339Nano, dt)
		ev.Type = floor.EventType(typ)
		ev.Payload = json.RawMessage(payload)
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// LastSeq is the newest journal sequence, 0 when empty.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM journal`).Scan(&n)
	return n, err
}

// LoadSession returns the saved session: the newest one a journal row
// after the session row's through_seq keeps, else the row's
// (sessionrecord.go).
func (s *Store) LoadSession(ctx context.Context) (Session, error) {
	// One snapshot for both reads: a commit between them could otherwise
	// move the row past the journal session read after it.
	tx, err := s.db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Session{}, err
	}
	defer tx.Rollback()
	var ss Session
	var pending string
	err = tx.QueryRowContext(ctx, `SELECT bench, operator, wave_id, tote, tote_order, task_id, step, pending, through_seq FROM session WHERE id=1`).
		Scan(&ss.Bench, &ss.Operator, &ss.WaveID, &ss.Tote, &ss.ToteOrder, &ss.TaskID, &ss.Step, &pending, &ss.Through)
	if err != nil {
		return ss, err
	}
	ss.Pending = json.RawMessage(pending)
	j, ok, err := newestJournalSession(ctx, tx.QueryRowContext, ss.Through)
	if ok {
		return j, nil
	}
	return ss, err
}

// Operator finds an operator by badge; nil when unknown.
func (s *Store) Operator(ctx context.Context, badge string) (*floor.Operator, error) {
	var op floor.Operator
	var roles string
	err := s.db.QueryRow(ctx, `SELECT badge, name, roles, pin_hash FROM operators WHERE badge=?`, badge).
		Scan(&op.Badge, &op.Name, &roles, &op.PINHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, r := range strings.Split(roles, ",") {
		if role, err := floor.ParseRole(r); err == nil {
			op.Roles = append(op.Roles, role)
		}
	}
	return &op, s.pinStanding(ctx, &op)
}

// Location finds a location by code; nil when unknown.
func (s *Store) Location(ctx context.Context, code string) (*floor.Location, error) {
	var l floor.Location
	err := s.db.QueryRow(ctx, `SELECT code, zone, aisle, bay, level, position, walk_seq FROM locations WHERE code=?`, code).
		Scan(&l.Code, &l.Zone, &l.Aisle, &l.Bay, &l.Level, &l.Position, &l.WalkSeq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &l, nil
}

const itemCols = `sku, description, unit_weight_g, length_mm, width_mm, height_mm, lot_controlled, serial_controlled, hazmat,
	COALESCE((SELECT group_concat(gtin, ',') FROM (SELECT gtin FROM item_gtins g WHERE g.sku=items.sku ORDER BY gtin)), '')`

// ItemByGTIN finds the item a 14-digit GTIN identifies; nil when unknown.
func (s *Store) ItemByGTIN(ctx context.Context, gtin string) (*floor.Item, error) {
	return s.item(ctx, `SELECT `+itemCols+` FROM items WHERE sku=(SELECT sku FROM item_gtins WHERE gtin=?)`, gtin)
}

// ItemBySKU finds an item by SKU as floor.SameSKU matches it, ignoring
// the case of A-Z (SQLite's NOCASE folds exactly those); nil when unknown,
// or when two items match (the hub refuses such twins, so only data from
// before that rule can hold them).
func (s *Store) ItemBySKU(ctx context.Context, sku string) (*floor.Item, error) {
	it, err := s.item(ctx, `SELECT `+itemCols+` FROM items WHERE sku=?`, sku)
	if it != nil || err != nil {
		return it, err
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM items WHERE sku=? COLLATE NOCASE`, sku).Scan(&n); err != nil || n != 1 {
		return nil, err
	}
	return s.item(ctx, `SELECT `+itemCols+` FROM items WHERE sku=? COLLATE NOCASE`, sku)
}

func (s *Store) item(ctx context.Context, q string, arg string) (*floor.Item, error) {
	var it floor.Item
	var gtins string
	err := s.db.QueryRow(ctx, q, arg).Scan(&it.SKU, &it.Description, &it.UnitWeightG,
		&it.LengthMM, &it.WidthMM, &it.HeightMM, &it.LotControlled, &it.SerialControlled, &it.Hazmat, &gtins)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if gtins != "" {
		it.GTINs = strings.Split(gtins, ",")
	}
	return &it, nil
}

// Wave returns a wave by id.
func (s *Store) Wave(ctx context.Context, id string) (floor.Wave, error) {
	var w floor.Wave
	err := s.db.QueryRow(ctx, `SELECT id, status, station FROM waves WHERE id=?`, id).Scan(&w.ID, &w.Status, &w.Station)
	return w, err
}

// NextWave is the wave this station should pick next: one in progress here
// first, then one it finished that has work again (a task the hub sent
// after, pick.Arrived), then the oldest released wave assigned to it or to
// any station.
// The zero Wave means there is none.
func (s *Store) NextWave(ctx context.Context) (floor.Wave, error) {
	var w floor.Wave
	err := s.db.QueryRow(ctx, `SELECT id, status, station FROM waves
		WHERE (status IN ('in_progress','released') OR status = 'done' AND station = ?1
			AND EXISTS (SELECT 1 FROM pick_tasks t WHERE t.wave_id = waves.id AND t.status = 'open'))
		AND (station=?1 OR station='')
		ORDER BY status='in_progress' DESC, status='done' DESC, station=?1 DESC, rowid LIMIT 1`, s.station).
		Scan(&w.ID, &w.Status, &w.Station)
	if errors.Is(err, sql.ErrNoRows) {
		return floor.Wave{}, nil
	}
	return w, err
}

// WaveTasks returns a wave's pick tasks in walk order.
func (s *Store) WaveTasks(ctx context.Context, wave string) ([]floor.PickTask, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT t.id, t.wave_id, t.order_id, t.line_no, t.location, t.sku, t.qty, t.qty_picked,
		t.tote, t.status, t.sort_key, i.description, i.lot_controlled, i.serial_controlled,
		COALESCE((SELECT MIN(g.gtin) FROM item_gtins g WHERE g.sku=t.sku), '')
		FROM pick_task_progress t JOIN items i ON i.sku=t.sku WHERE t.wave_id=? ORDER BY t.sort_key, t.id`, wave)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []floor.PickTask
	for rows.Next() {
		var t floor.PickTask
		var st string
		if err := rows.Scan(&t.ID, &t.WaveID, &t.OrderID, &t.LineNo, &t.Location, &t.SKU, &t.Qty, &t.QtyPicked,
			&t.Tote, &st, &t.SortKey, &t.Description, &t.LotControlled, &t.SerialControlled, &t.GTIN); err != nil {
			return nil, err
		}
		t.Status = floor.TaskStatus(st)
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// PickRow is one counted scan as stored.
type PickRow struct {
	Qty    int
	Tote   string
	Lot    string
	Serial string
}

// TaskPicks returns the counted scans of a task, oldest first.
func (s *Store) TaskPicks(ctx context.Context, task int64) ([]PickRow, error) {
	rows, err := s.db.Query(ctx, `SELECT qty, tote, lot, serial FROM picks WHERE task_id=? ORDER BY seq`, task)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []PickRow
	for rows.Next() {
		var p PickRow
		if err := rows.Scan(&p.Qty, &p.Tote, &p.Lot, &p.Serial); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, rows.Err()
}

// Exception is a problem for a supervisor to follow up.
type Exception struct {
	ID       int64
	Kind     string
	OrderID  string
	Location string
	SKU      string
	Qty      int
	Reason   string
	Operator string
	Status   string
}

// Exceptions lists exceptions, newest first.
func (s *Store) Exceptions(ctx context.Context) ([]Exception, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, kind, order_id, location, sku, qty, reason, operator, status FROM exceptions ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Exception
	for rows.Next() {
		var e Exception
		if err := rows.Scan(&e.ID, &e.Kind, &e.OrderID, &e.Location, &e.SKU, &e.Qty, &e.Reason, &e.Operator, &e.Status); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
