//go:build !linux

package sim

import (
	"errors"
	"os"
)

var errLinuxOnly = errors.New("virtual serial devices are supported on Linux only")

func makeRaw(tty *os.File) error            { return errLinuxOnly }
func inputQueued(tty *os.File) (int, error) { return 0, errLinuxOnly }
func pollable(f *os.File) (*os.File, error) { return nil, errLinuxOnly }
