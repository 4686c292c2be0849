package main

import (
	"slices"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/station/tui"
	"github.com/totewms/tote/sync/protocol"
)

// reportingDevices is send that also hands every device state the screen
// is told to the replicator, which reports the station's devices to the
// hub for the site's health (replicator.SetDevices).
func reportingDevices(send func(tea.Msg), set func([]protocol.DeviceState), initial []devices.State) func(tea.Msg) {
	var mu sync.Mutex
	book := slices.Clone(initial)
	note := func(st devices.State) {
		mu.Lock()
		defer mu.Unlock()
		i := slices.IndexFunc(book, func(d devices.State) bool { return d.Device == st.Device && d.Kind == st.Kind })
		if i < 0 {
			book = append(book, st)
		} else {
			book[i] = st
		}
		set(deviceStates(book))
	}
	if len(initial) > 0 {
		set(deviceStates(book))
	}
	return func(m tea.Msg) {
		if d, ok := m.(tui.DeviceMsg); ok {
			note(devices.State(d))
		}
		send(m)
	}
}

// deviceStates are the devices as the hub takes them, by kind and name.
func deviceStates(book []devices.State) []protocol.DeviceState {
	out := make([]protocol.DeviceState, 0, len(book))
	for _, d := range book {
		out = append(out, protocol.DeviceState{Device: d.Device, Kind: d.Kind, Status: d.Status, Reason: d.Reason, Since: d.Since.UTC(),
			PaperOut: printer.PaperOut(d)})
	}
	slices.SortFunc(out, func(a, b protocol.DeviceState) int {
		return strings.Compare(a.Kind+"\x00"+a.Device, b.Kind+"\x00"+b.Device)
	})
	return out
}
