package floor

// Goods back to stock. When a cart learns that an order it picked was
// cancelled (EvOrderWithdrawn), the goods already in its totes are to go
// back to the locations they came from; the hub keeps a restock task for
// them. The picker confirms each line on the floor: the tote, then the
// location the goods went back to (EvStockReturned), which syncs and
// closes the hub's restock task.
const EvStockReturned EventType = "stock.returned"

// StockReturn is a line of goods of a cancelled order waiting to go back
// to stock (one of its withdrawal's returns).
type StockReturn struct {
	Order string `json:"order"`
	ReturnLine
}

// StockReturnedPayload is stock.returned's: the line put back, from its
// tote to its location.
type StockReturnedPayload = StockReturn
