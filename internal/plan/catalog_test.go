package plan

import (
	"slices"
	"testing"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/specs"
)

// TestGeneratorsCoverTheCatalogue: every family of the catalogue has a
// generator, or is one of the sequences the plan builds itself, and no
// generator makes a family the catalogue lacks; every scenario planned for
// a shipped contract carries a family of the catalogue (or a kind of one).
func TestGeneratorsCoverTheCatalogue(t *testing.T) {
	made := map[string]bool{catalog.State.ID: true, catalog.StateSwitching.ID: true, catalog.Throttling.ID: true}
	for _, id := range Families() {
		if made[id] {
			t.Errorf("family %s is generated twice", id)
		}
		made[id] = true
	}
	for _, f := range catalog.Families() {
		if !made[f.ID] {
			t.Errorf("the catalogue's family %s has no generator", f.ID)
		}
		delete(made, f.ID)
	}
	for id := range made {
		t.Errorf("a generator makes %s, which the catalogue lacks", id)
	}
	for _, name := range specs.Names() {
		c, err := contract.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Build(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range p.All() {
			f, ok := catalog.FamilyOf(s.Family)
			if !ok {
				t.Errorf("%s: scenario %q carries %s, which is in no catalogue family", name, s.Name, s.Family)
				continue
			}
			if s.Family != f.ID && f.ID != catalog.Scenario.ID && f.ID != catalog.State.ID && f.ID != catalog.Throttling.ID {
				t.Errorf("%s: scenario %q carries %s, a kind of %s, which has no kinds", name, s.Name, s.Family, f.ID)
			}
			if s.Phase == PhaseStateless && !slices.Contains(Families(), f.ID) {
				t.Errorf("%s: stateless scenario %q of %s, which no generator makes", name, s.Name, f.ID)
			}
		}
	}
}
