// Package shopifytest is an in-process contract server for the GraphQL
// Admin API 2025-01, for sync/shopify's tests: the documented operations
// a fulfillment service uses, their userErrors, throttling and partial
// failures (README.md names the reference pages).
package shopifytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Version is the API version served.
const Version = "2025-01"

// Fault is what the server does to one call instead of (or after)
// answering it.
type Fault struct {
	Throttled bool // THROTTLED with the bucket nearly empty
	// Available is the bucket's level reported with Throttled (and with
	// Low, on an answer that worked).
	Available float64
	Status    int    // an HTTP status (429, 500, 502, 503) instead of an answer
	After     string // Retry-After with Status
	// Lost: the mutation is applied, then the answer is a 502 (the
	// network or a proxy lost it).
	Lost bool
	// Low: the call works; the bucket is reported at Available.
	Low bool
}

// Server is the contract server.
type Server struct {
	*httptest.Server
	Token    string
	Location string

	mu     sync.Mutex
	fos    map[string]*FO
	order  []string
	faults map[string][]Fault // by operation root field
	calls  []string
	nextID int
}

// FO is a fulfillment order as the server keeps it.
type FO struct {
	ID            string
	Status        string // OPEN, IN_PROGRESS, ON_HOLD, CLOSED, CANCELLED
	RequestStatus string // SUBMITTED, ACCEPTED, REJECTED, CANCELLATION_REQUESTED, CANCELLATION_ACCEPTED, CANCELLATION_REJECTED, CLOSED
	Location      string
	OrderName     string
	FulfillBy     string
	Destination   map[string]any
	Lines         []*Line
	Holds         []Hold
	Fulfillments  []Fulfillment
	Messages      []string // messages of accepts and rejections, in order
	RejectReason  string
}

// Line is a fulfillment order line item.
type Line struct {
	ID        string
	SKU       string
	Title     string
	Total     int
	Remaining int
}

// Hold is a fulfillment hold.
type Hold struct {
	ID, Handle, Reason, Notes string
	ByApp                     bool
}

// Fulfillment is a fulfillment made of a fulfillment order.
type Fulfillment struct {
	ID       string
	Company  string
	Numbers  []string
	URLs     []string
	Items    map[string]int
	Notified bool
}

// New starts a server on loopback; t's cleanup closes it.
func New(token, location string) *Server {
	s := &Server{Token: token, Location: location, fos: map[string]*FO{}, faults: map[string][]Fault{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the GraphQL address.
func (s *Server) Endpoint() string { return s.URL + "/admin/api/" + Version + "/graphql.json" }

// Add puts a fulfillment order in (its ID, line ids and Location are
// given if empty); RequestStatus SUBMITTED makes it requested.
func (s *Server) Add(fo FO) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	if fo.ID == "" {
		fo.ID = fmt.Sprintf("gid://shopify/FulfillmentOrder/%d", 1000+s.nextID)
	}
	if fo.Location == "" {
		fo.Location = s.Location
	}
	if fo.Status == "" {
		fo.Status = "OPEN"
	}
	if fo.RequestStatus == "" {
		fo.RequestStatus = "SUBMITTED"
	}
	for i, l := range fo.Lines {
		if l.ID == "" {
			l.ID = fmt.Sprintf("gid://shopify/FulfillmentOrderLineItem/%d%02d", 1000+s.nextID, i+1)
		}
		if l.Remaining == 0 && l.Total > 0 {
			l.Remaining = l.Total
		}
	}
	f := fo
	s.fos[fo.ID] = &f
	s.order = append(s.order, fo.ID)
	return fo.ID
}

// RequestCancellation is the merchant asking to cancel an accepted order.
func (s *Server) RequestCancellation(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fos[id].RequestStatus = "CANCELLATION_REQUESTED"
}

// Resubmit is the merchant requesting fulfillment of it again.
func (s *Server) Resubmit(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fos[id].RequestStatus, s.fos[id].Status = "SUBMITTED", "OPEN"
}

// Get returns a copy of a fulfillment order.
func (s *Server) Get(id string) FO {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := *s.fos[id]
	f.Lines = nil
	for _, l := range s.fos[id].Lines {
		c := *l
		f.Lines = append(f.Lines, &c)
	}
	f.Holds = slices.Clone(f.Holds)
	f.Fulfillments = slices.Clone(f.Fulfillments)
	return f
}

// Fail queues faults for the next calls of an operation (by its root
// field, e.g. "fulfillmentCreate"; "" for any).
func (s *Server) Fail(op string, fs ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], fs...)
}

// Calls lists the root fields called, in order.
func (s *Server) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// assignment is a fulfillment order's FulfillmentOrderAssignmentStatus.
func (fo *FO) assignment() string {
	switch fo.RequestStatus {
	case "SUBMITTED":
		return "FULFILLMENT_REQUESTED"
	case "ACCEPTED", "CANCELLATION_REJECTED":
		return "FULFILLMENT_ACCEPTED"
	case "CANCELLATION_REQUESTED":
		return "CANCELLATION_REQUESTED"
	case "UNSUBMITTED":
		return "FULFILLMENT_UNSUBMITTED"
	}
	return ""
}

var (
	opRe   = regexp.MustCompile(`^\s*(?:#[^\n]*\n\s*)*(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\(([^)]*)\))?\s*\{\s*([A-Za-z_][A-Za-z0-9_]*)`)
	varsRe = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z_\[\]!]+)`)
)

// declared: the variable types each root field must be called with,
// as the 2025-01 reference types its arguments.
var declared = map[string]map[string]string{
	"assignedFulfillmentOrders":                 {"status": "FulfillmentOrderAssignmentStatus"},
	"fulfillmentOrder":                          {"id": "ID!"},
	"fulfillmentOrderAcceptFulfillmentRequest":  {"id": "ID!", "message": "String"},
	"fulfillmentOrderRejectFulfillmentRequest":  {"id": "ID!", "reason": "FulfillmentOrderRejectionReason", "message": "String"},
	"fulfillmentOrderAcceptCancellationRequest": {"id": "ID!", "message": "String"},
	"fulfillmentOrderRejectCancellationRequest": {"id": "ID!", "message": "String"},
	"fulfillmentOrderHold":                      {"id": "ID!", "fulfillmentHold": "FulfillmentOrderHoldInput!"},
	"fulfillmentOrderReleaseHold":               {"id": "ID!", "holdIds": "[ID!]"},
	"fulfillmentOrderClose":                     {"id": "ID!", "message": "String"},
	"fulfillmentCreate":                         {"fulfillment": "FulfillmentInput!"},
}

var costs = map[string]float64{"assignedFulfillmentOrders": 52, "fulfillmentOrder": 35}

const (
	bucketMax   = 2000
	restoreRate = 100
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/admin/api/"+Version+"/graphql.json" {
		http.Error(w, `{"errors":"Not Found"}`, http.StatusNotFound)
		return
	}
	if r.Header.Get("X-Shopify-Access-Token") != s.Token {
		http.Error(w, `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`, http.StatusUnauthorized)
		return
	}
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, 400, map[string]any{"errors": []map[string]any{{"message": "invalid JSON"}}})
		return
	}
	m := opRe.FindStringSubmatch(req.Query)
	if m == nil {
		writeJSON(w, 200, map[string]any{"errors": []map[string]any{{"message": "syntax error: no operation", "extensions": map[string]any{"code": "PARSE_ERROR"}}}})
		return
	}
	kind, field := m[1], m[5]
	want, known := declared[field]
	isQuery := field == "assignedFulfillmentOrders" || field == "fulfillmentOrder"
	if !known || (kind == "query") != isQuery {
		writeJSON(w, 200, gqlErr("Field '"+field+"' doesn't exist on type '"+map[string]string{"query": "QueryRoot", "mutation": "Mutation"}[kind]+"'", "undefinedField"))
		return
	}
	got := map[string]string{}
	for _, v := range varsRe.FindAllStringSubmatch(m[4], -1) {
		got[v[1]] = v[2]
	}
	for name, typ := range want {
		// A non-null variable may fill a nullable argument (GraphQL's
		// variables-in-allowed-positions rule), not the other way round.
		if got[name] != typ && !(got[name] == typ+"!" && !strings.HasSuffix(typ, "!")) {
			writeJSON(w, 200, gqlErr(fmt.Sprintf("Variable $%s is declared as %q; %s takes %s", name, got[name], field, typ), "variableMismatch"))
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, field)
	var f Fault
	for _, k := range []string{field, ""} {
		if q := s.faults[k]; len(q) > 0 {
			f, s.faults[k] = q[0], q[1:]
			break
		}
	}
	cost := costs[field]
	if cost == 0 {
		cost = 10
	}
	ext := func(available float64, actual float64) map[string]any {
		return map[string]any{"cost": map[string]any{"requestedQueryCost": cost, "actualQueryCost": actual,
			"throttleStatus": map[string]any{"maximumAvailable": bucketMax, "currentlyAvailable": available, "restoreRate": restoreRate}}}
	}
	switch {
	case f.Throttled:
		writeJSON(w, 200, map[string]any{"errors": []map[string]any{{"message": "Throttled", "extensions": map[string]any{"code": "THROTTLED",
			"documentation": "https://shopify.dev/api/usage/rate-limits"}}}, "extensions": ext(f.Available, 0)})
		return
	case f.Status != 0:
		if f.After != "" {
			w.Header().Set("Retry-After", f.After)
		}
		http.Error(w, http.StatusText(f.Status), f.Status)
		return
	}
	data := s.run(field, req.Variables)
	if f.Lost {
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
		return
	}
	available := float64(bucketMax) - cost
	if f.Low {
		available = f.Available
	}
	writeJSON(w, 200, map[string]any{"data": map[string]any{field: data}, "extensions": ext(available, cost)})
}

func gqlErr(msg, code string) map[string]any {
	return map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func userErrors(msgs ...string) []map[string]any {
	out := []map[string]any{}
	for _, m := range msgs {
		out = append(out, map[string]any{"field": []string{"id"}, "message": m})
	}
	return out
}

// run applies one operation (the lock held) and returns its data.
func (s *Server) run(field string, v map[string]any) any {
	id, _ := v["id"].(string)
	fo := s.fos[id]
	payload := func(errs []map[string]any) map[string]any {
		p := map[string]any{"userErrors": errs, "fulfillmentOrder": nil}
		if fo != nil && len(errs) == 0 {
			p["fulfillmentOrder"] = map[string]any{"id": fo.ID, "status": fo.Status, "requestStatus": fo.RequestStatus}
		}
		return p
	}
	notFound := userErrors("Fulfillment order does not exist.")
	switch field {
	case "assignedFulfillmentOrders":
		return s.assigned(v)
	case "fulfillmentOrder":
		if fo == nil {
			return nil
		}
		return fo.json()
	case "fulfillmentOrderAcceptFulfillmentRequest":
		if fo == nil {
			return payload(notFound)
		}
		if fo.RequestStatus != "SUBMITTED" {
			return payload(userErrors("Cannot accept fulfillment request for the fulfillment order."))
		}
		fo.RequestStatus, fo.Status = "ACCEPTED", "IN_PROGRESS"
		fo.Messages = append(fo.Messages, str(v["message"]))
		return payload(nil)
	case "fulfillmentOrderRejectFulfillmentRequest":
		if fo == nil {
			return payload(notFound)
		}
		reason := str(v["reason"])
		if reason != "" && !slices.Contains([]string{"INCORRECT_ADDRESS", "INELIGIBLE_PRODUCT", "INVENTORY_OUT_OF_STOCK", "UNDELIVERABLE_DESTINATION", "OTHER"}, reason) {
			return map[string]any{"userErrors": userErrors("Variable $reason: Expected \"" + reason + "\" to be one of FulfillmentOrderRejectionReason")}
		}
		if fo.RequestStatus != "SUBMITTED" {
			return payload(userErrors("Cannot reject fulfillment request for the fulfillment order."))
		}
		fo.RequestStatus, fo.RejectReason = "REJECTED", reason
		fo.Messages = append(fo.Messages, str(v["message"]))
		return payload(nil)
	case "fulfillmentOrderAcceptCancellationRequest", "fulfillmentOrderRejectCancellationRequest":
		if fo == nil {
			return payload(notFound)
		}
		if fo.RequestStatus != "CANCELLATION_REQUESTED" {
			return payload(userErrors("Cannot answer a cancellation request for the fulfillment order: none is open."))
		}
		if field == "fulfillmentOrderAcceptCancellationRequest" {
			fo.RequestStatus, fo.Status = "CANCELLATION_ACCEPTED", "CANCELLED"
		} else {
			fo.RequestStatus = "CANCELLATION_REJECTED"
		}
		fo.Messages = append(fo.Messages, str(v["message"]))
		return payload(nil)
	case "fulfillmentOrderHold":
		return s.hold(fo, v)
	case "fulfillmentOrderReleaseHold":
		if fo == nil {
			return payload(notFound)
		}
		ids, _ := v["holdIds"].([]any)
		if len(ids) == 0 {
			fo.Holds = nil // all of them, as documented
		}
		for _, x := range ids {
			i := slices.IndexFunc(fo.Holds, func(h Hold) bool { return h.ID == str(x) })
			if i < 0 {
				return map[string]any{"userErrors": []map[string]any{{"field": []string{"holdIds"}, "message": "Fulfillment hold does not exist.", "code": "INVALID_FULFILLMENT_HOLD_ID"}}, "fulfillmentOrder": nil}
			}
			fo.Holds = slices.Delete(fo.Holds, i, i+1)
		}
		if len(fo.Holds) == 0 && fo.Status == "ON_HOLD" {
			fo.Status = "IN_PROGRESS"
		}
		return payload(nil)
	case "fulfillmentOrderClose":
		// Only the accepting fulfillment service's IN_PROGRESS order with
		// an accepted request; it becomes INCOMPLETE, its request CLOSED.
		if fo == nil {
			return payload(notFound)
		}
		if fo.Location != s.Location || fo.RequestStatus != "ACCEPTED" && fo.RequestStatus != "CANCELLATION_REJECTED" {
			return payload(userErrors("The fulfillment order's fulfillment request has not been accepted."))
		}
		if fo.Status != "IN_PROGRESS" {
			return payload(userErrors("Cannot close a fulfillment order with status " + strings.ToLower(fo.Status) + "; it must be in progress."))
		}
		fo.Status, fo.RequestStatus = "INCOMPLETE", "CLOSED"
		fo.Messages = append(fo.Messages, str(v["message"]))
		return payload(nil)
	case "fulfillmentCreate":
		return s.fulfil(v)
	}
	return nil
}

// PlaceMerchantHold is the merchant (or another app) holding a fulfillment
// order in Shopify's admin; it returns the hold's id.
func (s *Server) PlaceMerchantHold(id, reason, notes string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	h := Hold{ID: fmt.Sprintf("gid://shopify/FulfillmentHold/%d", 5000+s.nextID), Reason: reason, Notes: notes}
	fo := s.fos[id]
	fo.Holds = append(fo.Holds, h)
	if fo.Status == "IN_PROGRESS" || fo.Status == "OPEN" {
		fo.Status = "ON_HOLD"
	}
	return h.ID
}

// ReleaseMerchantHold lifts a hold placed in Shopify's admin.
func (s *Server) ReleaseMerchantHold(id, hold string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fo := s.fos[id]
	fo.Holds = slices.DeleteFunc(fo.Holds, func(h Hold) bool { return h.ID == hold })
	if len(fo.Holds) == 0 && fo.Status == "ON_HOLD" {
		fo.Status = "IN_PROGRESS"
	}
}

var holdReasons = []string{"AWAITING_PAYMENT", "HIGH_RISK_OF_FRAUD", "INCORRECT_ADDRESS", "INVENTORY_OUT_OF_STOCK", "OTHER",
	"UNKNOWN_DELIVERY_DATE", "AWAITING_RETURN_ITEMS"}

func (s *Server) hold(fo *FO, v map[string]any) any {
	errs := func(code, msg string) any {
		return map[string]any{"fulfillmentHold": nil, "fulfillmentOrder": nil, "remainingFulfillmentOrder": nil,
			"userErrors": []map[string]any{{"field": []string{"fulfillmentHold"}, "message": msg, "code": code}}}
	}
	if fo == nil {
		return errs("FULFILLMENT_ORDER_NOT_FOUND", "The fulfillment order could not be found.")
	}
	in, _ := v["fulfillmentHold"].(map[string]any)
	reason := str(in["reason"])
	if !slices.Contains(holdReasons, reason) {
		return errs("INVALID", "Expected \""+reason+"\" to be one of FulfillmentHoldReason")
	}
	handle := str(in["handle"])
	var mine int
	for _, h := range fo.Holds {
		if h.ByApp {
			mine++
			if h.Handle == handle {
				return errs("DUPLICATED_FULFILLMENT_HOLD_HANDLES", "The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.")
			}
		}
	}
	if mine >= 10 {
		return errs("FULFILLMENT_ORDER_HOLD_LIMIT_REACHED", "The maximum number of fulfillment holds for this fulfillment order has been reached for this app.")
	}
	if fo.Status == "CLOSED" || fo.Status == "CANCELLED" {
		return errs("INVALID", "The fulfillment order cannot be put on hold.")
	}
	s.nextID++
	h := Hold{ID: fmt.Sprintf("gid://shopify/FulfillmentHold/%d", 5000+s.nextID), Handle: handle, Reason: reason, Notes: str(in["reasonNotes"]), ByApp: true}
	fo.Holds = append(fo.Holds, h)
	fo.Status = "ON_HOLD"
	return map[string]any{"fulfillmentHold": map[string]any{"id": h.ID, "handle": h.Handle, "reason": h.Reason},
		"fulfillmentOrder": map[string]any{"id": fo.ID, "status": fo.Status}, "remainingFulfillmentOrder": nil, "userErrors": []any{}}
}

func (s *Server) fulfil(v map[string]any) any {
	bad := func(msg string) any {
		return map[string]any{"fulfillment": nil, "userErrors": []map[string]any{{"field": []string{"fulfillment"}, "message": msg}}}
	}
	in, _ := v["fulfillment"].(map[string]any)
	groups, _ := in["lineItemsByFulfillmentOrder"].([]any)
	if len(groups) == 0 {
		return bad("lineItemsByFulfillmentOrder is required.")
	}
	take := map[*Line]int{}
	var fos []*FO
	for _, g := range groups {
		gm, _ := g.(map[string]any)
		fo := s.fos[str(gm["fulfillmentOrderId"])]
		if fo == nil {
			return bad("Fulfillment order does not exist.")
		}
		if fo.Status == "ON_HOLD" {
			return bad("The fulfillment order is on hold and cannot be fulfilled.")
		}
		if fo.RequestStatus != "ACCEPTED" && fo.RequestStatus != "CANCELLATION_REJECTED" {
			return bad("Fulfillment order " + fo.ID + " has an unfulfillable status= " + strings.ToLower(fo.Status) + ".")
		}
		fos = append(fos, fo)
		items, _ := gm["fulfillmentOrderLineItems"].([]any)
		if len(items) == 0 {
			for _, l := range fo.Lines {
				take[l] += l.Remaining
			}
		}
		for _, it := range items {
			im, _ := it.(map[string]any)
			i := slices.IndexFunc(fo.Lines, func(l *Line) bool { return l.ID == str(im["id"]) })
			q, _ := im["quantity"].(float64)
			if i < 0 {
				return bad("Invalid fulfillment order line item id " + str(im["id"]) + ".")
			}
			if q < 1 || int(q)+take[fo.Lines[i]] > fo.Lines[i].Remaining {
				return bad("Invalid fulfillment order line item quantity requested.")
			}
			take[fo.Lines[i]] += int(q)
		}
	}
	s.nextID++
	f := Fulfillment{ID: fmt.Sprintf("gid://shopify/Fulfillment/%d", 7000+s.nextID), Items: map[string]int{}}
	f.Notified, _ = in["notifyCustomer"].(bool)
	if ti, ok := in["trackingInfo"].(map[string]any); ok {
		f.Company = str(ti["company"])
		if n := str(ti["number"]); n != "" {
			f.Numbers = append(f.Numbers, n)
		}
		f.Numbers = append(f.Numbers, asStrings(ti["numbers"])...)
		if u := str(ti["url"]); u != "" {
			f.URLs = append(f.URLs, u)
		}
		f.URLs = append(f.URLs, asStrings(ti["urls"])...)
	}
	for l, q := range take {
		l.Remaining -= q
		f.Items[l.ID] += q
	}
	for _, fo := range fos {
		fo.Fulfillments = append(fo.Fulfillments, f)
		open := 0
		for _, l := range fo.Lines {
			open += l.Remaining
		}
		if open == 0 {
			fo.Status, fo.RequestStatus = "CLOSED", "CLOSED"
		}
	}
	return map[string]any{"fulfillment": f.json(), "userErrors": []any{}}
}

func (f Fulfillment) json() map[string]any {
	var ti []map[string]any
	for i, n := range f.Numbers {
		t := map[string]any{"company": f.Company, "number": n, "url": nil}
		if i < len(f.URLs) {
			t["url"] = f.URLs[i]
		}
		ti = append(ti, t)
	}
	return map[string]any{"id": f.ID, "status": "SUCCESS", "trackingInfo": ti}
}

func (s *Server) assigned(v map[string]any) any {
	status := str(v["status"])
	locs := asStrings(v["locationIds"])
	start := 0
	if a := str(v["after"]); a != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(a, "c"))
	}
	var matched []*FO
	for _, id := range s.order {
		fo := s.fos[id]
		if fo.Status == "CLOSED" && status == "" {
			continue
		}
		if status != "" && fo.assignment() != status || len(locs) > 0 && !slices.Contains(locs, fo.Location) {
			continue
		}
		matched = append(matched, fo)
	}
	const first = 25 // the operation asks first: 25
	nodes := []any{}
	end := min(start+first, len(matched))
	for _, fo := range matched[min(start, len(matched)):end] {
		nodes = append(nodes, fo.json())
	}
	var cursor any
	if end > start {
		cursor = "c" + strconv.Itoa(end)
	}
	return map[string]any{"pageInfo": map[string]any{"hasNextPage": end < len(matched), "endCursor": cursor}, "nodes": nodes}
}

func (fo *FO) json() map[string]any {
	var lines, holds, fs []any
	for _, l := range fo.Lines {
		var sku any = l.SKU
		if l.SKU == "" {
			sku = nil
		}
		lines = append(lines, map[string]any{"id": l.ID, "sku": sku, "totalQuantity": l.Total, "remainingQuantity": l.Remaining, "productTitle": l.Title})
	}
	for _, h := range fo.Holds {
		holds = append(holds, map[string]any{"id": h.ID, "handle": nilIfEmpty(h.Handle), "reason": h.Reason, "reasonNotes": nilIfEmpty(h.Notes), "heldByRequestingApp": h.ByApp})
	}
	for _, f := range fo.Fulfillments {
		fs = append(fs, f.json())
	}
	if holds == nil {
		holds = []any{}
	}
	return map[string]any{"id": fo.ID, "status": fo.Status, "requestStatus": fo.RequestStatus, "fulfillBy": nilIfEmpty(fo.FulfillBy),
		"order":       map[string]any{"id": "gid://shopify/Order/" + strings.TrimPrefix(fo.ID, "gid://shopify/FulfillmentOrder/"), "name": fo.OrderName},
		"destination": fo.Destination, "fulfillmentHolds": holds,
		"lineItems": map[string]any{"nodes": orEmpty(lines)}, "fulfillments": map[string]any{"nodes": orEmpty(fs)}}
}

func orEmpty(a []any) []any {
	if a == nil {
		return []any{}
	}
	return a
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func asStrings(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
