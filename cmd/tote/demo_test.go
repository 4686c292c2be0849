package main

import (
	"context"
	"testing"
	"time"

	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/internal/config"
)

// TestDemoScaleConfigReadsTheSim: the [[scales]] entry the demo makes reads
// the virtual scale it plugged in, through the real device code.
func TestDemoScaleConfigReadsTheSim(t *testing.T) {
	sc, cfg, err := startDemoScale(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	if cfg.Serial.Port != sc.Path() || cfg.Protocol != config.ProtocolMTSICS {
		t.Fatalf("config %+v does not read the sim at %s", cfg, sc.Path())
	}
	rd, err := scale.New(scaleConfig(cfg), nil)
	if err != nil {
		t.Fatalf("the demo scale's config is not valid: %v", err)
	}
	defer rd.Close()
	sc.Set(1234, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if w, err := rd.Read(ctx); err != nil || !w.Stable || w.Grams < 1233.5 || w.Grams > 1234.5 {
		t.Fatalf("read %+v, %v; want 1234 g, stable", w, err)
	}
}
