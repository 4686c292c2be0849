package store

import "context"

// HubTotesHolding are the totes the hub says hold an order, by order:
// what other stations picked that this one may pack.
func (s *Store) HubTotesHolding(ctx context.Context) ([]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT code FROM hub_totes WHERE order_id <> '' ORDER BY order_id, code`)
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
