package buildstamp

import (
	"runtime"
	"strings"
	"testing"
)

func TestShortAndString(t *testing.T) {
	in := Info{Version: "v0.9.0", Commit: "0123456789abcdef0123", Time: "2026-12-06T22:00:00Z", Modified: true, Go: "go1.26", Platform: "linux/arm64"}
	if got := in.Short(); got != "v0.9.0 (0123456789ab+changes)" {
		t.Fatalf("Short %q", got)
	}
	if s := in.String(); !strings.Contains(s, "commit  0123456789abcdef0123 (with changes not committed)") || !strings.Contains(s, "built   2026-12-06T22:00:00Z") {
		t.Fatalf("String %q", s)
	}
	if r := Read(); r.Version == "" || r.Platform != runtime.GOOS+"/"+runtime.GOARCH {
		t.Fatalf("Read %+v", r)
	}
}
