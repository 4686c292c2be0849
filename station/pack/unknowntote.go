package pack

import (
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/workflow"
)

// UnknownTote is what the station knows of a tote it has no word of: when
// it last heard from the hub, which is where a tote picked on another
// station comes from.
type UnknownTote struct {
	Pulled bool          // false: the station has not pulled from the hub yet
	Since  time.Duration // how long ago the last pull was
}

// LastPull says when the station last pulled, in floor words: "last pull
// 8 s ago", "last pull 3 min ago", "no pull from the hub yet".
func (u UnknownTote) LastPull() string { return workflow.LastPull(u.Pulled, u.Since) }

// FreedTote is an empty tote the hub freed: the order it held and why
// (floor.ToteFreed*).
type FreedTote struct {
	Order, By string
}

// Why says in floor words why the tote is empty.
func (f FreedTote) Why() string {
	switch f.By {
	case floor.ToteFreedPacked:
		return "it held " + f.Order + ", which was packed"
	case floor.ToteFreedReleased:
		return "it held " + f.Order + " until a supervisor released it"
	case floor.ToteFreedWithdrawn:
		return f.Order + " was cancelled: if anything is still in the tote, return it to stock"
	case floor.ToteFreedUndone:
		return "the picks of " + f.Order + " in it were undone"
	}
	return "it held " + f.Order
}
