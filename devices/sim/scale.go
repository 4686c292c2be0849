package sim

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Scale protocols the sim speaks.
const (
	ProtocolMTSICS = "mt-sics"
	ProtocolSCP01  = "scp-01"
)

// ScaleSim is a virtual shipping scale answering MT-SICS (S, SI, Z) or
// SCP-01 (W, Z) with the weight and motion set on it.
type ScaleSim struct {
	line     *line
	protocol string

	mu        sync.Mutex
	grams     float64
	stable    bool
	overload  bool
	underload bool
	mute      bool
	unit      string
	served    int // replies sent, so tests can wait for an exchange

	wg sync.WaitGroup
}

// NewScale creates a virtual scale linked at link speaking protocol
// (mt-sics or scp-01). It starts empty and stable. MT-SICS answers in kg
// with three decimals, SCP-01 in LB with two, unless SetUnit says otherwise.
func NewScale(link, protocol string) (*ScaleSim, error) {
	s := &ScaleSim{stable: true}
	switch strings.ToLower(protocol) {
	case ProtocolMTSICS:
		s.protocol, s.unit = ProtocolMTSICS, "kg"
	case ProtocolSCP01:
		s.protocol, s.unit = ProtocolSCP01, "LB"
	default:
		return nil, fmt.Errorf("protocol %q: want mt-sics or scp-01", protocol)
	}
	l, err := openLine(link)
	if err != nil {
		return nil, err
	}
	s.line = l
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Path is the link path; TTY the pty behind it.
func (s *ScaleSim) Path() string { return s.line.Path() }
func (s *ScaleSim) TTY() string  { return s.line.TTY() }

// Set puts a weight on the scale, settled or still moving, and clears any
// overload or underload.
func (s *ScaleSim) Set(grams float64, stable bool) {
	s.mu.Lock()
	s.grams, s.stable, s.overload, s.underload = grams, stable, false, false
	s.mu.Unlock()
}

// SetOverload and SetUnderload put the scale out of range (true) or back.
func (s *ScaleSim) SetOverload(on bool) {
	s.mu.Lock()
	s.overload = on
	s.mu.Unlock()
}

func (s *ScaleSim) SetUnderload(on bool) {
	s.mu.Lock()
	s.underload = on
	s.mu.Unlock()
}

// SetMute makes the scale ignore commands (true) or answer again.
func (s *ScaleSim) SetMute(on bool) {
	s.mu.Lock()
	s.mute = on
	s.mu.Unlock()
}

// SetUnit chooses the unit replies are given in: g, kg, lb or oz.
func (s *ScaleSim) SetUnit(unit string) error {
	if _, ok := simGramsPer(unit); !ok {
		return fmt.Errorf("unit %q: want g, kg, lb or oz", unit)
	}
	s.mu.Lock()
	s.unit = unit
	s.mu.Unlock()
	return nil
}

// Served is how many replies the scale has sent.
func (s *ScaleSim) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

// simGramsPer is the sim's own unit table, kept apart from the station's on
// purpose: a shared mistake would hide itself.
func simGramsPer(unit string) (float64, bool) {
	switch strings.ToLower(unit) {
	case "g":
		return 1, true
	case "kg":
		return 1000, true
	case "lb":
		return 453.59237, true
	case "oz":
		return 28.349523125, true
	}
	return 0, false
}

func (s *ScaleSim) serve() {
	defer s.wg.Done()
	var pending []byte
	buf := make([]byte, 256)
	for {
		n, err := s.line.master.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.IndexAny(pending, "\r\n")
			if i < 0 {
				break
			}
			cmd := strings.TrimSpace(string(pending[:i]))
			pending = pending[i+1:]
			if cmd == "" {
				continue
			}
			if reply := s.answer(cmd); reply != "" {
				if s.line.write([]byte(reply)) == nil {
					s.mu.Lock()
					s.served++
					s.mu.Unlock()
				}
			}
		}
		if len(pending) > 1024 {
			pending = pending[:0]
		}
		if err != nil {
			return
		}
	}
}

// answer is the reply to one command, "" for none.
func (s *ScaleSim) answer(cmd string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mute {
		return ""
	}
	per, _ := simGramsPer(s.unit)
	value := s.grams / per
	if s.protocol == ProtocolMTSICS {
		switch strings.ToUpper(cmd) {
		case "S", "SI":
			switch {
			case s.overload:
				return "S +\r\n"
			case s.underload:
				return "S -\r\n"
			case !s.stable && cmd == "S":
				return "S I\r\n" // S waits for stability; the sim gives up at once
			case !s.stable:
				return fmt.Sprintf("S D %10.3f %s\r\n", value, s.unit)
			}
			return fmt.Sprintf("S S %10.3f %s\r\n", value, s.unit)
		case "Z":
			if !s.stable {
				return "Z I\r\n"
			}
			s.grams = 0
			return "Z A\r\n"
		}
		return "ES\r\n"
	}
	status := func(motion, zero, under, over bool) string {
		b1, b2 := byte('0'), byte('0')
		if motion {
			b1 |= 1
		}
		if zero {
			b1 |= 2
		}
		if under {
			b2 |= 1
		}
		if over {
			b2 |= 2
		}
		return string([]byte{b1, b2})
	}
	switch strings.ToUpper(cmd) {
	case "W":
		weight := fmt.Sprintf("%07.2f%s", value, strings.ToUpper(s.unit))
		if s.overload || s.underload {
			weight = "^^^^^^^" + strings.ToUpper(s.unit) // the display shows no weight
		}
		return "\n" + weight + "\r\n" + status(!s.stable, s.grams == 0, s.underload, s.overload) + "\r\x03"
	case "Z":
		s.grams = 0
		return "\n" + status(!s.stable, true, false, false) + "\r\x03"
	}
	return "\n?\r\x03"
}

// Command runs one line typed on the sim's standard input:
//
//	1250            1250 g, stable
//	1.25kg moving   1.25 kg, still moving
//	stable, moving  settle or start moving at the current weight
//	over, under, ok out of range and back
//	mute, unmute    stop and start answering
func (s *ScaleSim) Command(line string) (string, error) {
	f := strings.Fields(strings.ToLower(line))
	if len(f) == 0 {
		return "", nil
	}
	switch f[0] {
	case "help", "?":
		return "commands: <weight>[g|kg|lb|oz] [moving|stable], stable, moving, over, under, ok, mute, unmute, status, quit", nil
	case "stable", "moving", "motion":
		s.mu.Lock()
		s.stable = f[0] == "stable"
		s.mu.Unlock()
		return s.describe(), nil
	case "over":
		s.SetOverload(true)
		return s.describe(), nil
	case "under":
		s.SetUnderload(true)
		return s.describe(), nil
	case "ok":
		s.SetOverload(false)
		s.SetUnderload(false)
		return s.describe(), nil
	case "mute":
		s.SetMute(true)
		return s.describe(), nil
	case "unmute":
		s.SetMute(false)
		return s.describe(), nil
	case "status":
		return s.describe(), nil
	}
	grams, err := parseSimWeight(f[0])
	if err != nil {
		return "", err
	}
	stable := true
	if len(f) > 1 {
		switch f[1] {
		case "moving", "motion":
			stable = false
		case "stable":
		default:
			return "", fmt.Errorf("after the weight say moving or stable, not %q", f[1])
		}
	}
	s.Set(grams, stable)
	return s.describe(), nil
}

// parseSimWeight reads "1250", "1250g", "1.25kg", "2.5lb", "12oz".
func parseSimWeight(s string) (float64, error) {
	num := strings.TrimRight(s, "abcdefghijklmnopqrstuvwxyz")
	unit := s[len(num):]
	if unit == "" {
		unit = "g"
	}
	per, ok := simGramsPer(unit)
	if !ok {
		return 0, fmt.Errorf("unknown command or unit in %q (try help)", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v != v || v > 1e9 || v < -1e9 {
		return 0, fmt.Errorf("weight %q is not a number", s)
	}
	return v * per, nil
}

func (s *ScaleSim) describe() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	state := "stable"
	if !s.stable {
		state = "moving"
	}
	switch {
	case s.overload:
		state = "overloaded"
	case s.underload:
		state = "under zero"
	}
	d := fmt.Sprintf("%.1f g, %s", s.grams, state)
	if s.mute {
		d += ", not answering"
	}
	return d
}

// Close unplugs the scale.
func (s *ScaleSim) Close() error {
	err := s.line.close()
	s.wg.Wait()
	return err
}
