package tui

// The device line: every configured device's state.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

// deviceLine shows every configured device's state: green when connected,
// red with the reason otherwise.
func (m Model) deviceLine(w int) string {
	var parts []string
	for _, d := range m.devices {
		mark, style := "●", m.st.Progress
		text := d.Device
		if !d.OK() {
			style = m.st.ErrorText
			text += " " + strings.ToUpper(d.Status)
			if d.Reason != "" {
				text += ": " + d.Reason
			}
		}
		if q, ok := m.queues[d.Device]; ok && (q.Waiting > 0 || q.InDoubt > 0) {
			text += fmt.Sprintf(" (%d waiting", q.Waiting)
			if q.InDoubt > 0 {
				text += fmt.Sprintf(", %d to check", q.InDoubt)
			}
			text += ")"
			if q.Problem != "" && d.OK() {
				style, text = m.st.ErrorText, text+": "+q.Problem+" — "+q.Instruction
			}
		}
		parts = append(parts, style.Render(mark)+" "+floor.Printable(text))
	}
	return ansi.Truncate(" "+strings.Join(parts, "  "), w, "…")
}
