//go:build !unix

package main

import "errors"

// doctorFreeSpace is not measured on this system.
func doctorFreeSpace(path string) (uint64, error) {
	return 0, errors.New("not measured on this system")
}
