// Package architecture holds no code, only the test that keeps
// ARCHITECTURE.md true: its "Who may import whom" table and its table of
// package names are read from the document itself, so the rules and the
// doc cannot drift, and every package's imports are checked against them
// with `go list`.
package architecture

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// goPackage is what the test needs of `go list -json`.
type goPackage struct {
	ImportPath   string
	Name         string
	Dir          string
	Standard     bool
	DepOnly      bool
	Module       *struct{ Path string }
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// module is the module's packages and everything they build on.
type module struct {
	path string               // github.com/totewms/tote
	root string               // its directory
	ours []goPackage          // the module's packages, in go list order
	all  map[string]goPackage // by import path, dependencies included
	doc  []byte               // ARCHITECTURE.md
}

// rel is an import path of ours relative to the module ("station/tui");
// ok is false for a path outside the module.
func (m module) rel(importPath string) (string, bool) {
	if importPath == m.path {
		return ".", true
	}
	r, ok := strings.CutPrefix(importPath, m.path+"/")
	return r, ok
}

// loadModule runs go list once for all the tests.
func loadModule(t *testing.T) module {
	t.Helper()
	m, err := loaded()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var loaded = sync.OnceValues(func() (module, error) {
	var mod struct{ Path, Dir string }
	out, err := goCommand("", "list", "-m", "-json")
	if err != nil {
		return module{}, err
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return module{}, fmt.Errorf("go list -m: %v", err)
	}
	m := module{path: mod.Path, root: mod.Dir, all: map[string]goPackage{}}
	out, err = goCommand(m.root, "list", "-deps", "-json", "./...")
	if err != nil {
		return module{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return module{}, fmt.Errorf("reading go list -json: %v", err)
		}
		m.all[p.ImportPath] = p
		if !p.DepOnly && p.Module != nil && p.Module.Path == m.path {
			m.ours = append(m.ours, p)
		}
	}
	if len(m.ours) == 0 {
		return module{}, errors.New("go list found no packages in the module")
	}
	if err := readSources(m.root); err != nil {
		return module{}, fmt.Errorf("reading the module's sources: %v", err)
	}
	if m.doc, err = os.ReadFile(filepath.Join(m.root, "ARCHITECTURE.md")); err != nil {
		return module{}, err
	}
	return m, nil
})

// readSources opens every directory and Go file of the module. go test
// caches a passing result until a file the test itself opened changes;
// go list reads the sources in a child process, which the cache does not
// see, so without this a new forbidden import would not rerun the test.
func readSources(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(name, ".go") || name == "go.mod") {
			_, err = os.ReadFile(path)
		}
		return err
	})
}

func goCommand(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// rule is one row of the import table.
type rule struct {
	line     int      // in ARCHITECTURE.md
	packages []string // the first column: "station/tui", "devices/*"
	text     string   // the second column as written
	anything bool     // "anything"
	allowed  []string // the backquoted paths before "Never"
	never    []string // the backquoted paths after it
}

func (r rule) String() string {
	return fmt.Sprintf("ARCHITECTURE.md:%d: %s may import %s", r.line, strings.Join(r.packages, ", "), r.text)
}

var backquoted = regexp.MustCompile("`([^`]+)`")

// tableRows returns the rows (cells and line number) of the Markdown table
// whose header row is header, e.g. "| package | may import |".
func tableRows(t *testing.T, doc []byte, header string) (rows [][]string, lines []int) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(doc))
	in := false
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case !in && line == header:
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows, lines = append(rows, cells), append(lines, n)
		case in:
			return rows, lines
		}
	}
	if !in {
		t.Fatalf("ARCHITECTURE.md has no table with the header %q", header)
	}
	return rows, lines
}

func tokens(s string) []string {
	var out []string
	for _, m := range backquoted.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func importRules(t *testing.T, doc []byte) []rule {
	t.Helper()
	rows, lines := tableRows(t, doc, "| package | may import |")
	var rules []rule
	for i, cells := range rows {
		if len(cells) != 2 || len(tokens(cells[0])) == 0 {
			t.Fatalf("ARCHITECTURE.md:%d: a row of the import table is `| `package` | what it may import |`", lines[i])
		}
		r := rule{line: lines[i], packages: tokens(cells[0]), text: cells[1]}
		r.anything = strings.HasPrefix(strings.ToLower(cells[1]), "anything")
		allowed, never, _ := strings.Cut(cells[1], "Never")
		r.allowed, r.never = tokens(allowed), tokens(never)
		rules = append(rules, r)
	}
	return rules
}

// covers says whether a pattern from the table matches a path of ours:
// "station" only station, "devices/*" devices and every package under it.
func covers(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/*"); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// ruleFor is the row for a package of ours: the row naming it exactly,
// else the row with the longest "x/*" that covers it.
func ruleFor(rules []rule, path string) (rule, bool) {
	var best rule
	bestLen := -1
	for _, r := range rules {
		for _, p := range r.packages {
			if !covers(p, path) {
				continue
			}
			n := len(p)
			if !strings.HasSuffix(p, "/*") {
				n = 1 << 20 // an exact row beats any wildcard
			}
			if n > bestLen {
				best, bestLen = r, n
			}
		}
	}
	return best, bestLen >= 0
}

// external says whether a table entry names an outside module or package
// ("charm.land/lipgloss/v2", "github.com/BurntSushi/toml"): its first
// element has a dot, as a module path's does and ours never do.
func external(entry string) bool {
	first, _, _ := strings.Cut(entry, "/")
	return strings.Contains(first, ".")
}

// permits says whether entry allows the import: an outside entry allows its
// path and everything under it, one of ours follows covers.
func permits(entry, imp string, m module) bool {
	if external(entry) {
		return imp == entry || strings.HasPrefix(imp, entry+"/")
	}
	rel, ok := m.rel(imp)
	return ok && covers(entry, rel)
}

func TestImportsFollowTheTable(t *testing.T) {
	m := loadModule(t)
	doc := m.doc
	rules := importRules(t, doc)
	for _, p := range m.ours {
		path, _ := m.rel(p.ImportPath)
		r, ok := ruleFor(rules, path)
		if !ok {
			t.Errorf("%s has no row in ARCHITECTURE.md's import table (\"Who may import whom\"): add one saying what it may import", path)
			continue
		}
		if r.anything {
			continue
		}
		for _, imp := range p.Imports {
			if dep, ok := m.all[imp]; ok && dep.Standard {
				continue // the standard library is open to every package
			}
			if slices.ContainsFunc(r.allowed, func(e string) bool { return permits(e, imp, m) }) {
				continue
			}
			shown := imp
			if rel, ours := m.rel(imp); ours {
				shown = rel
			}
			why := "it is not in the row's list"
			if slices.ContainsFunc(r.never, func(e string) bool { return permits(e, imp, m) }) {
				why = "the row forbids it"
			}
			t.Errorf("%s imports %s, which the import table does not allow (%s)\n\t%s", path, shown, why, r)
		}
	}
}

// TestImportTableNamesWhatExists keeps the table from going stale: every
// path it names is a package of ours (or has packages under it, for "x/*")
// or an outside package the module builds with.
func TestImportTableNamesWhatExists(t *testing.T) {
	m := loadModule(t)
	doc := m.doc
	exists := func(entry string) bool {
		for imp := range m.all {
			if permits(entry, imp, m) {
				return true
			}
		}
		return false
	}
	for _, r := range importRules(t, doc) {
		for _, e := range slices.Concat(r.packages, r.allowed, r.never) {
			if !exists(e) {
				t.Errorf("ARCHITECTURE.md:%d names %s, which is no package the module builds: remove it or correct it", r.line, e)
			}
		}
	}
}

// TestNoPackageNamedLikeTheStandardLibrary: a package of ours named like a
// standard one (synctest, like testing/synctest) needs an alias wherever
// both are wanted and misleads a reader who sees only the name. The few
// names the domain wants anyway are listed in ARCHITECTURE.md, and then
// nothing of ours may import the standard package they share a name with.
func TestNoPackageNamedLikeTheStandardLibrary(t *testing.T) {
	m := loadModule(t)
	doc := m.doc
	std := map[string][]string{} // package name → standard import paths
	out, err := goCommand(m.root, "list", "-f", "{{.ImportPath}} {{.Name}}", "std")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, name, _ := strings.Cut(line, " ")
		if path == "internal" || strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/") ||
			strings.HasPrefix(path, "vendor/") {
			continue // no one outside the standard library can import these
		}
		std[name] = append(std[name], path)
	}

	rows, lines := tableRows(t, doc, "| package | shares its name with | why it keeps it |")
	excepted := map[string][]string{}
	for i, cells := range rows {
		pkgs := tokens(cells[0])
		if len(cells) < 2 || len(pkgs) != 1 {
			t.Fatalf("ARCHITECTURE.md:%d: a row of the package name table is `| `package` | `standard/package`, … | why it keeps it |`", lines[i])
		}
		excepted[pkgs[0]] = tokens(cells[1])
	}

	clashing := map[string]bool{} // standard paths that a name of ours shadows
	for _, p := range m.ours {
		path, _ := m.rel(p.ImportPath)
		shadowed, ok := std[p.Name]
		if !ok {
			continue
		}
		listed, isExcepted := excepted[path]
		if !isExcepted {
			t.Errorf("%s is package %s, like the standard library's %s: rename it to say what it holds", path, p.Name, strings.Join(shadowed, ", "))
			continue
		}
		if !slices.Equal(slices.Sorted(slices.Values(listed)), slices.Sorted(slices.Values(shadowed))) {
			t.Errorf("ARCHITECTURE.md's package name table says %s shares its name with %s; the standard library has %s", path, strings.Join(listed, ", "), strings.Join(shadowed, ", "))
		}
		for _, s := range shadowed {
			clashing[s] = true
		}
	}
	for path := range excepted {
		p, ok := m.all[m.path+"/"+path]
		if !ok || std[p.Name] == nil {
			t.Errorf("ARCHITECTURE.md's package name table lists %s, which no longer shares a name with the standard library: remove the row", path)
		}
	}
	for _, p := range m.ours {
		path, _ := m.rel(p.ImportPath)
		for _, imp := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			if clashing[imp] {
				t.Errorf("%s imports %s, whose name a package of ours shares (ARCHITECTURE.md's package name table allows the name only while nothing imports it)", path, imp)
			}
		}
	}
}
