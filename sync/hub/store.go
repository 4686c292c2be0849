package hub

import (
	"context"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// Principal is who a token belongs to.
type Principal struct {
	Kind    string // TokenStation, TokenAdmin or TokenReader
	Station string // for station tokens
}

// API is what the hub does for the server and the tools: the Service
// implements it over a Store. Errors the caller should show are
// *protocol.Error values (not found, conflict, gap, bad request); any other
// error is internal.
//
// The promise: Push applies a batch's new events, their outcomes and
// effects, and the station's new mark in one transaction; Pull never
// returns a change twice within an epoch, and never misses one.
type API interface {
	// Authenticate finds the principal of a token by its hash.
	Authenticate(ctx context.Context, tokenHash string) (Principal, error)

	// Push applies a validated batch from station, judged by the store's
	// rules, stamping at as the receipt time.
	Push(ctx context.Context, station string, at time.Time, events []protocol.Event) (protocol.PushResponse, error)
	// NoteBench records the bench the station says it runs, before its
	// pull: the changes addressed to that bench's audience reach it.
	NoteBench(ctx context.Context, station, bench string) error
	// Pull returns the station's changes after cursor ("" for the start).
	Pull(ctx context.Context, station, cursor string, limit int, at time.Time) (protocol.PullResponse, error)

	// RegisterStation adds a station with its first token and gives it the
	// next station number (protocol.Hello).
	RegisterStation(ctx context.Context, id, name, tokenHash string, at time.Time) error
	// Hello is what the hub knows of the station for the station; it
	// writes nothing.
	Hello(ctx context.Context, station string) (protocol.Hello, error)
	AddToken(ctx context.Context, kind, station, tokenHash string, at time.Time) error
	Stations(ctx context.Context) ([]protocol.StationInfo, error)
	// ResetStation orders the station to refetch its slice at its next pull.
	ResetStation(ctx context.Context, station string) error

	ImportReference(ctx context.Context, ref protocol.Reference) (protocol.ImportResult, error)
	ImportOrders(ctx context.Context, orders []protocol.Order, at time.Time) (protocol.ImportResult, error)
	CreateWave(ctx context.Context, w protocol.NewWave, at time.Time) (protocol.WaveInfo, error)
	AssignWave(ctx context.Context, wave, station string) (protocol.WaveInfo, error)
	PlaceHold(ctx context.Context, order string, h protocol.Hold, at time.Time) error
	ReleaseHold(ctx context.Context, order, reason string) error
	CancelOrder(ctx context.Context, order, reason string, at time.Time) error
	AddLabel(ctx context.Context, l protocol.Label, at time.Time) error

	Fulfilment(ctx context.Context, order string) (protocol.Fulfilment, error)
	Conflicts(ctx context.Context, after int64, limit int) ([]protocol.Conflict, error)
	StationEvents(ctx context.Context, station string, after int64, limit int) ([]protocol.StoredEvent, error)

	// The supervisor's views of the live aggregates (service_supervise.go).
	Waves(ctx context.Context, after int64, now time.Time) (protocol.WavesView, error)
	Wave(ctx context.Context, id string, now time.Time) (protocol.WaveDetail, error)
	Site(ctx context.Context, after int64, now time.Time) (protocol.SiteView, error)
}
