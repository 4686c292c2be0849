// Package packpage is a packing bench's screens, one file per screen: log
// in, the order (order.go), verify (verify.go), box, weigh, the weight
// mismatch, the supervisor, held, partial, set aside and done, with the
// cartons beside them on a wide screen and the side panel (panel.go). It
// registers itself for station.BenchPack and keeps the bench's pack.State,
// the labels it printed and the demo hints used from the bench's outcomes.
package packpage

import (
	"maps"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/tui/ui"
)

func init() { ui.Register(station.BenchPack, New) }

// Page is a packing bench's page: the bench's state, the last shipment's
// labels (with the SSCC and tracking number the station gave them), and
// which demo hints were used already.
type Page struct {
	pack      pack.State
	labels    []floor.PackLabelPayload
	hintsUsed map[string]bool
}

// New makes the page from the bench's snapshot.
func New(initial station.Outcome) ui.Page { return Page{}.Outcome(initial) }

// State is the bench's state as the page shows it.
func (p Page) State() pack.State { return p.pack }

// Labels are the last shipment's labels as the page shows them.
func (p Page) Labels() []floor.PackLabelPayload { return p.labels }

// Outcome takes the bench's state (a pack.State), the labels the input printed and the
// codes it named at the order prompt, which the demo offers no more.
func (p Page) Outcome(o station.Outcome) ui.Page {
	if s, ok := o.State.(pack.State); ok {
		p.pack = s
	}
	p.useHints(o.Named...)
	if len(o.Labels) > 0 {
		p.labels = o.Labels
	}
	return p
}

// useHints marks demo hints as used: the order is on the bench or was
// refused, so F12 offers the next one.
func (p *Page) useHints(codes ...string) {
	p.hintsUsed = maps.Clone(p.hintsUsed)
	if p.hintsUsed == nil {
		p.hintsUsed = map[string]bool{}
	}
	for _, c := range codes {
		if c != "" {
			p.hintsUsed[c] = true
		}
	}
}

// Fresh are the demo's pack hints not used yet this session.
func (p Page) Fresh(c ui.Context) []string {
	var out []string
	for _, h := range c.Opts.Hints {
		if !p.hintsUsed[h] {
			out = append(out, h)
		}
	}
	return out
}

// view is what a screen draws with: the page's state and the root's context.
type view struct {
	st     *ui.Styles
	opts   *ui.Options
	c      ui.Context
	pack   pack.State
	scale  *ui.ScaleMsg
	labels []floor.PackLabelPayload
	fresh  func() []string
}

func (p Page) view(c ui.Context) view {
	return view{st: c.Styles, opts: c.Opts, c: c, pack: p.pack, scale: c.Scale, labels: p.labels,
		fresh: func() []string { return p.Fresh(c) }}
}

func (p Page) Operator() floor.Operator { return p.pack.Operator }

func (p Page) Press(k tea.KeyPressMsg) (ui.Pressed, bool) { return ui.Press(keys, p.pack, k) }

// EnterOK: docs/pack.md: Enter on an empty line is CMD:OK wherever that
// confirms something (the suggested box, a quantity).
func (p Page) EnterOK() bool { return enterOK(p.pack) }

func (p Page) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	return ui.Active(c.Keys.Help, keys, p.pack), " " // a pack bench has more keys
}

func (p Page) Secret() bool {
	return p.pack.Step == pack.StepPIN || p.pack.Step == pack.StepSupervisorPIN
}

func (p Page) Screen(c ui.Context, w, h int) string { return p.view(c).packScreen(w, h) }

func (p Page) Beside(c ui.Context, w, h int) string {
	if p.pack.Order.ID == "" {
		return ""
	}
	return p.view(c).cartonsPanel(w)
}

func (p Page) Panel(c ui.Context, w int) string { return p.view(c).panelText(w) }

func (p Page) Work() (string, string) {
	o := p.pack.Order
	if o.ID == "" {
		return "", ""
	}
	verified, picked := p.pack.Progress()
	short := strconv.Itoa(verified) + "/" + strconv.Itoa(picked) + " "
	return floor.Printable(o.ID) + " " + short, short
}

func (p Page) Hint(c ui.Context) string {
	next, _ := hints.Pack(p.pack, p.Fresh(c))
	return next
}

func (Page) Idle() bool      { return false }
func (Page) OfficeNow() bool { return false }
func (Page) NewWave() bool   { return false }
