//go:build unix

package frame

import (
	"os"
	"os/signal"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
)

// watchSize tells the program the terminal's size each time it changes
// (SIGWINCH), until stop is called.
func watchSize(out *os.File, send func(tea.Msg)) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGWINCH)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-sig:
			}
			if w, h, err := term.GetSize(out.Fd()); err == nil && w > 0 && h > 0 {
				send(tea.WindowSizeMsg{Width: w, Height: h}) // in order; returns once the program has ended
			}
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
		<-finished
	}
}
