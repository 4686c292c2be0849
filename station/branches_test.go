package station_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// benchBranches counts the places in dir's Go files (tests aside) that
// decide by which bench runs: a use of a bench's name constant, a
// comparison or switch on a Bench field, a packing() call, and any use of
// a bench workflow's package (pick., pack.) inside a function body.
func benchBranches(t *testing.T, dir string) (n int, where []string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		hit := func(node ast.Node, what string) {
			n++
			where = append(where, fset.Position(node.Pos()).String()+": "+what)
		}
		isBench := func(e ast.Expr) bool {
			switch e := e.(type) {
			case *ast.SelectorExpr:
				return e.Sel.Name == "Bench"
			case *ast.Ident:
				return e.Name == "bench" || e.Name == "Bench"
			}
			return false
		}
		ast.Inspect(f, func(node ast.Node) bool {
			switch x := node.(type) {
			case *ast.GenDecl:
				if x.Tok == token.CONST {
					return false // the names' declaration is no branch
				}
			case *ast.Ident:
				if x.Name == "BenchPick" || x.Name == "BenchPack" {
					hit(x, x.Name)
				}
			case *ast.BinaryExpr:
				if (x.Op == token.EQL || x.Op == token.NEQ) && (isBench(x.X) || isBench(x.Y)) {
					hit(x, "a comparison on the bench")
				}
			case *ast.SwitchStmt:
				if x.Tag != nil && isBench(x.Tag) {
					hit(x, "a switch on the bench")
				}
			case *ast.CallExpr:
				if s, ok := x.Fun.(*ast.SelectorExpr); ok && s.Sel.Name == "packing" {
					hit(x, "packing()")
				}
			case *ast.FuncDecl:
				if x.Body != nil {
					ast.Inspect(x.Body, func(m ast.Node) bool {
						if s, ok := m.(*ast.SelectorExpr); ok {
							if id, ok := s.X.(*ast.Ident); ok && (id.Name == "pick" || id.Name == "pack") {
								hit(s, id.Name+"."+s.Sel.Name)
							}
						}
						return true
					})
				}
			}
			return true
		})
	}
	return n, where
}

// TestNoBenchBranchesInStation: the station holds one Bench and never asks
// which, the screens' root model routes to the bench's page without asking
// either, and the binary only wires (its benches.go imports each bench and
// its page): every bench-specific decision lives in the bench's package
// (station/pickcart, station/tui/pickpage, …).
func TestNoBenchBranchesInStation(t *testing.T) {
	for _, dir := range []string{".", "tui", "tui/ui", "../cmd/tote"} {
		if n, where := benchBranches(t, dir); n != 0 {
			t.Errorf("%d bench-specific branches in %s (want none; they belong in the bench's package):\n%s", n, dir, strings.Join(where, "\n"))
		}
	}
}
