package serialport

import (
	"testing"

	"golang.org/x/sys/unix"
)

// Mark and space parity are set through the side handle. A pty forces
// PARENB off and CS8 on whatever is asked (pty_set_termios), so only the
// stick bit and the odd bit can be seen here.
func TestMarkAndSpaceParity(t *testing.T) {
	for _, c := range []struct {
		parity string
		odd    bool
	}{{"mark", true}, {"space", false}} {
		s := newLine(t)
		p, err := Open(Config{Path: s.Path(), Parity: c.parity})
		if err != nil {
			t.Fatal(err)
		}
		var cflag uint32
		p.side.control(func(fd int) {
			tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			cflag = tio.Cflag
		})
		p.Close()
		if cflag&unix.CMSPAR == 0 || (cflag&unix.PARODD != 0) != c.odd {
			t.Errorf("%s parity: cflag %#o", c.parity, cflag)
		}
	}
}
