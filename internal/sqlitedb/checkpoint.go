package sqlitedb

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"os"
	"sync"
	"sync/atomic"
)

// CheckpointPages is how many pages the WAL holds before they are copied
// into the database file (SQLite's own default for its automatic
// checkpoint). A goroutine of its own copies them, on a connection of its
// own: SQLite's automatic checkpoint runs inside the commit that crosses
// the mark, so that one operator's scan waited for a thousand pages to be
// copied and the file synced (about 1.5–2.5 ms, against 0.3 ms for a
// commit). A checkpoint never takes the writer's lock (PASSIVE), so the
// commits that follow go on while it copies; durability does not change
// (a commit is durable in the WAL, synced before it returns).
const CheckpointPages = 1000

// backstopPages is where SQLite's automatic checkpoint still runs, in a
// commit, should the checkpointer fall behind (a reader holding the WAL)
// or fail: the WAL stays bounded whatever happens.
const backstopPages = 4 * CheckpointPages

// checkpointer copies the WAL into the database file when Write finds it
// holds CheckpointPages pages.
type checkpointer struct {
	conn *sql.DB
	// shm is the WAL index, read for the WAL's length. It stays open
	// until every connection has closed: closing any descriptor of a file
	// drops the POSIX locks the process holds on it, SQLite's among them.
	shm  *os.File
	poke chan struct{}
	quit chan struct{}
	done chan struct{}
	once sync.Once // stop: a DB may be closed twice
	// copied is how far into the WAL the last checkpoint copied (0 once
	// the WAL started again): commits made while a checkpoint ran are
	// copied with the next thousand pages, not by a checkpoint of their
	// own, which would sync twice for a few pages.
	copied atomic.Uint32
	// starting and checked, when set (by tests, before the first
	// commit), run before each checkpoint and hear its outcome: the WAL's
	// pages and how many are copied.
	starting func()
	checked  func(frames, copied int, err error)
}

func startCheckpointer(p string) (*checkpointer, error) {
	shm, err := os.Open(p + "-shm")
	if err != nil {
		return nil, err
	}
	conn, err := sql.Open("sqlite", dsn(p, true))
	if err != nil {
		shm.Close()
		return nil, err
	}
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	c := &checkpointer{conn: conn, shm: shm, poke: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.quit:
			return
		case <-c.poke:
			// An error leaves the pages in the WAL: the next poke tries
			// again, and the backstop bounds the WAL meanwhile.
			if c.starting != nil {
				c.starting()
			}
			var busy, frames, copied int
			err := c.conn.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
			if err == nil {
				c.copied.Store(uint32(copied))
			}
			if c.checked != nil {
				c.checked(frames, copied, err)
			}
		}
	}
}

// committed is called after each commit: it wakes the checkpointer when
// the WAL has grown by CheckpointPages pages not copied yet. It costs one read of 96 bytes.
func (c *checkpointer) committed() {
	n, from := c.frames(), c.copied.Load()
	if n < from { // the WAL started again
		c.copied.CompareAndSwap(from, 0)
		from = 0
	}
	if n-from >= CheckpointPages {
		select {
		case c.poke <- struct{}{}:
		default: // already woken
		}
	}
}

// frames is the WAL's length in pages (mxFrame of the wal-index header,
// https://www.sqlite.org/walformat.html): SQLite keeps two copies of the
// header and a reader trusts them only when they agree; 0 when they do
// not (a writer was between the two) or the read fails.
func (c *checkpointer) frames() uint32 {
	var h [96]byte
	if _, err := c.shm.ReadAt(h[:], 0); err != nil || !bytes.Equal(h[:48], h[48:]) {
		return 0
	}
	return binary.NativeEndian.Uint32(h[16:20])
}

// stop ends the goroutine and closes its connection; the wal-index stays
// open for close, after the other connections.
func (c *checkpointer) stop() error {
	var err error
	c.once.Do(func() {
		close(c.quit)
		<-c.done
		err = c.conn.Close()
	})
	return err
}
