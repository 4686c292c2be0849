// Package hub is the central side stations sync with: an HTTP server for
// the sync protocol (push and pull), the admin API (stations, orders,
// waves, holds, cancellations, labels) and the read API (fulfilment per
// order, each station's events), together with the rules that give every
// pushed event its outcome.
//
// The rules live in the Service, over the Store port (hubstore implements
// it on SQLite; hubtest is the suite every store must pass). The server
// only authenticates, decodes, validates and maps errors to HTTP; the
// Service applies. It must never answer a push before the store has made
// the batch and the station's mark durable, and never let a station token
// push or pull for another station.
package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Options tune a Server.
type Options struct {
	// Now is the hub's clock, which stamps receipt times; nil: time.Now.
	Now func() time.Time
	Log *slog.Logger
	// MaxPullWait is the longest the hub holds a waiting pull
	// (server_pullwait.go); 0: DefaultMaxPullWait; negative: pulls never
	// wait (the hub answers like one older than waiting).
	MaxPullWait time.Duration
	// Observer, when set, hears every request and push (metrics).
	Observer Observer
	// Metrics, when set, is served at GET /metrics to an admin token with
	// the read scope.
	Metrics http.Handler
	// LargePerToken is how many large pushes or imports one token may run
	// at once (limits.go); 0: DefaultLargePerToken.
	LargePerToken int
	// MinStationBuild is the oldest tote build a station may run against
	// this hub (build.go); "": any of this hub's major version.
	MinStationBuild string
	// HubBuild is this hub's release version for that rule; "": the
	// binary's own (buildstamp).
	HubBuild string
	// Callbacks are served as they are, without a token: an outside
	// system's notifications, which check their own signatures (the
	// Shopify connector's). Keys are ServeMux patterns.
	Callbacks map[string]http.Handler
}

// Observer hears what the hub serves, for metrics.
type Observer interface {
	// Request: an answered request, by the route pattern it matched.
	Request(route string, status int, d time.Duration)
	// Pushed: a push applied, with its outcomes.
	Pushed(station string, resp protocol.PushResponse)
}

// Server is the hub's HTTP handler.
type Server struct {
	store API
	obs   Observer
	now   func() time.Time
	log   *slog.Logger
	mux   *http.ServeMux
	waits *pullWaits
	gate  *bodyGate
	build buildRule
}

var _ http.Handler = (*Server)(nil)

// NewServer serves store.
func NewServer(store API, opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	s := &Server{store: store, obs: opts.Observer, now: opts.Now, log: opts.Log, mux: http.NewServeMux(), waits: newPullWaits(opts.MaxPullWait),
		gate: newBodyGate(opts.LargePerToken), build: newBuildRule(opts.MinStationBuild, opts.HubBuild)}
	if opts.Metrics != nil {
		m := opts.Metrics
		s.mux.Handle("GET /metrics", s.as(TokenAdmin, ScopeRead)(func(w http.ResponseWriter, r *http.Request, _ Principal) error {
			m.ServeHTTP(w, r)
			return nil
		}))
	}
	for pattern, h := range opts.Callbacks {
		s.mux.Handle(pattern, h)
	}
	station := s.as(TokenStation, "")
	importer, operator, reader, tokens, anyAdmin := s.as(TokenAdmin, ScopeImport), s.as(TokenAdmin, ScopeOperate),
		s.as(TokenAdmin, ScopeRead), s.as(TokenAdmin, ScopeTokens), s.as(TokenAdmin, "")

	s.mux.HandleFunc("GET /healthz", s.health)
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.Handle("POST "+protocol.PathPush, station(s.bounded(protocol.MaxPushBytes, s.push)))
	s.mux.Handle("GET "+protocol.PathPull, station(s.pull))
	s.mux.Handle("GET "+protocol.PathHello, station(s.hello))

	s.mux.Handle("POST /admin/v1/stations", operator(s.registerStation))
	s.mux.Handle("GET /admin/v1/stations", reader(s.listStations))
	s.mux.Handle("POST /admin/v1/stations/{id}/reset", operator(s.resetStation))
	// Which scope a new token needs depends on its kind: the service says.
	s.mux.Handle("POST /admin/v1/tokens", anyAdmin(s.newToken))
	s.mux.Handle("GET /admin/v1/tokens", tokens(s.listTokens))
	s.mux.Handle("DELETE /admin/v1/tokens/{id}", tokens(s.revokeToken))
	s.mux.Handle("GET /admin/v1/audit", tokens(s.auditLog))
	s.mux.Handle("POST /admin/v1/reference", importer(s.bounded(maxImportBytes, s.importReference)))
	s.mux.Handle("POST /admin/v1/orders", importer(s.bounded(maxImportBytes, s.importOrders)))
	s.mux.Handle("POST /admin/v1/waves", operator(s.createWave))
	s.mux.Handle("POST /admin/v1/waves/{id}/assign", operator(s.assignWave))
	s.mux.Handle("POST /admin/v1/orders/{id}/holds", operator(s.placeHold))
	s.mux.Handle("DELETE /admin/v1/orders/{id}/holds/{reason}", operator(s.releaseHold))
	s.mux.Handle("POST /admin/v1/orders/{id}/cancel", operator(s.cancelOrder))
	s.mux.Handle("POST /admin/v1/orders/{id}/labels", operator(s.addLabel))
	s.mux.Handle("POST /admin/v1/orders/{id}/release-backorder", operator(s.backOrder(s.store.ReleaseBackOrder)))
	s.mux.Handle("POST /admin/v1/orders/{id}/close-backorder", operator(s.backOrder(s.store.CloseBackOrder)))
	s.mux.Handle("POST /admin/v1/orders/{id}/restocked", operator(s.restocked))

	s.mux.Handle("GET /api/v1/orders/{id}", reader(s.fulfilment))
	s.mux.Handle("GET /api/v1/conflicts", reader(s.conflicts))
	s.mux.Handle("GET /api/v1/holding-shelf", reader(s.holdingShelf))
	s.mux.Handle("GET /api/v1/stations/{id}/events", reader(s.stationEvents))
	s.superviseRoutes(reader, station)
	s.badgeRoutes(operator, reader, station)
	s.omsRoutes(operator, reader)
	return s
}

// NewHTTPServer wraps h with the timeouts a hub on a network needs; the
// write timeout leaves room for a large batch on a slow link, and for the
// longest waiting pull. Its Shutdown ends the waiting pulls of h (a
// *Server) at once.
func NewHTTPServer(h http.Handler) *http.Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	if hs, ok := h.(*Server); ok {
		srv.RegisterOnShutdown(hs.Drain)
		srv.WriteTimeout = max(srv.WriteTimeout, hs.waits.max+time.Minute)
	}
	return srv
}

// Serve serves h on ln until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := NewHTTPServer(h)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		<-done
		return err
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(protocol.VersionHeader, strconv.Itoa(protocol.Version))
	if v := r.Header.Get(protocol.VersionHeader); v != "" && v != strconv.Itoa(protocol.Version) {
		s.fail(w, r, protocol.Errorf(protocol.CodeVersion,
			"this hub speaks sync protocol version %d, the request version %s: update tote on the station or the hub", protocol.Version, floor.Printable(v)))
		return
	}
	if s.obs == nil {
		s.mux.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(sw, r)
	s.obs.Request(r.Pattern, sw.status, time.Since(start))
}

// statusWriter remembers the status an answer was given.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// handler is an endpoint that may fail with an error to map.
type handler func(w http.ResponseWriter, r *http.Request, p Principal) error

// as wraps an endpoint with token authentication: the token must be live,
// of kind, and (for admin tokens) hold scope ("" for any). An admin
// action that changes something is recorded in the audit log with the
// token that did it, in the transaction that does it; a refused one is
// recorded as refused.
func (s *Server) as(kind, scope string) func(handler) http.Handler {
	return func(h handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, ok := BearerToken(r.Header.Get("Authorization"))
			if !ok {
				s.fail(w, r, protocol.Errorf(protocol.CodeUnauth, "no token: send the header \"Authorization: Bearer <token>\""))
				return
			}
			p, err := s.store.Authenticate(r.Context(), HashToken(token), s.now())
			if err != nil {
				s.fail(w, r, err)
				return
			}
			action := r.Method + " " + r.URL.Path
			refuse := func(err error) {
				if kind == TokenAdmin || p.Kind == TokenAdmin {
					s.log.Warn("admin request refused", "by", p.Who(), "action", action, "err", err)
					a := AuditEntry{At: s.now(), Actor: p.Who(), Action: action, Outcome: AuditRefused, Detail: errorText(err)}
					if aerr := s.store.RecordAudit(r.Context(), a); aerr != nil {
						s.log.Error("audit record failed", "err", aerr)
					}
				}
				s.fail(w, r, err)
			}
			if p.Kind == TokenStation {
				if err := s.build.check(r.UserAgent()); err != nil {
					s.log.Warn("station build refused", "station", p.Station, "tote", floor.Printable(r.UserAgent()), "err", err)
					s.fail(w, r, err)
					return
				}
			}
			switch {
			case p.Kind != kind:
				refuse(protocol.Errorf(protocol.CodeForbidden, "a %s token may not use %s %s", p.Kind, r.Method, r.URL.Path))
				return
			case kind == TokenAdmin && scope != "" && !p.Has(scope):
				refuse(protocol.Errorf(protocol.CodeForbidden, "token %s has no %q scope, which %s %s needs", p.ID, scope, r.Method, r.URL.Path))
				return
			}
			if kind == TokenAdmin && r.Method != http.MethodGet {
				r = r.WithContext(WithAudit(r.Context(), p.Who(), action, r.PathValue("id"), s.now()))
			}
			if err := h(w, r, p); err != nil {
				if kind == TokenAdmin && r.Method != http.MethodGet && !AuditWritten(r.Context()) {
					refuse(err)
					return
				}
				s.fail(w, r, err)
			}
		})
	}
}

// errorText is what an error says to a client: a *protocol.Error's
// message, else that it was internal (SQL text stays in the hub's log).
func errorText(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return "internal error"
}

// hello answers a station token with what the hub knows of its station,
// and writes nothing: `tote doctor` uses it to check address, version and
// token.
func (s *Server) hello(w http.ResponseWriter, r *http.Request, p Principal) error {
	h, err := s.store.Hello(r.Context(), p.Station)
	if err != nil {
		return err
	}
	h.PullWaitMS = s.waits.maxMS()
	s.log.Info("station said hello", "station", p.Station, "tote", floor.Printable(r.UserAgent()))
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, p Principal) error {
	if r.Header.Get(protocol.VersionHeader) == "" {
		return protocol.Errorf(protocol.CodeVersion, "the push has no %s header: this station's tote is too old for this hub", protocol.VersionHeader)
	}
	body, err := readBody(w, r, protocol.MaxPushBytes)
	if err != nil {
		if tooLarge(err) {
			return protocol.Errorf(protocol.CodeTooLarge, "the push is larger than %d bytes: send fewer events at a time", protocol.MaxPushBytes)
		}
		return protocol.Errorf(protocol.CodeBadRequest, "the push did not arrive whole: %v", err)
	}
	req, err := protocol.DecodePush(body)
	if err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "the push is not valid JSON for a push: %v", err)
	}
	if req.Station != p.Station {
		return protocol.Errorf(protocol.CodeForbidden, "this token belongs to station %s; it cannot push for station %s", p.Station, floor.Printable(req.Station))
	}
	if err := req.Validate(); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	resp, err := s.store.Push(r.Context(), p.Station, s.now(), req.Events)
	if err != nil {
		var pe *protocol.Error
		if errors.As(err, &pe) && pe.Code == protocol.CodeSeqConflict {
			s.log.Error("station journal disagrees with the hub", "station", p.Station, "err", err)
		}
		return err
	}
	s.log.Debug("push", "station", p.Station, "events", len(req.Events), "mark", resp.Mark)
	if s.obs != nil {
		s.obs.Pushed(p.Station, resp)
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, p Principal) error {
	if r.Header.Get(protocol.VersionHeader) == "" {
		return protocol.Errorf(protocol.CodeVersion, "the pull has no %s header: this station's tote is too old for this hub", protocol.VersionHeader)
	}
	q := r.URL.Query()
	limit := 1000
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return protocol.Errorf(protocol.CodeBadRequest, "limit %q is not a positive whole number", floor.Printable(l))
		}
		limit = min(n, protocol.MaxPullLimit)
	}
	if err := s.store.NoteBench(r.Context(), p.Station, q.Get(protocol.PullBench)); err != nil {
		return err
	}
	resp, err := s.pullWaiting(r, p.Station, q.Get("cursor"), limit)
	if err != nil {
		if r.Context().Err() != nil {
			return nil // the station hung up while waiting: nobody to answer
		}
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) registerStation(w http.ResponseWriter, r *http.Request, p Principal) error {
	var req protocol.RegisterStation
	if err := decode(w, r, &req, 1<<20, true); err != nil {
		return err
	}
	if err := protocol.CheckStationID(req.ID); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	token := NewToken(TokenStation)
	s.log.Info("token created", "id", TokenID(HashToken(token)), "kind", TokenStation, "station", req.ID, "by", p.Who())
	if err := s.store.RegisterStation(r.Context(), req.ID, req.Name, HashToken(token), s.now()); err != nil {
		return err
	}
	h, err := s.store.Hello(r.Context(), req.ID)
	if err != nil {
		return err
	}
	s.log.Info("station registered", "station", req.ID, "number", h.Number)
	writeJSON(w, http.StatusCreated, protocol.Registered{Station: req.ID, Number: h.Number, Kind: TokenStation, Token: token})
	return nil
}

func (s *Server) newToken(w http.ResponseWriter, r *http.Request, p Principal) error {
	var req protocol.NewToken
	if err := decode(w, r, &req, 1<<20, true); err != nil {
		return err
	}
	reg, err := Issue(r.Context(), s.store, req, p, s.now())
	if err != nil {
		return err
	}
	s.log.Info("token created", "id", reg.ID, "kind", reg.Kind, "station", reg.Station, "scopes", strings.Join(reg.Scopes, ","), "by", p.Who())
	writeJSON(w, http.StatusCreated, reg)
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request, _ Principal) error {
	ts, err := s.store.Tokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": nonNil(ts)})
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, p Principal) error {
	id := r.PathValue("id")
	if err := s.store.RevokeToken(r.Context(), id, p, s.now()); err != nil {
		return err
	}
	s.log.Info("token revoked", "id", id, "by", p.Who())
	writeJSON(w, http.StatusOK, map[string]any{"token": id, "revoked": true})
	return nil
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, limit, err := page(r)
	if err != nil {
		return err
	}
	as, err := s.store.Audit(r.Context(), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"audit": nonNil(as)})
	return nil
}

func (s *Server) listStations(w http.ResponseWriter, r *http.Request, _ Principal) error {
	st, err := s.store.Stations(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"stations": nonNil(st)})
	return nil
}

func (s *Server) resetStation(w http.ResponseWriter, r *http.Request, _ Principal) error {
	id := r.PathValue("id")
	if err := s.store.ResetStation(r.Context(), id); err != nil {
		return err
	}
	s.log.Info("station reset ordered", "station", id)
	writeJSON(w, http.StatusOK, map[string]any{"station": id, "reset": true})
	return nil
}

func (s *Server) createWave(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var req protocol.NewWave
	if err := decode(w, r, &req, 16<<20, true); err != nil {
		return err
	}
	if err := checkKey("wave id", req.ID); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	if len(req.Orders) == 0 {
		return protocol.Errorf(protocol.CodeBadRequest, "wave %s has no orders", req.ID)
	}
	info, err := s.store.CreateWave(r.Context(), req, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, info)
	return nil
}

func (s *Server) assignWave(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var req protocol.Assign
	if err := decode(w, r, &req, 1<<20, true); err != nil {
		return err
	}
	info, err := s.store.AssignWave(r.Context(), r.PathValue("id"), req.Station)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

func (s *Server) placeHold(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var h protocol.Hold
	if err := decode(w, r, &h, 1<<20, true); err != nil {
		return err
	}
	if err := checkKey("hold reason", h.Reason); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	if err := optionalText("hold note", h.Note, floor.MaxDescriptionLen); err != nil {
		return err
	}
	if err := s.store.PlaceHold(r.Context(), r.PathValue("id"), h, s.now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": r.PathValue("id"), "held": h.Reason})
	return nil
}

// optionalText checks text from the office that the stations will show,
// when it is given, by the rule for outside text.
func optionalText(what, v string, max int) error {
	if v == "" {
		return nil
	}
	if err := floor.CheckText(what, v, max); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	return nil
}

func (s *Server) releaseHold(w http.ResponseWriter, r *http.Request, _ Principal) error {
	if err := s.store.ReleaseHold(r.Context(), r.PathValue("id"), r.PathValue("reason")); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": r.PathValue("id"), "released": r.PathValue("reason")})
	return nil
}

func (s *Server) cancelOrder(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var req protocol.CancelRequest
	if err := decode(w, r, &req, 1<<20, true); err != nil {
		return err
	}
	if err := optionalText("cancel reason", req.Reason, floor.MaxDescriptionLen); err != nil {
		return err
	}
	if err := s.store.CancelOrder(r.Context(), r.PathValue("id"), req.Reason, s.now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": r.PathValue("id"), "cancelled": true})
	return nil
}

func (s *Server) addLabel(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var l protocol.Label
	if err := decode(w, r, &l, 16<<20, true); err != nil {
		return err
	}
	if l.Order != "" && l.Order != r.PathValue("id") {
		return protocol.Errorf(protocol.CodeBadRequest, "the label is for order %s but was sent to order %s", floor.Printable(l.Order), r.PathValue("id"))
	}
	l.Order = r.PathValue("id")
	if l.Format == "" {
		l.Format = "zpl"
	}
	if err := checkKey("tracking number", l.Tracking); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	if err := optionalText("carrier", l.Carrier, protocol.MaxCarrierLen); err != nil {
		return err
	}
	if err := optionalText("service", l.Service, protocol.MaxCarrierLen); err != nil {
		return err
	}
	if l.Format != "zpl" {
		return protocol.Errorf(protocol.CodeBadRequest, "label format %q: stations print zpl", floor.Printable(l.Format))
	}
	if strings.TrimSpace(l.Data) == "" {
		return protocol.Errorf(protocol.CodeBadRequest, "the label has no data")
	}
	if err := s.store.AddLabel(r.Context(), l, s.now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"order": l.Order, "tracking": l.Tracking})
	return nil
}

func (s *Server) fulfilment(w http.ResponseWriter, r *http.Request, _ Principal) error {
	f, err := s.store.Fulfilment(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, f)
	return nil
}

func (s *Server) conflicts(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, limit, err := page(r)
	if err != nil {
		return err
	}
	cs, err := s.store.Conflicts(r.Context(), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"conflicts": nonNil(cs)})
	return nil
}

func (s *Server) stationEvents(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, limit, err := page(r)
	if err != nil {
		return err
	}
	evs, err := s.store.StationEvents(r.Context(), r.PathValue("id"), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": nonNil(evs)})
	return nil
}

func page(r *http.Request) (after int64, limit int, err error) {
	q := r.URL.Query()
	limit = 100
	if a := q.Get("after"); a != "" {
		if after, err = strconv.ParseInt(a, 10, 64); err != nil || after < 0 {
			return 0, 0, protocol.Errorf(protocol.CodeBadRequest, "after %q is not a whole number", floor.Printable(a))
		}
	}
	if l := q.Get("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 {
			return 0, 0, protocol.Errorf(protocol.CodeBadRequest, "limit %q is not a positive whole number", floor.Printable(l))
		}
	}
	return after, min(limit, 1000), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// decode reads a JSON body of at most limit bytes. Admin bodies refuse
// unknown fields (a typo must not be silently ignored); pushes accept them,
// so a newer station can add fields.
func decode(w http.ResponseWriter, r *http.Request, v any, limit int64, strict bool) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		if tooLarge(err) {
			return protocol.Errorf(protocol.CodeTooLarge, "the body is larger than %d bytes", limit)
		}
		if errors.Is(err, io.EOF) {
			return protocol.Errorf(protocol.CodeBadRequest, "the body is empty: send JSON")
		}
		return protocol.Errorf(protocol.CodeBadRequest, "the body is not valid JSON for this request: %v", err)
	}
	if dec.More() {
		return protocol.Errorf(protocol.CodeBadRequest, "the body has more after its JSON value")
	}
	return nil
}

func tooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; it will retry
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *protocol.Error
	if !errors.As(err, &pe) {
		// The cause (SQL text, file names) goes to the hub's log only; the
		// client gets a reference to find it there.
		ref := newRef()
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "ref", ref, "err", err)
		pe = protocol.Errorf(protocol.CodeInternal, "the hub could not complete the request (see the hub's log, ref %s): try again, and tell the office if it persists", ref)
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			pe = protocol.Errorf(protocol.CodeUnavailable, "the hub stopped the request before it completed: try again")
		}
	}
	if pe.Status == 0 {
		pe.Status = protocol.StatusOf(pe.Code)
	}
	if pe.Status >= 500 && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, pe.Status, protocol.ErrorBody{Error: *pe})
}

// newRef is a short random reference tying an answer to a log line.
func newRef() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
