package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are every look the screens use, built in one place from a few
// tokens, named by meaning rather than colour.
type Styles struct {
	Bar   lipgloss.Style // the status bar
	Title lipgloss.Style
	Label lipgloss.Style
	Value lipgloss.Style
	Big   lipgloss.Style // the location, read at arm's length
	Muted lipgloss.Style
	OK    lipgloss.Style // feedback blocks
	Warn  lipgloss.Style // done, but look: a held order, an unchecked weight
	Error lipgloss.Style
	// ErrorText is red text without a block, for short marks in a line.
	ErrorText lipgloss.Style
	// WarnText is amber text without a block: SHORT, a moving scale.
	WarnText lipgloss.Style
	Info     lipgloss.Style
	Prompt   lipgloss.Style
	Panel    lipgloss.Style
	KeyHelp  lipgloss.Style
	Progress lipgloss.Style
}

// NewStyles builds the styles from the palette.
func NewStyles() Styles {
	var (
		ink    color.Color = lipgloss.Color("#F5F5F5")
		dim    color.Color = lipgloss.Color("#8A8A8A")
		accent color.Color = lipgloss.Color("#5FAFFF")
		good   color.Color = lipgloss.Color("#1E8E3E")
		bad    color.Color = lipgloss.Color("#C5221F")
		amber  color.Color = lipgloss.Color("#F9AB00")
		note   color.Color = lipgloss.Color("#3A3A3A")
	)
	return Styles{
		Bar:       lipgloss.NewStyle().Background(lipgloss.Color("#263238")).Foreground(ink),
		Title:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Label:     lipgloss.NewStyle().Foreground(dim),
		Value:     lipgloss.NewStyle().Bold(true),
		Big:       lipgloss.NewStyle().Foreground(lipgloss.Color("#FFD75F")).Bold(true),
		Muted:     lipgloss.NewStyle().Foreground(dim),
		OK:        lipgloss.NewStyle().Background(good).Foreground(ink).Bold(true),
		Warn:      lipgloss.NewStyle().Background(amber).Foreground(lipgloss.Color("#202124")).Bold(true),
		Error:     lipgloss.NewStyle().Background(bad).Foreground(ink).Bold(true),
		ErrorText: lipgloss.NewStyle().Foreground(bad).Bold(true),
		WarnText:  lipgloss.NewStyle().Foreground(amber).Bold(true),
		Info:      lipgloss.NewStyle().Background(note).Foreground(ink),
		Prompt:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Panel:     lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(dim).PaddingLeft(1),
		KeyHelp:   lipgloss.NewStyle().Foreground(dim),
		Progress:  lipgloss.NewStyle().Foreground(good),
	}
}
