package hub

import (
	"context"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// Principal is who a token belongs to: a station, or an office user or
// tool with the scopes its admin token grants.
type Principal struct {
	ID      string   // the token's id: shown in lists and the audit log, never secret
	Kind    string   // TokenStation or TokenAdmin
	Station string   // for station tokens
	Scopes  []string // for admin tokens: ScopeImport, ScopeOperate, ScopeRead, ScopeTokens
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
	// UnlockBadge and BadgeLocks: the PIN locks (badgelock.go).
	UnlockBadge(ctx context.Context, badge string, at time.Time) (protocol.BadgeLock, error)
	BadgeLocks(ctx context.Context) ([]protocol.BadgeLock, error)

	// Authenticate finds the principal of a live token (neither revoked
	// nor expired at at) by its hash.
	Authenticate(ctx context.Context, tokenHash string, at time.Time) (Principal, error)

	// Push applies a validated batch from station, judged by the store's
	// rules, stamping at as the receipt time.
	Push(ctx context.Context, station string, at time.Time, events []protocol.Event) (protocol.PushResponse, error)
	// NoteBench records the bench the station says it runs, before its
	// pull: the changes addressed to that bench's audience reach it.
	NoteBench(ctx context.Context, station, bench string) error
	// Pull returns the station's changes after cursor ("" for the start).
	Pull(ctx context.Context, station, cursor string, limit int, at time.Time) (protocol.PullResponse, error)
	// PullWait is Pull held open for up to wait while the station has
	// nothing new, ended early by a committed change for it or by stop.
	PullWait(ctx context.Context, station, cursor string, limit int, wait time.Duration, stop <-chan struct{}, now func() time.Time) (protocol.PullResponse, error)

	// RegisterStation adds a station with its first token and gives it the
	// next station number (protocol.Hello).
	RegisterStation(ctx context.Context, id, name, tokenHash string, at time.Time) error
	// Hello is what the hub knows of the station for the station; it
	// writes nothing.
	Hello(ctx context.Context, station string) (protocol.Hello, error)
	// AddToken adds a token; by names who asked (it is recorded).
	AddToken(ctx context.Context, t TokenRecord, by Principal) error
	// Tokens lists every token (without hashes), by id.
	Tokens(ctx context.Context) ([]TokenRecord, error)
	// RevokeToken ends a token at once; by must hold ScopeTokens.
	RevokeToken(ctx context.Context, id string, by Principal, at time.Time) error
	// Audit lists the admin actions recorded, after id, by id.
	Audit(ctx context.Context, after int64, limit int) ([]AuditEntry, error)
	// Ready writes through the store: an error when it cannot (/readyz).
	Ready(ctx context.Context, at time.Time) error
	// RecordAudit records an admin action that wrote nothing (refused);
	// actions that write are recorded with their writes (WithAudit).
	RecordAudit(ctx context.Context, a AuditEntry) error
	Stations(ctx context.Context) ([]protocol.StationInfo, error)
	// ResetStation orders the station to refetch its slice at its next pull.
	ResetStation(ctx context.Context, station string) error

	ImportReference(ctx context.Context, ref protocol.Reference) (protocol.ImportResult, error)
	// ImportReferenceStream imports reference data as it is read: all or
	// none.
	ImportReferenceStream(ctx context.Context, ref ReferenceStream) (protocol.ImportResult, error)
	// Settings reads the hub's settings (an import is judged by them).
	Settings(ctx context.Context) (Settings, error)
	ImportOrders(ctx context.Context, orders []protocol.Order, at time.Time) (protocol.ImportResult, error)
	// ImportOrderStream imports orders as they are read: all or none.
	ImportOrderStream(ctx context.Context, orders Orders, at time.Time) (protocol.ImportResult, error)
	CreateWave(ctx context.Context, w protocol.NewWave, at time.Time) (protocol.WaveInfo, error)
	AssignWave(ctx context.Context, wave, station string) (protocol.WaveInfo, error)
	PlaceHold(ctx context.Context, order string, h protocol.Hold, at time.Time) error
	ReleaseHold(ctx context.Context, order, reason string) error
	CancelOrder(ctx context.Context, order, reason string, at time.Time) error
	AddLabel(ctx context.Context, l protocol.Label, at time.Time) error
	// ReleaseBackOrder offers an order's back order again (stock arrived);
	// CloseBackOrder cancels it (docs/order-life.md).
	ReleaseBackOrder(ctx context.Context, order string, at time.Time) (protocol.ReleaseResult, error)
	CloseBackOrder(ctx context.Context, order string, at time.Time) (protocol.ReleaseResult, error)
	// RestockDone records a cancelled order's goods back in stock.
	RestockDone(ctx context.Context, order string, at time.Time) (protocol.RestockResult, error)
	// HoldingShelf lists the goods waiting on holding shelves, by order.
	HoldingShelf(ctx context.Context) ([]protocol.ShelfEntry, error)

	Fulfilment(ctx context.Context, order string) (protocol.Fulfilment, error)
	Conflicts(ctx context.Context, after int64, limit int) ([]protocol.Conflict, error)
	StationEvents(ctx context.Context, station string, after int64, limit int) ([]protocol.StoredEvent, error)

	// The supervisor's views of the live aggregates (service_supervise.go).
	Waves(ctx context.Context, after int64, now time.Time) (protocol.WavesView, error)
	Wave(ctx context.Context, id string, now time.Time) (protocol.WaveDetail, error)
	Site(ctx context.Context, after int64, now time.Time) (protocol.SiteView, error)
	// An order's lines and story, and the stations' devices (story.go,
	// sitehealth.go).
	OrderStory(ctx context.Context, order string, now time.Time) (protocol.OrderStory, error)
	ReportDevices(ctx context.Context, station string, ds []protocol.DeviceState, at time.Time) error
	ReportStation(ctx context.Context, rep protocol.DevicesReport, at time.Time) error
	OMSAPI
}
