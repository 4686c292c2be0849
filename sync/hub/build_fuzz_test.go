package hub

import (
	"strings"
	"testing"
)

// FuzzStationBuild: any User-Agent is judged without a panic; a release
// version that parses prints back as vMAJOR.MINOR.PATCH and parses again
// to itself; a refusal names the station's build.
func FuzzStationBuild(f *testing.F) {
	for _, s := range []string{"tote/v0.9.0 (a1b2c3d4e5f6)", "tote/v1.2.3-rc1", "tote/(devel)", "tote/v01.2.3", "tote/v1.2", "curl/8", "tote/v99999999999999999999.0.0", ""} {
		f.Add(s)
	}
	r := newBuildRule("v0.9.0", "v1.0.0")
	f.Fuzz(func(t *testing.T, ua string) {
		err := r.check(ua)
		name, _ := strings.CutPrefix(ua, "tote/")
		name, _, _ = strings.Cut(name, " ")
		v, ok := parseSemVersion(name)
		if !ok {
			if err != nil {
				t.Fatalf("%q refused without a release version: %v", ua, err)
			}
			return
		}
		if w, ok := parseSemVersion(v.String()); !ok || w != v {
			t.Fatalf("%q: %v prints as %s, which parses to %v", ua, v, v.String(), w)
		}
		if err != nil && !strings.Contains(err.Error(), v.String()) {
			t.Fatalf("%q: the refusal does not name the build: %v", ua, err)
		}
	})
}
