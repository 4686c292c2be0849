package hub

// WatchStep watches the orders whose cartons an order-life step moves,
// before the step writes them. A pickup's close names only SSCCs, so
// its event refers to no order: without this, a dispatch bench's push
// (its own push, as on a real floor) shipped cartons and no order.shipped
// fact was written.
func (ft *factTracker) WatchStep(l *lifeStep) error {
	if l == nil {
		return nil
	}
	for _, p := range l.parcels {
		if _, ok := ft.before[p.order]; !ok {
			rec, known, err := ft.tx.Order(p.order)
			if err != nil {
				return err
			}
			ft.WatchRecord(rec, known)
		}
		if err := ft.WatchParcels([]Effect{{Order: p.order, Parcel: &ParcelEffect{}}}); err != nil {
			return err
		}
	}
	return nil
}
