package pgstore_test

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuMeter reads how busy the bench was during one phase: the CPU time
// of this process (the hubs and the stations) and of its descendants
// (the PostgreSQL server pgtest starts as a child), against the wall
// time, in cores. The machine has few cores: a phase near their count
// is CPU-bound, and a second hub cannot add throughput to it.
type cpuMeter struct {
	wall                   time.Time
	self, kids, busy, idle time.Duration
}

func startCPU() cpuMeter {
	m := cpuMeter{wall: time.Now(), self: selfCPU(), kids: kidsCPU()}
	m.busy, m.idle = machineCPU()
	return m
}

// cores is the CPU time used since start, per wall second: this
// process's, its descendants', and the whole machine's (whoever else
// runs on it too) with the cores it left idle.
func (m cpuMeter) cores() (self, kids, busy, idle float64) {
	wall := time.Since(m.wall).Seconds()
	b, i := machineCPU()
	return (selfCPU() - m.self).Seconds() / wall, (kidsCPU() - m.kids).Seconds() / wall,
		(b - m.busy).Seconds() / wall, (i - m.idle).Seconds() / wall
}

// machineCPU is the machine's busy and idle time (iowait counts as
// idle) from /proc/stat.
func machineCPU() (busy, idle time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0
	}
	var t [8]int64
	for i := range t {
		t[i], _ = strconv.ParseInt(f[i+1], 10, 64)
	}
	// user nice system idle iowait irq softirq steal
	tick := time.Second / 100
	return time.Duration(t[0]+t[1]+t[2]+t[5]+t[6]+t[7]) * tick, time.Duration(t[3]+t[4]) * tick
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// kidsCPU sums utime+stime of every living descendant of this process,
// from /proc (Linux only; elsewhere 0). Descendants that ended within
// the phase are not counted: the servers' backends live as long as the
// hubs' pools.
func kidsCPU() time.Duration {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	type proc struct {
		ppid  int
		ticks int64
	}
	procs := map[int]proc{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if len(f) < 13 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		procs[pid] = proc{ppid, ut + st}
	}
	me := os.Getpid()
	var ticks int64
	for pid, p := range procs {
		for a, n := p.ppid, 0; a > 1 && n < 16; a, n = procs[a].ppid, n+1 {
			if a == me {
				ticks += procs[pid].ticks
				break
			}
		}
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}
