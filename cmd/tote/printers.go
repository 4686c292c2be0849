package main

import (
	"context"
	"log/slog"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui"
)

// printerConfig maps a configured printer onto the device's settings.
func printerConfig(c config.Printer) printer.Config {
	return printer.Config{
		Name: c.Name, Transport: string(c.Transport),
		Port: c.Serial.Port, Baud: c.Serial.Baud, DataBits: c.Serial.DataBits, Parity: string(c.Serial.Parity),
		StopBits: c.Serial.StopBits, ReadTimeout: c.Serial.ReadTimeout,
		Address: c.Address, Path: c.Path, StatusTimeout: c.StatusTimeout,
	}
}

// startPrinters opens every configured printer, watches each one's state for
// the screen, and runs the spooler that prints the durable queue. It returns
// the spooler so workflows can wake it after queueing a label.
func startPrinters(run starter, cfg *config.Config, st *store.Store, send func(tea.Msg), log *slog.Logger) (*printing.Spooler, error) {
	ps := map[string]printer.Printer{}
	for _, c := range cfg.Printers {
		p, err := printer.New(printerConfig(c))
		if err != nil {
			return nil, err
		}
		ps[c.Name] = p
		run(func(ctx context.Context) {
			printer.Watch(ctx, c.Name, p, 0, nil, func(s devices.State) {
				log.Info("device state", "device", s.Device, "kind", s.Kind, "status", s.Status, "reason", s.Reason)
				send(tui.DeviceMsg(s))
			})
		})
	}
	sp, err := printing.New(st, ps, printing.Options{Log: log, OnReport: func(r printing.Report) {
		send(tui.PrintMsg{Printer: r.Printer, Waiting: r.Waiting, InDoubt: len(r.InDoubt),
			Problem: r.Problem, Instruction: r.Instruction})
	}})
	if err != nil {
		return nil, err
	}
	run(func(ctx context.Context) {
		if err := sp.Run(ctx); err != nil && ctx.Err() == nil {
			log.Error("print spooler stopped", "err", err)
		}
	})
	return sp, nil
}
