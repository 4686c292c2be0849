// Package pgtest gives tests a real PostgreSQL: one throwaway cluster per
// test binary (initdb into a temporary folder, the server on a unix socket
// there), and a fresh database per test. The cluster is started by the
// first test that asks and stopped by Main; should the test binary die,
// the kernel ends the server with it (the server is its child, not a
// pg_ctl daemon).
//
// The binaries come from /usr/lib/postgresql/15/bin (Debian's
// postgresql-15), or from $TOTE_PG_BIN. When they are missing the test
// fails and says how to install them: a PostgreSQL test is never skipped.
// initdb refuses to run as root, so under root the cluster runs as the
// postgres user (else nobody).
//
// It is for tests only; nothing in tote's binary imports it.
package pgtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DefaultBin is where Debian's postgresql-15 puts the server binaries.
const DefaultBin = "/usr/lib/postgresql/15/bin"

// Cluster is the running throwaway cluster.
type Cluster struct {
	// Dir holds the data folder, the socket and the server's log.
	Dir string
	// Bin is the folder of the PostgreSQL binaries (pg_dump, psql...).
	Bin  string
	Port int
	cmd  *exec.Cmd
	done chan error
	mu   sync.Mutex // serialises CREATE DATABASE on admin
	adm  *pgx.Conn
}

var (
	once    sync.Once
	shared  *Cluster
	started error
	dbs     atomic.Int64
)

// Main runs the package's tests, then stops the cluster if one started.
// Call it from TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.stop()
	}
	os.Exit(code)
}

// Bin is the folder the binaries are taken from.
func Bin() string {
	if b := os.Getenv("TOTE_PG_BIN"); b != "" {
		return b
	}
	return DefaultBin
}

// Get starts the cluster if needed and returns it; t fails when it cannot.
func Get(t testing.TB) *Cluster {
	t.Helper()
	once.Do(func() { shared, started = start() })
	if started != nil {
		t.Fatalf("pgtest: no PostgreSQL for this test: %v", started)
	}
	return shared
}

// DSN creates a fresh, empty database for the test on the shared cluster
// and returns its connection string (keyword/value form).
func DSN(t testing.TB) string {
	t.Helper()
	c := Get(t)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbs.Add(1))
	if err := c.admin(context.Background(), `CREATE DATABASE `+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	// Not dropped: DROP DATABASE waits for a checkpoint, and the whole
	// cluster goes when the test binary ends.
	return c.DSNFor(name)
}

// DSNFor is the connection string of database name on the cluster.
func (c *Cluster) DSNFor(name string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", c.Dir, c.Port, name)
}

func (c *Cluster) admin(ctx context.Context, sql string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.adm == nil {
		conn, err := pgx.Connect(ctx, c.DSNFor("postgres"))
		if err != nil {
			return err
		}
		c.adm = conn
	}
	_, err := c.adm.Exec(ctx, sql)
	return err
}

func start() (*Cluster, error) {
	bin := Bin()
	for _, b := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			return nil, fmt.Errorf("PostgreSQL 15 is not installed here: %s is missing. Install it with `apt-get install postgresql-15` (CI's .ci/run does), or point TOTE_PG_BIN at a folder holding initdb and postgres", filepath.Join(bin, b))
		}
	}
	// Under root the server runs as another user, who must reach the
	// folder: /tmp, whatever TMPDIR says.
	base := ""
	if os.Geteuid() == 0 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "pgtest-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, Bin: bin, Port: 5432, done: make(chan error, 1)}
	fail := func(err error) (*Cluster, error) {
		os.RemoveAll(dir)
		return nil, err
	}
	attr, err := runAs(dir)
	if err != nil {
		return fail(err)
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = attr
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}
	// Only the unix socket in dir: no TCP port to collide with another
	// test binary's cluster.
	srv := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-p", strconv.Itoa(c.Port),
		"-c", "listen_addresses=", "-c", "max_connections=300", "-c", "shared_buffers=128MB",
		"-c", "max_locks_per_transaction=256", "-c", "max_pred_locks_per_transaction=1024")
	srv.SysProcAttr = attr
	srv.Dir = dir
	stderr, err := srv.StderrPipe()
	if err != nil {
		return fail(err)
	}
	logf, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return fail(err)
	}
	if err := srv.Start(); err != nil {
		logf.Close()
		return fail(fmt.Errorf("postgres: %w", err))
	}
	c.cmd = srv
	// The server says when it accepts connections; its log is kept in
	// server.log (and read to the end so that it never blocks on a full pipe).
	ready := make(chan struct{})
	var tail []string
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logf, line)
			if !signalled {
				tail = append(tail, line)
				if strings.Contains(line, "database system is ready to accept connections") {
					signalled = true
					close(ready)
				}
			}
		}
		_, _ = io.Copy(logf, stderr)
		logf.Close()
		c.done <- srv.Wait()
		if !signalled {
			close(ready)
		}
	}()
	<-ready
	select {
	case err := <-c.done:
		c.done <- err
		return fail(fmt.Errorf("postgres stopped at start (%v):\n%s", err, strings.Join(tail, "\n")))
	default:
	}
	return c, nil
}

// stop shuts the server down (fast) and removes its folder, unless
// TOTE_PGTEST_KEEP is set (to read server.log after a failure).
func (c *Cluster) stop() {
	if c.adm != nil {
		c.adm.Close(context.Background())
	}
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		<-c.done
	}
	if os.Getenv("TOTE_PGTEST_KEEP") != "" {
		fmt.Fprintf(os.Stderr, "pgtest: the cluster's folder is kept: %s\n", c.Dir)
		return
	}
	os.RemoveAll(c.Dir)
}

// runAs is how the cluster's processes run: as this user, or under root
// as postgres (else nobody), owning dir.
func runAs(dir string) (*syscall.SysProcAttr, error) {
	attr := procAttr()
	if os.Geteuid() != 0 {
		return attr, nil
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		return nil, errors.New("running as root, and neither a postgres nor a nobody user exists to run initdb as (it refuses root)")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return withCredential(attr, uint32(uid), uint32(gid)), nil
}
