package ui

// The device line: every configured device's state.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/internal/floor"
)

// DeviceLine shows every configured device's state: green when connected,
// red with the reason otherwise, and a printer's queue when labels wait.
func DeviceLine(st *Styles, ds []devices.State, queues map[string]PrintMsg, w int) string {
	var parts []string
	for _, d := range ds {
		mark, style := "●", st.Progress
		text := d.Device
		if !d.OK() {
			style = st.ErrorText
			text += " " + strings.ToUpper(d.Status)
			if d.Reason != "" {
				text += ": " + d.Reason
			}
		}
		if q, ok := queues[d.Device]; ok && (q.Waiting > 0 || q.InDoubt > 0) {
			text += fmt.Sprintf(" (%d waiting", q.Waiting)
			if q.InDoubt > 0 {
				text += fmt.Sprintf(", %d to check", q.InDoubt)
			}
			text += ")"
			if q.Problem != "" && d.OK() {
				style, text = st.ErrorText, text+": "+q.Problem+" — "+q.Instruction
			}
		}
		parts = append(parts, style.Render(mark)+" "+floor.Printable(text))
	}
	return ansi.Truncate(" "+strings.Join(parts, "  "), w, "…")
}
