//go:build unix

package main

import (
	"fmt"
	"os"
)

// sharedFile says why a secret file others may read is a risk, or "" when
// only its owner may read it.
func sharedFile(path, what string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o044 == 0 {
		return ""
	}
	return fmt.Sprintf("%s %s can be read by others (mode %04o): %s — chmod 600 %s", what, path, fi.Mode().Perm(), risk[what], path)
}

var risk = map[string]string{
	"token file": "the token lets them sync as this station",
	"database":   "it holds customers' addresses and PIN hashes",
}
