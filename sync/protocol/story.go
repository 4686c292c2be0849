package protocol

import "time"

// PathFigureOrders is where a station's token reads an order's story:
// /sync/v1/orders/{id}/story (readers: /api/v1/orders/{id}/story).
const PathFigureOrders = "/sync/v1/orders"

// OrderStory is one order's lines and its story: every event the hub
// holds that names the order, from every station, in the order they
// happened on the floor (device time, then station and sequence).
type OrderStory struct {
	At     time.Time    `json:"at"`
	Order  string       `json:"order"`
	Status string       `json:"status"`
	Wave   string       `json:"wave,omitempty"`
	Lines  []StoryLine  `json:"lines"`
	Events []StoryEvent `json:"events"`
	// More is true when the story had more events than were sent (the
	// newest are kept).
	More bool `json:"more,omitempty"`
}

// StoryLine is one order line and what the floor did with it.
type StoryLine struct {
	Line    int    `json:"line"`
	SKU     string `json:"sku"`
	Ordered int    `json:"ordered"`
	Picked  int    `json:"picked"`
	Short   int    `json:"short"`
}

// StoryEvent is one event of an order's story: who did what, where and
// when, and whether the hub took it.
type StoryEvent struct {
	At       time.Time `json:"at"` // the device's time
	Station  string    `json:"station"`
	Seq      int64     `json:"seq"`
	Operator string    `json:"operator,omitempty"`
	Type     string    `json:"type"`
	// What is the event in words (units, SKU, location, tote, carton).
	What   string `json:"what,omitempty"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}
