package hub

import (
	"context"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Store is the hub's durable state, as data. The Service holds every rule
// (what a pushed event does, what a station is sent, which admin action is
// refused) and reaches the data only through a transaction of the Store;
// a Store holds SQL and no decisions. hubstore implements it on SQLite,
// pgstore on PostgreSQL; both pass hubtest.Run.
//
// Transactions. Tx runs fn in one read-write transaction: every write of
// fn commits together when fn returns nil, none when it returns an error
// (which Tx returns). fn sees its own writes. Tx transactions behave as
// if run one at a time (SQLite has one writer; a PostgreSQL store runs
// them SERIALIZABLE and runs fn again after a serialization failure, so
// fn has no effect outside tx). Read runs fn on a consistent snapshot and
// writes nothing.
//
// The feed-ordering invariant. The feed is append-only; each appended
// change gets a sequence number greater than any before it, and the
// changes one AppendFeed call appends form a group that a page never
// splits. A pull reads only up to FeedSafe: the highest sequence at or
// below which every change is committed and visible to the reading
// snapshot, and which never goes down. A station's cursor only ever
// stands at or below a FeedSafe it was given, so a change committed
// later always lands above it and no pull misses one. On SQLite one
// writer commits in sequence order, so FeedSafe is the highest sequence
// in the feed. On PostgreSQL a transaction that took sequence 11 can
// commit before one that took 10: FeedSafe must then stop below the
// oldest sequence still in flight (for example from the smallest
// sequence reserved by a transaction not yet committed, or by taking
// sequences under one lock so that commit order is sequence order).
// Since a group's sequences belong to one transaction, a group is
// entirely at or below FeedSafe or entirely above it.
type Store interface {
	Tx(ctx context.Context, fn func(StoreTx) error) error
	Read(ctx context.Context, fn func(StoreTx) error) error
	// HubID names this database in pull cursors; it never changes.
	HubID() string
}

// EveryStation addresses a feed change to all stations (reference data).
const EveryStation = ""

// AudiencePrefix starts a feed address that names a bench rather than a
// station: a change addressed to Audience(b) reaches every station whose
// recorded bench is b (see StoreTx.Feed).
const AudiencePrefix = "bench:"

// Audience addresses a feed change to every station running bench.
func Audience(bench string) string { return AudiencePrefix + bench }

// PackBenches is every pack bench of the site: where totes go.
var PackBenches = Audience(protocol.BenchPack)

// PickCarts is every pick cart of the site: they learn which totes hold
// an order, so that no cart puts a second order in one.
var PickCarts = Audience(protocol.BenchPick)

// StoreTx is one transaction's data access. "Not found" is a false ok
// or a zero value, never an error: what it means is for the Service to
// say. Lists come in a fixed order, named on each method.
type StoreTx interface {
	// Tokens and stations. Token finds a token by its hash, revoked or
	// expired ones too (the Service judges them).
	Token(hash string) (TokenRecord, bool, error)
	// PutToken adds a token (its ID and Hash are unique).
	PutToken(t TokenRecord) error
	// AnyToken reports whether a token of kind exists that is not revoked.
	AnyToken(kind string) (bool, error)
	Tokens() ([]TokenRecord, error) // by id
	// RevokeToken stamps the token's revocation; false when no token has
	// the id. Revoking a revoked token keeps its first stamp.
	RevokeToken(id string, at time.Time) (bool, error)
	// InsertAudit records an admin action (ID is the store's).
	InsertAudit(a AuditEntry) error
	AuditLog(after int64, limit int) ([]AuditEntry, error) // by id
	Station(id string) (protocol.StationInfo, bool, error)
	Stations() ([]protocol.StationInfo, error) // by id
	// MaxStationNumber is the highest number ever given (0 for none).
	MaxStationNumber() (int, error)
	// InsertStation adds a station: ID, Name, Number and RegisteredAt;
	// mark 0, epoch 1.
	InsertStation(s protocol.StationInfo) error
	SetStationMark(id string, mark int64, at time.Time) error
	SetStationEpoch(id string, epoch int64) error
	SetStationPulled(id string, at time.Time) error
	// SetStationBench records the bench the station said it runs
	// (Station's Bench).
	SetStationBench(id, bench string) error

	// The stations' events, kept as pushed with their outcomes.
	InsertEvent(e protocol.StoredEvent) error
	// HeldEventIDs finds which of ids the hub holds, from any station:
	// each to its station and seq (the first by station and seq when,
	// from before ids were checked, several share it). One query for a
	// push, not one per event.
	HeldEventIDs(ids []string) (map[string]EventRef, error)
	Events(station string, after int64, limit int) ([]protocol.StoredEvent, error) // by seq
	InsertConflict(c protocol.Conflict) error                                      // ID is the store's
	Conflicts(after int64, limit int) ([]protocol.Conflict, error)                 // by id
	OrderConflicts(order string) ([]protocol.Conflict, error)                      // by id

	// Reference data.
	PutOperator(o floor.Operator) error
	PutLocation(l protocol.Location) error
	Location(code string) (protocol.Location, bool, error)
	// PutItem writes an item with its GTINs (replacing the ones it had).
	PutItem(it protocol.Item) error
	// SKUsFolded lists the SKUs equal to sku ignoring letter case, by
	// SKU. Case is ASCII case (SQLite's NOCASE), as stations match scans;
	// a PostgreSQL store must fold the same way, not with Unicode lower().
	SKUsFolded(sku string) ([]string, error)
	// ItemLocation is the item's home location code ("" for none).
	ItemLocation(sku string) (string, bool, error)

	// Orders. Order reads one with its lines (by line), holds (by reason)
	// and status.
	Order(id string) (OrderRecord, bool, error)
	// PutOrder adds an order or changes its own fields; a new order is
	// open. Status, cancel reason, lines and holds are not written.
	PutOrder(o protocol.Order, at time.Time) error
	ReplaceOrderLines(order string, lines []protocol.OrderLine) error
	SetOrderStatus(order, status, cancelReason string) error
	// PutHold adds a hold or changes its note.
	PutHold(order string, h protocol.Hold, at time.Time) error
	DeleteHold(order, reason string) (bool, error)
	// OrderWave is the wave holding the order's tasks ("" for none).
	OrderWave(order string) (string, error)
	// StationsOf lists the stations whose waves hold the order, by id.
	StationsOf(order string) ([]string, error)

	// Waves and their pick tasks.
	Wave(id string) (protocol.Wave, bool, error)
	InsertWave(id string, at time.Time) error // status released, no station
	SetWaveStation(id, station string) error
	SetWaveStatus(id, status string) error
	InsertTask(t protocol.Task) error               // ID is the store's
	WaveTasks(wave string) ([]protocol.Task, error) // by id

	// Carrier labels.
	PutLabel(l protocol.Label, at time.Time) error // replaces the order's label of that tracking number
	Labels(order string) ([]protocol.Label, error) // by time added, then tracking

	// The fulfilment projection.
	Tally(order string, line int) (LineTally, error) // zero for none
	PutTally(order string, t LineTally) error
	Tallies(order string) ([]LineTally, error) // by line
	// Parcels lists an order's cartons, by key.
	Parcels(order string) ([]ParcelRecord, error)
	// PutParcel writes a carton, replacing the one under its key and its lines.
	PutParcel(order string, p ParcelRecord) error
	// ParcelsWithSSCC lists the cartons recorded under an SSCC, by order then key.
	ParcelsWithSSCC(sscc string) ([]ParcelRef, error)

	// The change feed (see Store on its ordering).
	// AppendFeed appends changes as one group, in the order given.
	AppendFeed(changes ...FeedEntry) error
	FeedSafe() (int64, error)
	// FeedTag is the tag of the change at seq, which a cursor carries.
	FeedTag(seq int64) (int64, bool, error)
	// Feed lists changes for station after after and at or below upTo,
	// by seq, at most limit: those addressed to it, to every station, and
	// to the audience of the bench it runs (Audience of its recorded
	// Bench; none while it has stated none).
	Feed(station string, after, upTo int64, limit int) ([]FeedChange, error)
	// FeedGroup lists the station's changes of group after after, by seq.
	FeedGroup(station string, after, group int64) ([]FeedChange, error)

	// The supervisor's aggregates (aggregates.go), kept by each push.
	// AggVersion is their version; with next it first moves it on by one.
	AggVersion(next bool) (int64, error)
	// AddCounts adds each Value to its counter (a new one starts at zero)
	// and stamps the counter with the count's Version.
	AddCounts(cs []Count) error
	// Counts lists a scope's counters whose version is above after, the
	// totals (bucket 0) and the buckets from fromBucket on, by key,
	// metric, bucket.
	Counts(scope string, after, fromBucket int64) ([]Count, error)
	AggOrder(order string) (AggOrder, bool, error)
	PutAggOrder(o AggOrder) error              // replaces the order's row
	AggOrders(wave string) ([]AggOrder, error) // by order
	// LateOrders counts a wave's orders with a ship-by before before that
	// are not shipped, returned or cancelled.
	LateOrders(wave string, before time.Time) (int, error)
	// PutOperatorSeen keeps the later of the held and the given (by At,
	// then Station).
	PutOperatorSeen(s OperatorSeen) error
	OperatorsSeen(after int64) ([]OperatorSeen, error) // by badge
	// The order's life (docs/order-life.md): one record per order,
	// replaced whole. OrderLife's false ok: none written yet.
	OrderLife(order string) (LifeRecord, bool, error)
	PutOrderLife(order string, r LifeRecord) error
	// ShelvedOrders lists the orders whose goods wait on a holding shelf
	// (a record whose ShelfLocation is not ""), by id.
	ShelvedOrders() ([]string, error)
	// PutItemLocations sets the other pick faces holding an item (besides
	// its home location), in the order given, replacing the ones it had.
	PutItemLocations(sku string, locations []string) error
	ItemLocations(sku string) ([]string, error) // in the order put

	// Totes as the carts fill them (totes.go). Tote reads a tote's
	// record without its units.
	Tote(code string) (ToteRecord, bool, error)
	PutTote(t ToteRecord) error
	// TotesOf lists the totes that hold the order now, by code.
	TotesOf(order string) ([]string, error)
	// InsertToteUnit records units picked into a tote; a station's event
	// (Station, Seq) is recorded once.
	InsertToteUnit(u ToteUnitRecord) error
	// DeleteLastToteUnit removes the station's latest unit row of task
	// when it counts qty units (an undo takes back exactly the last
	// pick), and returns it; false when there is none such.
	DeleteLastToteUnit(station string, task int64, qty int) (ToteUnitRecord, bool, error)
	// ToteUnits lists what a fill of a tote holds, by station then seq.
	ToteUnits(tote string, fill int64) ([]protocol.ToteUnit, error)
	// AddShort adds a short pick of the order to its station and task.
	AddShort(order string, s protocol.ToteShort) error
	// Shorts lists the order's short picks, by station then task.
	Shorts(order string) ([]protocol.ToteShort, error)
	// AddPacked adds labelled units to the station's shipment line.
	AddPacked(order string, p protocol.TotePacked) error
	// DeletePacked forgets a station's shipment (voided).
	DeletePacked(order, station, shipment string) error
	// Packed lists the order's labelled units, by station, shipment, line.
	Packed(order string) ([]protocol.TotePacked, error)
	// Probe writes the time of a readiness probe where nothing reads it:
	// a store that cannot write fails it (/readyz).
	Probe(at time.Time) error

	// Exception resolutions (resolve.go). OperatorRoles are the badge's
	// roles at the hub (false: no such operator).
	OperatorRoles(badge string) ([]floor.Role, bool, error)
	Conflict(id int64) (protocol.Conflict, bool, error)
	// PutResolution records a conflict's resolution; false when it has
	// one already (the first stands).
	PutResolution(r Resolution) (bool, error)
	Resolutions(after int64, limit int) ([]Resolution, error) // by conflict
	// Exceptions raised from stations' events (resolve_floor.go).
	// RaiseException adds an open one (ID is the store's); false when an
	// open one of the same station, kind and non-empty Ref exists.
	RaiseException(e FloorException) (int64, bool, error)
	FloorException(id int64) (FloorException, bool, error)
	OpenExceptions(after int64, limit int) ([]FloorException, error) // unresolved, by id
	// ResolveException records the exception's resolution; false when it
	// has one already (the first stands) or there is no such exception.
	ResolveException(id int64, r Resolution) (bool, error)
	// Cycle-count tasks (ID is the store's); PutCount writes a task's
	// status, count and counter.
	InsertCount(c protocol.Count) (int64, error)
	Count(id int64) (protocol.Count, bool, error)
	PutCount(c protocol.Count) error

	// The supervisor's station (story.go, sitehealth.go). IndexOrderEvent
	// records that a station's event names the order (once); OrderEvents
	// lists the order's events, the newest limit by device time, oldest
	// first, and whether there were more.
	IndexOrderEvent(order, station string, seq int64) error
	OrderEvents(order string, limit int) ([]protocol.StoredEvent, bool, error)
	// PutStationDevices replaces a station's devices; StationDevices
	// lists every station's, by station, kind and device.
	PutStationDevices(station string, ds []protocol.DeviceState, at time.Time) error
	StationDevices() (map[string][]protocol.DeviceState, error)
	// PutStationFacts keeps what a station last said of itself (events
	// waiting, the operator signed in, f.At when); StationFacts reads
	// every station's, by station.
	PutStationFacts(station string, f protocol.StationFacts) error
	StationFacts() (map[string]protocol.StationFacts, error)

	// Settings as stored, by name; absent ones have their default.
	Settings() (map[string]string, error)
	PutSetting(name, value string) error

	// The outbox of facts and webhook deliveries (outbox.go).
	OutboxTx

	// Badge locks after wrong PINs (badgelock.go): one row per badge,
	// replaced whole; BadgeLocks lists them by badge.
	BadgeLock(badge string) (protocol.BadgeLock, bool, error)
	PutBadgeLock(b protocol.BadgeLock) error
	BadgeLocks() ([]protocol.BadgeLock, error)
	// StationBytes is what the station's pushed events take at the hub
	// (0 for an unknown station); AddStationBytes adds to it (quota.go).
	StationBytes(id string) (int64, error)
	AddStationBytes(id string, n int64) error
	// Connectors' durable state (connector.go).
	ConnectorTx
}

// ToteRecord is a tote as the hub keeps it (see protocol.Tote).
type ToteRecord struct {
	Code    string
	Order   string // "" when free
	Fill    int64
	Freed   string
	FreedBy string
	// Version moves (up) in every transaction in which units join or
	// leave the tote: units of a fill read at one version are its units
	// while the version stays.
	Version int64
}

// ToteUnitRecord is units picked into a fill of a tote for an order.
type ToteUnitRecord struct {
	Tote  string
	Fill  int64
	Order string
	protocol.ToteUnit
}

// OrderRecord is an order as the hub keeps it.
type OrderRecord struct {
	protocol.Order
	CancelReason string
}

// LineTally is what the floor reported on one order line.
type LineTally struct {
	Line                    int
	Picked, Short, Returned int
}

// ParcelRecord is a carton of an order, keyed by its SSCC, else its
// tracking number.
type ParcelRecord struct {
	Key      string
	Shipment string
	SSCC     string
	Tracking string
	Carrier  string
	Status   string
	Lines    []LineQty
	// Ready: its shipment completed at the pack bench (labels printed),
	// so the dispatch benches are sent it (parcels.go).
	Ready bool
}

// EventRef names a held event.
type EventRef struct {
	Station string
	Seq     int64
}

// ParcelRef names a carton's order and shipment.
type ParcelRef struct {
	Order    string
	Shipment string
}

// FeedEntry is a change addressed to a station (or EveryStation).
type FeedEntry struct {
	Station string
	Change  protocol.Change
}

// FeedChange is a change as the feed holds it.
type FeedChange struct {
	Seq, Group, Tag int64
	Change          protocol.Change
}
