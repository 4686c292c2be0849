package hub

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/buildstamp"
	"github.com/totewms/tote/sync/protocol"
)

// Which station builds a hub takes. A station names its build in its
// User-Agent ("tote/v0.9.2 (a1b2c3d4e5f6)"). The hub refuses, with 426
// and the reason, a station older than its minimum (Options.MinStationBuild,
// `tote hub --min-station-build`) or of a newer major version than its
// own: a newer major may send events this hub misreads. A build without a
// release version ("(devel)": go run, tests) is not judged.

type buildRule struct {
	min semVersion // zero: no minimum
	hub semVersion // this hub's build; zero when it has no release version
}

func newBuildRule(min, hub string) buildRule {
	if hub == "" {
		hub = buildstamp.Read().Version
	}
	r := buildRule{}
	r.min, _ = parseSemVersion(min)
	r.hub, _ = parseSemVersion(hub)
	return r
}

// CheckMinStationBuild says whether v is a release version a hub can hold
// stations to (for the command line).
func CheckMinStationBuild(v string) error {
	if _, ok := parseSemVersion(v); !ok {
		return fmt.Errorf("minimum station build %q is not a release version such as v0.9.0", v)
	}
	return nil
}

// check judges the station's User-Agent.
func (r buildRule) check(userAgent string) error {
	name, ok := strings.CutPrefix(userAgent, "tote/")
	if !ok {
		return nil // not a tote station (curl, a script): the token says who it is
	}
	name, _, _ = strings.Cut(name, " ")
	v, ok := parseSemVersion(name)
	if !ok {
		return nil
	}
	if r.min.set() && v.less(r.min) {
		return protocol.Errorf(protocol.CodeBuild, "this station runs tote %s, older than %s, the oldest this hub takes: update tote on the station", v, r.min)
	}
	if r.hub.set() && v.major > r.hub.major {
		return protocol.Errorf(protocol.CodeBuild, "this station runs tote %s, a newer major version than the hub's %s: update the hub first", v, r.hub)
	}
	return nil
}

// semVersion is vMAJOR.MINOR.PATCH; a pre-release or build suffix is
// ignored (v1.2.3-rc1 counts as v1.2.3).
type semVersion struct {
	major, minor, patch int
	ok                  bool
}

func (v semVersion) set() bool { return v.ok }

func (v semVersion) String() string { return fmt.Sprintf("v%d.%d.%d", v.major, v.minor, v.patch) }

func (v semVersion) less(w semVersion) bool {
	if v.major != w.major {
		return v.major < w.major
	}
	if v.minor != w.minor {
		return v.minor < w.minor
	}
	return v.patch < w.patch
}

func parseSemVersion(s string) (semVersion, bool) {
	s, ok := strings.CutPrefix(s, "v")
	if !ok {
		return semVersion{}, false
	}
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return semVersion{}, false
	}
	var n [3]int
	for i, p := range parts {
		x, err := strconv.Atoi(p)
		if err != nil || strings.Trim(p, "0123456789") != "" || (len(p) > 1 && p[0] == '0') {
			return semVersion{}, false
		}
		n[i] = x
	}
	return semVersion{major: n[0], minor: n[1], patch: n[2], ok: true}, true
}
