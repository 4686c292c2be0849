package pgstore

import (
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
)

// Event ids are unique across stations (docs/sync-protocol.md): a push
// asks which of its ids the hub holds (HeldEventIDs). Read from the
// events' index, under SERIALIZABLE that read locked the index pages the
// ids would be on, and every other station inserting its own ids near
// them "wrote" what it read: pushes failed each other on it.
//
// So ids are claimed instead of looked for (migration 0017): a push
// inserts its ids into event_ids, one row per id, ON CONFLICT DO NOTHING.
// The ids it claimed are new; only those already there are looked up in
// events, where their holder is (a claim whose events were never written
// holds nothing). An insert locks no page for reading. Two pushes that
// claim one id at once meet on the row: the second waits for the first
// and, once it commits, fails with a serialization error (the row is not
// in its snapshot), runs again and finds the id held, so the rule refuses
// it with its reason as before. Every event inserted claims its id too.
//
// An id is almost always new, so a push first claims its ids expecting
// them all new: a plain INSERT, queued with its next statements (no round
// trip and no rows of its own, and cheaper than ON CONFLICT ... RETURNING
// for PostgreSQL). Should one be held, the INSERT fails the transaction
// with a unique violation, nothing of it is kept, and Tx runs it again
// careful: claiming as above, so that the rule refuses the held ids' events.

// qClaimIDs claims ids, in order (two pushes claiming the same ids take
// them in the same order), and gives the ones claimed.
const qClaimIDs = `INSERT INTO event_ids(event_id) SELECT DISTINCT id FROM unnest($1::text[]) AS u(id) ORDER BY id
	ON CONFLICT DO NOTHING RETURNING event_id`

// qClaimNew claims ids expected new (distinct, in order, as qClaimIDs).
const qClaimNew = `INSERT INTO event_ids(event_id) SELECT id FROM unnest($1::text[]) AS u(id) ORDER BY id`

func (t *storeTx) claim(id string) {
	if t.claimed == nil {
		t.claimed = map[string]bool{}
	}
	t.claimed[id] = true
}

func (t *storeTx) HeldEventIDs(ids []string) (map[string]hub.EventRef, error) {
	out := map[string]hub.EventRef{}
	if len(ids) == 0 {
		return out, nil
	}
	look := ids
	if t.write && !t.careful {
		fresh := make([]string, 0, len(ids))
		for _, id := range ids {
			if !t.claimed[id] { // an id twice in a push is the rule's to refuse
				t.claim(id)
				fresh = append(fresh, id)
			}
		}
		return out, t.run(qClaimNew, fresh)
	}
	if t.write {
		got, err := list(t, qClaimIDs, args(ids), func(r pgx.Rows, s *string) error { return r.Scan(s) })
		if err != nil {
			return out, err
		}
		for _, id := range ids {
			t.claim(id)
		}
		fresh := map[string]bool{}
		for _, id := range got {
			fresh[id] = true
		}
		look = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return fresh[id] })
		if len(look) == 0 {
			return out, nil
		}
	}
	refs, err := list(t, `SELECT DISTINCT ON (event_id) event_id, station, seq FROM events WHERE event_id = ANY($1) ORDER BY event_id, station, seq`, args(look),
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
