// Package buildstamp says which tote this is: the module version, the
// commit and the build time, as the Go toolchain stamped them in the
// binary (runtime/debug.ReadBuildInfo). A build outside version control
// has no commit; `go run` and test binaries say "(devel)".
package buildstamp

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
)

// Info is one build's identity.
type Info struct {
	Version  string // the module version, or "(devel)"
	Commit   string // vcs.revision, "" when unknown
	Time     string // vcs.time (the commit's time), "" when unknown
	Modified bool   // built from a tree with changes not committed
	Go       string // the Go version that built it
	Platform string // GOOS/GOARCH
}

var read = sync.OnceValue(func() Info {
	in := Info{Version: "(devel)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return in
	}
	if v := bi.Main.Version; v != "" {
		in.Version = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Commit = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
})

// Read is this binary's build.
func Read() Info { return read() }

// Short is the version with a short commit, e.g. "v0.9.0 (a1b2c3d4e5f6)":
// what the hub and the stations tell each other.
func (in Info) Short() string {
	s := in.Version
	if in.Commit != "" {
		c := in.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += " (" + c
		if in.Modified {
			s += "+changes"
		}
		s += ")"
	}
	return s
}

// String is every line `tote version` prints.
func (in Info) String() string {
	commit, when := in.Commit, in.Time
	if commit == "" {
		commit = "unknown"
	}
	if in.Modified {
		commit += " (with changes not committed)"
	}
	if when == "" {
		when = "unknown"
	}
	return fmt.Sprintf("tote %s\ncommit  %s\nbuilt   %s\ngo      %s %s", in.Version, commit, when, in.Go, in.Platform)
}
