package catalog

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated tables of docs/scenarios.md from the catalogue")

// TestREADMETables keeps the rules and families tables of docs/scenarios.md equal to
// the catalogue they are generated from.
func TestREADMETables(t *testing.T) {
	const path = "../../docs/scenarios.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	changed := false
	for _, table := range []struct{ begin, end, text string }{
		{RulesBegin, RulesEnd, Markdown()},
		{FamiliesBegin, FamiliesEnd, FamiliesMarkdown()},
	} {
		begin, end := strings.Index(readme, table.begin), strings.Index(readme, table.end)
		if begin < 0 || end < begin {
			t.Fatalf("docs/scenarios.md lacks the table markers %q and %q", table.begin, table.end)
		}
		got := readme[begin+len(table.begin) : end]
		want := "\n\n" + table.text + "\n"
		if got == want {
			continue
		}
		if !*update {
			t.Errorf("docs/scenarios.md's table after %q differs from the catalogue: run go test ./internal/catalog -update", table.begin)
			continue
		}
		readme = readme[:begin+len(table.begin)] + want + readme[end:]
		changed = true
	}
	if changed {
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEveryRuleAndFamilyIsComplete(t *testing.T) {
	levels := map[Level]bool{Must: true, Required: true, Should: true, Contract: true}
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || !levels[r.Level] || r.Source == "" || r.Summary == "" {
			t.Errorf("rule %+v: duplicated, or lacking a level, source or summary", r)
		}
		seen[r.ID] = true
	}
	for _, f := range Families() {
		if seen[f.ID] || !levels[f.Level] || f.Source == "" || f.Summary == "" || f.Exercise == "" {
			t.Errorf("family %+v: duplicated, or lacking a level, source, summary or what it sends", f)
		}
		seen[f.ID] = true
		for _, id := range f.StatusIDs() {
			if _, fixed := byID[id]; fixed {
				t.Errorf("family %s's status rule %s is also a fixed rule", f.ID, id)
			}
			if r, ok := Lookup(id); !ok || r.ID != id || r.Level != f.Level {
				t.Errorf("Lookup(%q) = %+v, %v; want the status rule of %s", id, r, ok, f.ID)
			}
		}
		// A family that runs among the stateless scenarios has a heading;
		// the sequences have containers of their own.
		sequence := f.ID == State.ID || f.ID == StateSwitching.ID || f.ID == Throttling.ID
		if (f.Title == "") != sequence {
			t.Errorf("family %s: title %q", f.ID, f.Title)
		}
	}
	// A rule stated with MUST in its source is at MUST level, and a rule
	// at MUST level names an RFC: the level must be honest.
	all := Rules()
	for _, f := range Families() {
		all = append(all, f.Status())
	}
	for _, r := range all {
		if strings.Contains(r.Source, "(MUST") && r.Level != Must {
			t.Errorf("%s cites a MUST but is at level %s", r.ID, r.Level)
		}
		if r.Level == Must && !strings.Contains(r.Source, "RFC") {
			t.Errorf("%s is at MUST level without an RFC source", r.ID)
		}
		if r.Level == Contract && strings.Contains(r.Source, "SHOULD") {
			t.Errorf("%s cites a SHOULD but is held as a contract statement", r.ID)
		}
	}
}

// TestStepsBelongToTheirFamilies: each step of a sequence is a kind of a
// catalogue family, and is judged by a status rule of its own, by the
// rule of its id, or (the burst) by its family's status rule.
func TestStepsBelongToTheirFamilies(t *testing.T) {
	steps := []string{StepStateEnter, StepStateCheck, StepStateServes, StepStateRefuses, StepStateLeave, StepStateRestore, StepStateRecovers, StepStateAfter, StepThrottlingBurst, StepThrottlingRecovers}
	for _, step := range steps {
		f, ok := FamilyOf(step)
		if !ok || (f.ID != State.ID && f.ID != Throttling.ID) {
			t.Errorf("step %s belongs to %+v", step, f)
			continue
		}
		_, fixed := byID[step]
		kind := slices.Contains(f.Kinds, step)
		judgedBy := 0
		for _, b := range []bool{fixed, kind, step == StepThrottlingBurst} {
			if b {
				judgedBy++
			}
		}
		if judgedBy != 1 {
			t.Errorf("step %s: a rule of its id %v, a kind with its own status rule %v", step, fixed, kind)
		}
	}
	for _, k := range State.Kinds {
		if !slices.Contains(steps, k) {
			t.Errorf("State.Kinds names %s, which is no step", k)
		}
	}
}

func TestLookupAndFamilies(t *testing.T) {
	for id, want := range map[string]Level{
		"allow.present":                Must,
		"options.allow":                Should,
		"method.options.status":        Should,
		"params.missing.status":        Required,
		"scenario.retired-id.status":   Contract,
		"state.switching.status":       Contract,
		"state.enter.status":           Contract,
		"body.unknown-property.status": Required,
		"server.error":                 Required,
		"method.unsupported.status":    Required,
		"resource.missing-id.status":   Required,
		"credentials.invalid.status":   Required,
		"no-content.body":              Must,
		"status.explicit":              Should,
		"envelope.inferred":            Should,
		"route.unknown":                Contract,
	} {
		r, ok := Lookup(id)
		if !ok || r.Level != want || r.ID != id {
			t.Errorf("Lookup(%q) = %+v, %v; want level %s", id, r, ok, want)
		}
	}
	if _, ok := Lookup("no.such.rule"); ok {
		t.Error("an unknown rule must not be found")
	}
	for name, want := range map[string]bool{"params": true, "params.missing": true, "method": true, "success": true, "state": true, "sucess": false, "params.mising": false, "state.enter": false, "": false} {
		if Nameable(name) != want {
			t.Errorf("Nameable(%q) = %v", name, !want)
		}
	}
	if got := StatusRule("something.else"); got.Level != Contract || got.ID != "something.else.status" {
		t.Errorf("StatusRule of an unknown family: %+v", got)
	}
	if got := StatusRule("scenario.retired-id"); got.ID != "scenario.retired-id.status" || !strings.Contains(got.Source, "x-conformance scenarios") {
		t.Errorf("StatusRule(scenario.retired-id) = %+v", got)
	}
}
