package store

// What waits at a bench from other stations, as the hub sent it: the
// demo's hints (F12) list it.

import "context"

// HubTotesHolding are the totes the hub says hold an order, by order:
// what other stations picked that this one may pack.
func (s *Store) HubTotesHolding(ctx context.Context) ([]string, error) {
	return s.codes(ctx, `SELECT code FROM hub_totes WHERE order_id <> '' ORDER BY order_id, code`)
}

// HubParcelsReady are the SSCCs of the parcels the hub says are ready at
// the dock and no pickup of this station holds, by order and SSCC: what
// other stations packed that this one may load.
func (s *Store) HubParcelsReady(ctx context.Context) ([]string, error) {
	return s.codes(ctx, `SELECT h.sscc FROM hub_parcels h WHERE h.status = 'ready' AND h.pickup_id = ''
		AND NOT EXISTS (SELECT 1 FROM pickup_parcels pp WHERE pp.sscc = h.sscc)
		ORDER BY h.order_id, h.sscc`)
}

// codes reads one text column.
func (s *Store) codes(ctx context.Context, query string) ([]string, error) {
	rows, err := s.db.R.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	return out, rows.Err()
}
