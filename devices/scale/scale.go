// Package scale reads shipping scales over serial ports: Mettler Toledo
// MT-SICS and Avery Weigh-Tronix / NCI SCP-01. It asks for the weight,
// converts it to grams and accepts it only when the scale says it is
// stable; motion, overload, underload and silence come back as errors named
// for errors.Is (ErrMotion, ErrOverload, ErrUnderload, ErrNoReply).
//
// This package must never decide what a weight means for a shipment, and
// must never hand back a moving weight as if it were settled.
package scale

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/serialport"
)

// Protocols.
const (
	ProtocolMTSICS = "mt-sics"
	ProtocolSCP01  = "scp-01"
)

// DefaultReplyTimeout is how long Read waits for the scale's answer.
const DefaultReplyTimeout = time.Second

// Config is one scale's settings from the station config. Zero fields take
// defaults: 9600 8N1, 200 ms read timeout, 1 s reply timeout.
type Config struct {
	Name         string
	Port         string // /dev/serial/by-id/..., /dev/ttyUSB0, COM5
	Baud         int
	DataBits     int
	Parity       string
	StopBits     int
	ReadTimeout  time.Duration
	Protocol     string        // mt-sics or scp-01
	ReplyTimeout time.Duration // wait for an answer; default 1s
	// UnitOverride reads every weight in this unit (g, kg, lb, oz) whatever
	// the scale sends, for a scale that sends no unit or a wrong one.
	UnitOverride string
}

// Serial is the port part of the config.
func (c Config) Serial() serialport.Config {
	return serialport.Config{Path: c.Port, Baud: c.Baud, DataBits: c.DataBits,
		Parity: c.Parity, StopBits: c.StopBits, ReadTimeout: c.ReadTimeout}.WithDefaults()
}

// Validate says in plain words what is wrong with the config.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return errors.New("scale without a name")
	}
	if _, err := protocolOf(c.Protocol); err != nil {
		return fmt.Errorf("scale %s: %w", c.Name, err)
	}
	if err := c.Serial().Validate(); err != nil {
		return fmt.Errorf("scale %s: %w", c.Name, err)
	}
	if c.ReplyTimeout < 0 {
		return fmt.Errorf("scale %s: negative reply timeout", c.Name)
	}
	if c.UnitOverride != "" {
		if _, ok := gramsPer(c.UnitOverride); !ok {
			return fmt.Errorf("scale %s: unit override %q: want g, kg, lb or oz", c.Name, c.UnitOverride)
		}
	}
	return nil
}

// protocol is what differs between MT-SICS and SCP-01.
type protocol struct {
	name  string
	weigh []byte // ask for the weight now
	zero  []byte // set zero
	end   byte   // last byte of a reply
	parse func(reply []byte, unit string) (Weight, error)
}

func protocolOf(name string) (protocol, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case ProtocolMTSICS, "mtsics", "mt":
		// SI answers at once, S S when stable and S D when moving; S would
		// wait for stability and tie up the port.
		return protocol{name: ProtocolMTSICS, weigh: []byte("SI\r\n"), zero: []byte("Z\r\n"), end: '\n', parse: parseMTSICS}, nil
	case ProtocolSCP01, "scp01", "nci":
		return protocol{name: ProtocolSCP01, weigh: []byte("W\r"), zero: []byte("Z\r"), end: etx, parse: parseSCP01}, nil
	}
	return protocol{}, fmt.Errorf("protocol %q: want mt-sics or scp-01", name)
}

// Scale is one configured scale. Its port opens on first use and reopens
// after a failure, so a scale that was unplugged is used again when it is
// back. Safe for concurrent use: requests take turns.
type Scale struct {
	cfg     Config
	proto   protocol
	timeout time.Duration
	rep     *devices.Reporter

	mu   sync.Mutex
	port *serialport.Port
}

// New checks the config and makes a scale; onState (may be nil) hears each
// change of the device state. Nothing is opened until Read.
func New(cfg Config, onState func(devices.State)) (*Scale, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	proto, _ := protocolOf(cfg.Protocol)
	timeout := cfg.ReplyTimeout
	if timeout == 0 {
		timeout = DefaultReplyTimeout
	}
	return &Scale{cfg: cfg, proto: proto, timeout: timeout,
		rep: devices.NewReporter(cfg.Name, devices.KindScale, onState, nil)}, nil
}

// Name is the scale's config name.
func (s *Scale) Name() string { return s.cfg.Name }

// State is the scale's current device state.
func (s *Scale) State() devices.State { return s.rep.State() }

// Read asks for the weight. It returns the weight only when the scale says it
// is stable. Otherwise the error wraps ErrMotion (the Weight then holds the
// moving value, for display only), ErrOverload, ErrUnderload, ErrNotReady,
// ErrNoReply, ErrRejected, ErrBadReply or a serialport error.
func (s *Scale) Read(ctx context.Context) (Weight, error) {
	reply, err := s.exchange(ctx, s.proto.weigh)
	if err != nil {
		return Weight{}, err
	}
	return s.proto.parse(reply, s.cfg.UnitOverride)
}

// Zero sets the scale's zero (the pan must be empty).
func (s *Scale) Zero(ctx context.Context) error {
	reply, err := s.exchange(ctx, s.proto.zero)
	if err != nil {
		return err
	}
	if s.proto.name == ProtocolSCP01 {
		if bytes.Contains(reply, []byte("?")) {
			return fmt.Errorf("%w: the scale did not accept zero (?)", ErrRejected)
		}
		return nil
	}
	switch f := strings.Fields(string(reply)); {
	case len(f) >= 2 && f[0] == "Z" && f[1] == "A":
		return nil
	case len(f) >= 2 && f[0] == "Z" && f[1] == "I":
		return fmt.Errorf("%w: the scale is busy (Z I); try again", ErrNotReady)
	case len(f) >= 2 && f[0] == "Z" && (f[1] == "+" || f[1] == "-"):
		return fmt.Errorf("%w: the weight on the pan is outside the zero range; clear the pan", ErrRejected)
	}
	return fmt.Errorf("%w: reply %q to zero", ErrBadReply, strings.TrimSpace(string(reply)))
}

// exchange sends one command and returns one reply.
func (s *Scale) exchange(ctx context.Context, cmd []byte) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	port, err := s.open()
	if err != nil {
		return nil, err
	}
	if err := port.DiscardInput(); err != nil {
		return nil, s.fail(err)
	}
	if _, err := port.Write(cmd); err != nil {
		return nil, s.fail(err)
	}
	deadline := time.Now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	var got []byte
	buf := make([]byte, 128)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("scale on %s: %w", s.cfg.Port, err)
		}
		n, err := port.Read(buf)
		got = append(got, buf[:n]...)
		if reply, ok := s.reply(got); ok {
			s.rep.Set(devices.StatusConnected, "")
			return reply, nil
		}
		if err != nil {
			return nil, s.fail(err)
		}
		if len(got) > 1024 {
			return nil, fmt.Errorf("%w: %d bytes without an end of reply; check the protocol setting (%s)", ErrBadReply, len(got), s.proto.name)
		}
	}
	if len(bytes.TrimSpace(got)) > 0 {
		err = fmt.Errorf("%w: the scale on %s answered %q, which is not a %s reply; check the protocol setting",
			ErrBadReply, s.cfg.Port, got, s.proto.name)
	} else {
		err = fmt.Errorf("%w: no reply to %s within %v on %s", ErrNoReply, strings.TrimSpace(string(cmd)), s.timeout, s.cfg.Port)
	}
	s.rep.Set(devices.StatusUnknown, err.Error())
	return nil, err
}

// reply cuts the first complete reply from got. MT-SICS replies end with
// LF (blank lines are skipped); SCP-01 replies end with ETX.
func (s *Scale) reply(got []byte) ([]byte, bool) {
	for {
		i := bytes.IndexByte(got, s.proto.end)
		if i < 0 {
			return nil, false
		}
		r := got[:i+1]
		if s.proto.name == ProtocolMTSICS && len(bytes.TrimSpace(r)) == 0 {
			got = got[i+1:]
			continue
		}
		return r, true
	}
}

// open returns the port, opening it if needed. Call with mu held.
func (s *Scale) open() (*serialport.Port, error) {
	if s.port != nil {
		return s.port, nil
	}
	port, err := serialport.Open(s.cfg.Serial())
	if err != nil {
		s.setFailed(err)
		return nil, err
	}
	s.port = port
	return port, nil
}

// fail drops a port that failed so the next request reopens it.
func (s *Scale) fail(err error) error {
	if s.port != nil {
		s.port.Close()
		s.port = nil
	}
	s.setFailed(err)
	return err
}

func (s *Scale) setFailed(err error) {
	status := devices.StatusError
	if prev := s.rep.State().Status; prev == devices.StatusConnected || prev == devices.StatusReconnecting {
		status = devices.StatusReconnecting
	}
	s.rep.Set(status, err.Error())
}

// Close closes the port; the next Read opens it again.
func (s *Scale) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.port != nil {
		err := s.port.Close()
		s.port = nil
		return err
	}
	return nil
}
