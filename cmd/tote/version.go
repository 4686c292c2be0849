package main

import (
	"fmt"

	"github.com/totewms/tote/internal/buildstamp"
)

func init() {
	register(command{name: "version", summary: "print tote's version, commit and build date", run: runVersion})
}

func runVersion(args []string, s stdio) int {
	fs := newFlags("version", "version", "Print tote's module version, the commit it was built from and that commit's date\n(from the build information Go stamps in the binary).", s)
	if code, ok := parseFlags(fs, args, s); !ok {
		return code
	}
	fmt.Fprintln(s.out, buildstamp.Read())
	return 0
}
