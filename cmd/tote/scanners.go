package main

import (
	"context"
	"log/slog"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/devices/scanner"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station/intake"
	"github.com/totewms/tote/station/tui"
	"github.com/totewms/tote/station/weigh"
)

// scannerConfig maps a configured scanner onto the device's settings.
func scannerConfig(c config.Scanner) scanner.Config {
	return scanner.Config{
		Name: c.Name, Port: c.Serial.Port, Baud: c.Serial.Baud, DataBits: c.Serial.DataBits,
		Parity: string(c.Serial.Parity), StopBits: c.Serial.StopBits, Prefix: c.Prefix,
		Suffix: string(c.Suffix), MaxFrame: c.MaxFrame, ReadTimeout: c.Serial.ReadTimeout,
	}
}

// deviceList is every configured device in config order, as the screen
// shows them before they first report.
func deviceList(cfg *config.Config) []devices.State {
	var ds []devices.State
	for _, s := range cfg.Scanners {
		ds = append(ds, devices.State{Device: s.Name, Kind: devices.KindScanner, Status: devices.StatusUnknown})
	}
	for _, p := range cfg.Printers {
		ds = append(ds, devices.State{Device: p.Name, Kind: devices.KindPrinter, Status: devices.StatusUnknown})
	}
	return ds
}

// startScanners runs every configured serial scanner until ctx ends. Scans
// go to the station through in, the route every scanner's input takes;
// state changes reach the screen as messages, in the order they happen.
func startScanners(run starter, cfg *config.Config, in *intake.Intake, send func(tea.Msg), log *slog.Logger) error {
	for _, c := range cfg.Scanners {
		sc, err := scanner.New(scannerConfig(c))
		if err != nil {
			return err
		}
		run(func(ctx context.Context) {
			sc.Run(ctx, func(f scanner.Frame) {
				if f.Err != nil {
					log.Warn("scanner frame rejected", "device", f.Device, "err", f.Err)
				}
				in.Frame(f)
			}, func(st devices.State) {
				log.Info("device state", "device", st.Device, "kind", st.Kind, "status", st.Status, "reason", st.Reason)
				send(tui.DeviceMsg(st))
			})
		})
	}
	return nil
}

// scaleConfig maps a configured scale onto the device's settings.
func scaleConfig(c config.Scale) scale.Config {
	return scale.Config{
		Name: c.Name, Port: c.Serial.Port, Baud: c.Serial.Baud, DataBits: c.Serial.DataBits,
		Parity: string(c.Serial.Parity), StopBits: c.Serial.StopBits, ReadTimeout: c.Serial.ReadTimeout,
		Protocol: string(c.Protocol), UnitOverride: c.UnitOverride,
	}
}

// startScale runs the bench scale's poller (station/weigh) until the app
// stops: readings and device state go to the screen, stable weights to the
// station while it weighs.
func startScale(run starter, c config.Scale, emptyBelowG float64, st weigh.Station, send func(tea.Msg), log *slog.Logger) error {
	p, err := weigh.New(scaleConfig(c), st, weigh.Options{EmptyBelowG: emptyBelowG, Log: log,
		Reading: func(r weigh.Reading) { send(tui.ScaleMsg(r)) },
		Device:  func(s devices.State) { send(tui.DeviceMsg(s)) }})
	if err != nil {
		return err
	}
	run(p.Run)
	return nil
}
