package replicator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/buildstamp"
	"github.com/totewms/tote/sync/protocol"
)

// userAgent tells the hub which tote a station runs, for its log.
var userAgent = "tote/" + buildstamp.Read().Short()

// ErrNotAHub: the address answered, but not as a tote hub (no sync
// protocol version on the answer): a wrong host or port, or a proxy's page.
var ErrNotAHub = errors.New("the address answers, but not as a tote hub")

// HubUnreachable wraps a failure to reach the hub at all (refused, no
// route, a timeout, a name that does not resolve).
type HubUnreachable struct{ Err error }

func (e HubUnreachable) Error() string { return e.Err.Error() }
func (e HubUnreachable) Unwrap() error { return e.Err }

// Hello asks the hub at hubURL who token belongs to (GET
// protocol.PathHello), which changes nothing at the hub: `tote doctor`
// checks a station's address, protocol version and token with it. The
// error is HubUnreachable, ErrNotAHub, or a *protocol.Error for what the
// hub said (Status set; a hub older than hello answers 404).
func Hello(ctx context.Context, client *http.Client, hubURL, token string) (protocol.Hello, error) {
	var h protocol.Hello
	u, err := url.Parse(strings.TrimRight(hubURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return h, fmt.Errorf("hub URL %q: want http(s)://host[:port]", hubURL)
	}
	u.Path = strings.TrimRight(u.Path, "/") + protocol.PathHello
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return h, err
	}
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
	req.Header.Set(protocol.VersionHeader, strconv.Itoa(protocol.Version))
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "application/json")
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return h, HubUnreachable{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return h, HubUnreachable{fmt.Errorf("reading the hub's answer: %w", err)}
	}
	return helloOf(resp.StatusCode, resp.Header.Get(protocol.VersionHeader), data)
}

// helloOf reads a hello answer: its HTTP status, its sync protocol version
// header and its body, from a hub or from anything else at that address.
func helloOf(status int, version string, data []byte) (protocol.Hello, error) {
	var h protocol.Hello
	if version == "" {
		return h, fmt.Errorf("%w (HTTP %d)", ErrNotAHub, status)
	}
	if status/100 != 2 {
		var eb protocol.ErrorBody
		if json.Unmarshal(data, &eb) != nil || eb.Error.Message == "" {
			eb.Error = protocol.Error{Message: strings.TrimSpace(http.StatusText(status))}
		}
		if eb.Error.Message == "" {
			eb.Error.Message = fmt.Sprintf("HTTP %d", status)
		}
		eb.Error.Status = status
		return h, &eb.Error
	}
	if err := json.Unmarshal(data, &h); err != nil || h.Station == "" || protocol.CheckStationID(h.Station) != nil ||
		h.Number < 0 || h.Number > protocol.MaxStationNumber {
		return protocol.Hello{}, fmt.Errorf("%w (its hello answer does not read)", ErrNotAHub)
	}
	return h, nil
}
