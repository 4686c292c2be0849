package main

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/returnsbench"
)

// TestBenchOf: the flag names the bench; without it the station's roles
// decide (station.BenchFor): packers only pack, loaders only dispatch, a
// station whose roles name two benches or none picks.
func TestBenchOf(t *testing.T) {
	roles := func(rs ...floor.Role) *config.Config {
		c := config.Default()
		c.Station.Roles = rs
		return c
	}
	cases := []struct {
		cfg  *config.Config
		flag string
		want station.BenchName
	}{
		{config.Default(), "", station.BenchPick},
		{config.Default(), "dispatch", station.BenchDispatch},
		{config.Default(), "pack", station.BenchPack},
		{roles(floor.RolePacker, floor.RoleSupervisor), "", station.BenchPack},
		{roles(floor.RoleLoader, floor.RoleSupervisor), "", station.BenchDispatch},
		{roles(floor.RoleLoader, floor.RolePacker), "", station.BenchPick},
		{roles(floor.RoleLoader, floor.RolePicker), "", station.BenchPick},
		{config.Default(), "supervise", station.BenchSupervise},
		{roles(floor.RoleSupervisor), "", station.BenchSupervise},
		{config.Default(), "returns", returnsbench.Name},
		{roles(floor.RoleReturns), "", returnsbench.Name},
		{roles(floor.RoleReturns, floor.RoleSupervisor), "", returnsbench.Name},
		{roles(floor.RolePacker, floor.RoleSupervisor, floor.RoleReturns), "", station.BenchPack}, // station.example.toml
	}
	for _, c := range cases {
		if got, err := benchOf(c.cfg, c.flag); err != nil || got != c.want {
			t.Errorf("roles %v, --bench %q: %q %v, want %q", c.cfg.Station.Roles, c.flag, got, err, c.want)
		}
	}
	if _, err := benchOf(config.Default(), "dock"); err == nil || !strings.Contains(err.Error(), "want dispatch, pack, pick, returns or supervise") {
		t.Errorf("--bench dock: %v", err)
	}
}
