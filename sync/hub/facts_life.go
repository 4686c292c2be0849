package hub

// WatchLife reads, before a life step writes them, the cartons of the
// orders it moves: a dock station's pickup_closed names no order, so no
// effect of its push watched the orders it ships, and their order.shipped
// fact was lost when the cartons were packed in another push.
func (ft *factTracker) WatchLife(step *lifeStep) error {
	if step == nil {
		return nil
	}
	for _, pw := range step.parcels {
		if err := ft.Watch(pw.order); err != nil {
			return err
		}
		if err := ft.WatchParcels([]Effect{{Order: pw.order, Parcel: &ParcelEffect{}}}); err != nil {
			return err
		}
	}
	return nil
}
