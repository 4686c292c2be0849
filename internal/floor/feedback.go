package floor

// Level is how loud feedback is. Every workflow (pick, pack) answers with
// the same levels, so the screen shows them all alike.
type Level int

const (
	Info  Level = iota // plain news
	OK                 // done: green
	Warn               // done, but look: a held order, an unchecked weight
	Error              // refused or failed: red, and the bell
)

// Feedback is what the operator sees (and hears: Error rings the bell).
type Feedback struct {
	Level   Level
	Message string
}
