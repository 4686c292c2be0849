//go:build !darwin

package serialport

import "github.com/tarm/serial"

// The raw port under Port: github.com/tarm/serial on Linux and Windows.
// On macOS tarm/serial needs cgo, so raw_darwin.go sets the terminal up
// itself (pure Go, golang.org/x/sys/unix) and release builds stay cgo-free.
type (
	rawPort     = serial.Port
	rawConfig   = serial.Config
	rawParity   = serial.Parity
	rawStopBits = serial.StopBits
)

const (
	parityNone  = serial.ParityNone
	parityOdd   = serial.ParityOdd
	parityEven  = serial.ParityEven
	parityMark  = serial.ParityMark
	paritySpace = serial.ParitySpace
)

var errBadParity = serial.ErrBadParity

func openRaw(c *rawConfig) (*rawPort, error) { return serial.OpenPort(c) }
