package config

import (
	"os"
	"path/filepath"
	"testing"
)

// Start-up cost: a station parses its file once, so these figures matter
// only to show that checking everything costs next to nothing.

func BenchmarkParseExample(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "station.example.toml"))
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv("HOME", b.TempDir())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("/etc/tote/station.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseWithErrors(b *testing.B) {
	data := []byte(manyProblems)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("/etc/tote/station.toml", data); err == nil {
			b.Fatal("no errors")
		}
	}
}

func BenchmarkIndexKeys(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "station.example.toml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		indexKeys(data)
	}
}
