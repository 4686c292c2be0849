// Package hubmetrics gives the hub's Prometheus metrics: requests by
// route and status with their latency, events ingested by outcome, and
// each station's mark and the age of its last push (its backlog as the
// hub sees it). It plugs into hub.Options.Observer; `tote hub` serves it
// at /metrics to a token with the read scope.
package hubmetrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Metrics is one hub's registry.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	events   *prometheus.CounterVec
}

var _ hub.Observer = (*Metrics)(nil)

// New makes the metrics; stations is read at each scrape for the
// per-station gauges (nil: none).
func New(stations func(context.Context) ([]protocol.StationInfo, error)) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tote_hub_requests_total",
			Help: "HTTP requests by route (push, pull, admin endpoints) and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tote_hub_request_seconds",
			Help: "HTTP request latency by route.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 12)}, []string{"route"}),
		events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tote_hub_events_total",
			Help: "Pushed events by outcome: accepted, rejected (a conflict or a refusal), duplicate (sent again)."}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.events, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if stations != nil {
		m.reg.MustRegister(&stationCollector{list: stations})
	}
	return m
}

// Request counts one answered request.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// Pushed counts a push's outcomes.
func (m *Metrics) Pushed(station string, resp protocol.PushResponse) {
	for _, o := range resp.Outcomes {
		switch {
		case o.Duplicate:
			m.events.WithLabelValues("duplicate").Inc()
		default:
			m.events.WithLabelValues(o.Status).Inc()
		}
	}
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// stationCollector reads the stations at each scrape.
type stationCollector struct {
	list func(context.Context) ([]protocol.StationInfo, error)
}

var (
	markDesc = prometheus.NewDesc("tote_hub_station_mark", "The last sequence the hub holds of each station.", []string{"station"}, nil)
	ageDesc  = prometheus.NewDesc("tote_hub_station_last_push_age_seconds", "Seconds since each station's last accepted push (absent before its first).", []string{"station"}, nil)
)

func (c *stationCollector) Describe(ch chan<- *prometheus.Desc) { ch <- markDesc; ch <- ageDesc }

func (c *stationCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sts, err := c.list(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(markDesc, err)
		return
	}
	now := time.Now()
	for _, s := range sts {
		ch <- prometheus.MustNewConstMetric(markDesc, prometheus.GaugeValue, float64(s.Mark), s.ID)
		if s.LastPush != nil {
			ch <- prometheus.MustNewConstMetric(ageDesc, prometheus.GaugeValue, now.Sub(*s.LastPush).Seconds(), s.ID)
		}
	}
}
