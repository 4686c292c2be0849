package printing_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
)

func reportRate(b *testing.B, what string) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, what+"/s")
	}
}

// BenchmarkEnqueue is one label queued on its own: a durable transaction
// with its label.queued journal row.
func BenchmarkEnqueue(b *testing.B) {
	st := openStore(b, "")
	ctx := context.Background()
	job := store.NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-1", ZPL: label("SHP-1")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Enqueue(ctx, time.Now(), "B1001", job); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, "labels")
}

// BenchmarkSpoolToDirectory is a label's whole way: queued, marked sending,
// written to a spool directory, marked sent (three durable transactions).
func BenchmarkSpoolToDirectory(b *testing.B) {
	st := openStore(b, "")
	spool, err := printer.NewSpool(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	idle := make(chan struct{}, 1)
	sp, err := printing.New(st, map[string]printer.Printer{"CUPS": spool}, printing.Options{
		PollEvery: time.Second,
		OnReport: func(r printing.Report) {
			if r.State == printing.StateIdle {
				select {
				case idle <- struct{}{}:
				default:
				}
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- sp.Run(ctx) }()
	defer func() { cancel(); <-done }()
	<-idle
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		ref := fmt.Sprintf("SHP-%d", i)
		if _, err := sp.Enqueue(ctx, "B1001", store.NewPrintJob{Printer: "CUPS", Kind: floor.LabelShipping, Ref: ref, ZPL: label(ref)}); err != nil {
			b.Fatal(err)
		}
	}
	for {
		q, err := st.PrintQueue(ctx, "CUPS")
		if err != nil {
			b.Fatal(err)
		}
		if q.Waiting == 0 && q.Sending == 0 {
			break
		}
		<-idle
	}
	b.StopTimer()
	reportRate(b, "labels")
}

// BenchmarkNextJobAfterLongHistory is the spooler's question, "what is
// next for this printer", over 20 000 labels already sent.
func BenchmarkNextJobAfterLongHistory(b *testing.B) {
	st := openStore(b, "")
	ctx := context.Background()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	err := st.DB().Write(ctx, func(tx *sql.Tx) error {
		for i := range 20000 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO print_jobs(printer, kind, ref, zpl, status, created_at, updated_at)
				VALUES ('ZEBRA-1', 'shipping', ?, ?, 'sent', ?, ?)`, fmt.Sprint(i), label("old"), now, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := st.Enqueue(ctx, time.Now(), "", store.NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "NEW", ZPL: label("NEW")}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		j, err := st.NextPrintJob(ctx, "ZEBRA-1")
		if err != nil || j == nil || j.Ref != "NEW" {
			b.Fatal(j, err)
		}
		if _, err := st.PrintQueue(ctx, "ZEBRA-1"); err != nil {
			b.Fatal(err)
		}
	}
}
