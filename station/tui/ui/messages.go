package ui

import (
	"time"

	"github.com/totewms/tote/station"
)

// The root's messages whose contents its components draw.

// SyncMsg is the replicator's state for the status bar: online or not,
// events waiting and the age of the oldest, the last successful pull.
type SyncMsg struct {
	Online        bool
	Waiting       int
	OldestWaiting time.Duration
	LastPull      time.Time
	// Problem is set when sync has stopped and needs a person (a refused
	// token), or the last error while retrying.
	Problem string
	Stopped bool
	// Failing is "hub" when the hub answers but cannot apply (5xx), or
	// "store" when this station's store fails: not "online", whatever
	// else works; "quota" when the hub refuses pushes over the station's
	// storage quota, "build" when it refuses this station's tote build.
	Failing string
	// News is what the last pull brought that an operator should know
	// (a hold, a cancellation), and when it came.
	News   string
	NewsAt time.Time
	// Told is the part of News that is supervisors' resolutions of the
	// exceptions met here: kept on the screen with what the bench makes
	// of the news.
	Told     string
	Rejected int // events the hub rejected: exceptions to resolve
	// Refusals are the rejected events the floor has not acknowledged,
	// oldest first, in plain words (which order, what to do).
	Refusals []station.Refusal
	// OfflineSince is when the station last heard from the hub, set
	// while offline: the status bar counts from it.
	OfflineSince time.Time
}

// PrintMsg is a printer's queue as the spooler sees it: labels waiting, in
// doubt, and why they wait.
type PrintMsg struct {
	Printer     string
	Waiting     int
	InDoubt     int
	Problem     string // e.g. "out of labels"; "" when printing normally
	Instruction string // e.g. "load labels"
}
