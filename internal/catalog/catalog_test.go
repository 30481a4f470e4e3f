package catalog

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's rules table from the catalogue")

// TestREADMERulesTable keeps the README's rules table equal to the
// catalogue it is generated from.
func TestREADMERulesTable(t *testing.T) {
	const path = "../../README.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	begin, end := strings.Index(readme, RulesBegin), strings.Index(readme, RulesEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the rules table markers %q and %q", RulesBegin, RulesEnd)
	}
	got := readme[begin+len(RulesBegin) : end]
	want := "\n\n" + Markdown() + "\n"
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:begin+len(RulesBegin)]+want+readme[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("README.md's rules table differs from the catalogue: run go test ./internal/catalog -update")
}

func TestEveryRuleHasLevelSourceAndSummary(t *testing.T) {
	levels := map[Level]bool{Must: true, Required: true, Should: true, Contract: true}
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || !levels[r.Level] || r.Source == "" || r.Summary == "" {
			t.Errorf("rule %+v: duplicated, or lacking a level, source or summary", r)
		}
		seen[r.ID] = true
	}
	for _, f := range Families() {
		if !levels[f.Level] || f.Source == "" || f.Sends == "" {
			t.Errorf("family %+v lacks a level, source or what it sends", f)
		}
		if seen[f.Name+".status"] {
			t.Errorf("family %s's status rule is also a fixed rule", f.Name)
		}
	}
	// A rule stated with MUST in its source is at MUST level, and a rule
	// at MUST level names an RFC: the level must be honest.
	for _, r := range Rules() {
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

func TestLookupAndFamilies(t *testing.T) {
	for id, want := range map[string]Level{
		"allow.present":                Must,
		"options.allow":                Should,
		"method.options.status":        Should,
		"params.missing.status":        Required,
		"scenario.retired-id.status":   Contract,
		"state.switching.status":       Contract,
		"body.unknown-property.status": Required,
		"server.error":                 Required,
		"method.unsupported.status":    Required,
		"resource.missing-id.status":   Required,
		"credentials.invalid.status":   Required,
		"no-content.body":              Must,
		"status.explicit":              Should,
		"envelope.inferred":            Should,
	} {
		r, ok := Lookup(id)
		if !ok || r.Level != want {
			t.Errorf("Lookup(%q) = %+v, %v; want level %s", id, r, ok, want)
		}
	}
	if _, ok := Lookup("no.such.rule"); ok {
		t.Error("an unknown rule must not be found")
	}
	for name, want := range map[string]bool{"params": true, "params.missing": true, "method": true, "success": true, "sucess": false, "params.mising": false, "": false} {
		if Nameable(name) != want {
			t.Errorf("Nameable(%q) = %v", name, !want)
		}
	}
}
