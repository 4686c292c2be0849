package pgstore

import (
	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
)

// Event ids are unique across stations (docs/sync-protocol.md): a push
// asks which of its ids the hub holds (HeldEventIDs). Read from the
// events' index, under SERIALIZABLE that read locked the index pages the
// ids would be on, and every other station inserting its own ids near
// them "wrote" what it read: pushes failed each other on it.
//
// So ids are claimed instead of looked for (migration 0017): each event
// inserted claims its id in event_ids, one row per id naming its holder
// (migration 0019), the first by station and seq of the events pushed
// with it. An insert locks no page for reading, and the holder kept
// there is why the events need no index by id (every event inserted paid
// for an entry in it). Two pushes that claim one id at once meet on the
// row: the second waits for the first and, once it commits, fails with a
// serialization error (the row is not in its snapshot), runs again and
// finds the id held, so the rule refuses it with its reason as before.
//
// An id is almost always new, so a push first expects its ids all new:
// HeldEventIDs answers none held and sends nothing, and each event's
// claim is a plain INSERT sent with the event's own row (no round trip
// of its own, and cheaper than ON CONFLICT). Should one be held, the
// INSERT fails the transaction with a unique violation, nothing of it is
// kept, and Tx runs it again careful: HeldEventIDs reads the holders, and
// each claim takes the id when no event holds it, or holds it for the
// event when that comes first by station and seq (a refused event, kept
// with the id it was pushed with).

// qClaimNew claims ids expected new, in order (two pushes claiming the
// same ids take them in the same order).
const qClaimNew = `INSERT INTO event_ids(event_id, station, seq)
	SELECT unnest($1::text[]) AS id, unnest($2::text[]), unnest($3::bigint[]) ORDER BY id`

// qClaimIDs claims ids that may be held, in order, keeping the first
// holder by station and seq.
const qClaimIDs = `INSERT INTO event_ids(event_id, station, seq)
	SELECT unnest($1::text[]) AS id, unnest($2::text[]), unnest($3::bigint[]) ORDER BY id
	ON CONFLICT (event_id) DO UPDATE SET station = excluded.station, seq = excluded.seq
	WHERE event_ids.station = '' OR (excluded.station, excluded.seq) < (event_ids.station, event_ids.seq)`

// claims are event ids to claim with their holders, column by column.
type claims struct {
	id, station []string
	seq         []int64
}

func (c *claims) add(id, station string, seq int64) {
	c.id, c.station, c.seq = append(c.id, id), append(c.station, station), append(c.seq, seq)
}

// claim is what this transaction knows of one event id.
type claim struct {
	// fresh: expected new (the fast path); else maybe held.
	fresh bool
	// done: claimed for holder by an event this transaction inserted.
	done   bool
	holder hub.EventRef
}

// expect notes that an event of this push has id, to claim when the
// event is inserted.
func (t *storeTx) expect(id string, fresh bool) {
	if t.claimed == nil {
		t.claimed = map[string]*claim{}
	}
	if t.claimed[id] == nil {
		t.claimed[id] = &claim{fresh: fresh}
	}
}

// claimFor queues the claim of an inserted event's id, spilled with the
// event's row.
func (t *storeTx) claimFor(id, station string, seq int64) error {
	c := t.claimed[id]
	switch {
	case c == nil:
		// Not announced by HeldEventIDs: claimed as maybe held.
		t.expect(id, false)
		c = t.claimed[id]
	case c.done:
		// Claimed by an earlier event of this transaction, so held by
		// it or by one before it: this one holds it only when it comes
		// first (same id, two stations).
		if station > c.holder.Station || station == c.holder.Station && seq >= c.holder.Seq {
			return nil
		}
		c.holder = hub.EventRef{Station: station, Seq: seq}
		return t.run(`UPDATE event_ids SET station=$2, seq=$3 WHERE event_id=$1 AND (station = '' OR ($2, $3) < (station, seq))`, id, station, seq)
	}
	if c.fresh {
		t.bulk.claimNew.add(id, station, seq)
	} else {
		t.bulk.claimHeld.add(id, station, seq)
	}
	c.done, c.holder = true, hub.EventRef{Station: station, Seq: seq}
	return nil
}

func (t *storeTx) HeldEventIDs(ids []string) (map[string]hub.EventRef, error) {
	out := map[string]hub.EventRef{}
	if len(ids) == 0 {
		return out, nil
	}
	if t.write && !t.careful {
		for _, id := range ids {
			t.expect(id, true)
		}
		return out, nil
	}
	if t.write {
		for _, id := range ids {
			t.expect(id, false)
		}
	}
	refs, err := list(t, `SELECT event_id, station, seq FROM event_ids WHERE event_id = ANY($1) AND station <> ''`, args(ids),
		func(r pgx.Rows, v *[2]any) error {
			var id, st string
			var seq int64
			if err := r.Scan(&id, &st, &seq); err != nil {
				return err
			}
			v[0], v[1] = id, hub.EventRef{Station: st, Seq: seq}
			return nil
		})
	for _, v := range refs {
		out[v[0].(string)] = v[1].(hub.EventRef)
	}
	return out, err
}
