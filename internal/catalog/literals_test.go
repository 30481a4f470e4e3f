package catalog

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// judging are the directories whose code names rules and families: they
// must name them through the catalogue's variables, never by a quoted id
// (a typo there would be a rule no table lists, and a rename would miss
// it).
var judging = []string{
	"../verdict",
	"../audit",
	"../plan",
	"../../suites/conformance",
	"../../cmd/apiconform",
}

// TestNoRuleOrFamilyIDLiterals scans the Go code of those directories
// (tests aside, which state the ids they expect on purpose) for string
// literals that spell a rule id, a family id, a step, or the ".status"
// suffix a status rule id would be built with.
func TestNoRuleOrFamilyIDLiterals(t *testing.T) {
	ids := map[string]string{".status": "the status rule suffix"}
	for _, r := range Rules() {
		ids[r.ID] = "rule"
	}
	for _, f := range Families() {
		ids[f.ID] = "family"
		for _, id := range f.StatusIDs() {
			ids[id] = "status rule"
		}
	}
	for _, s := range []string{StepStateEnter, StepStateCheck, StepStateServes, StepStateRefuses, StepStateLeave, StepStateRestore, StepStateRecovers, StepStateAfter, StepThrottlingBurst, StepThrottlingRecovers} {
		ids[s] = "step"
	}
	var found []string
	scanned := 0
	for _, dir := range judging {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			scanned++
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				if what, hit := ids[s]; hit {
					found = append(found, fmt.Sprintf("%s: %q spells a %s: use the catalogue's variable", fset.Position(lit.Pos()), s, what))
				}
				return true
			})
		}
	}
	if scanned < 20 {
		t.Fatalf("only %d files scanned: the directories moved?", scanned)
	}
	sort.Strings(found)
	for _, f := range found {
		t.Error(f)
	}
}
