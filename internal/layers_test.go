// Package internal_test guards the direction of the flow: contract, plan,
// exchange, verdict, report, suite, command. A package imports only the
// project's packages of a lower layer, so that no package reaches back up
// and each can be read, tested and changed knowing only those below it.
package internal_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/apiconform/apiconform/"

// layers orders the project's packages, lowest first; a pattern ending in
// "/..." takes the packages below it too. A new package goes into the
// layer that says what it may use.
var layers = [][]string{
	// leaves: data and helpers that know nothing of the flow
	{"internal/catalog", "internal/console", "internal/suggest", "internal/overlay", "internal/testcert", "internal/testnet", "specs", "fixtures"},
	// reference targets: servers built on their kit and registered in
	// fixtures, never on the tool's own packages
	{"fixtures/kit/..."},
	{"fixtures/...", "internal/contract"},
	{"fixtures/all", "internal/plan", "internal/audit"},
	{"internal/probe"},
	{"internal/verdict"},
	{"internal/report"},
	{"suites/..."},
	{"cmd/..."},
}

// layerOf is the layer of a package path relative to the module, -1 when
// no pattern takes it.
func layerOf(rel string) int {
	best, bestLen := -1, -1
	for i, layer := range layers {
		for _, pat := range layer {
			base, tree := strings.CutSuffix(pat, "/...")
			if rel == base || (tree && strings.HasPrefix(rel, base+"/")) {
				if len(base) > bestLen { // the most precise pattern wins
					best, bestLen = i, len(base)
				}
			}
		}
	}
	return best
}

func TestEveryPackageImportsOnlyLowerLayers(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		// the corpus is a module of its own; testdata and hidden
		// directories hold no package of this module
		if rel == "fixtures/corpus" || name == "testdata" || (strings.HasPrefix(name, ".") && rel != ".") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil || rel == "." || rel == "internal" {
			return nil // no Go package here (or this test's own)
		}
		checked++
		own := layerOf(rel)
		if own < 0 {
			t.Errorf("%s is in no layer: add it to layers in internal/layers_test.go", rel)
			return nil
		}
		var bad []string
		for _, imp := range pkg.Imports {
			dep, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if l := layerOf(dep); l < 0 || l >= own {
				bad = append(bad, dep)
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s (layer %d) imports %s, not of a lower layer: the flow runs one way", rel, own, strings.Join(bad, ", "))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 15 {
		t.Fatalf("only %d packages checked: the walk is broken", checked)
	}
}
