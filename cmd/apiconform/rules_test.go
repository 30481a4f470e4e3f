package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/catalog"
)

// TestRulesCommandText: the built binary prints the families, then the
// rules, one row each starting with its id, with its level.
func TestRulesCommandText(t *testing.T) {
	code, out, stderr := inProcessApart(t, nil, "rules")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{"FAMILY"}
	for _, f := range catalog.Families() {
		want = append(want, f.ID+" "+string(f.Level))
	}
	want = append(want, "", "RULE")
	for _, r := range catalog.Rules() {
		want = append(want, r.ID+" "+string(r.Level))
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i, w := range want {
		id, level, _ := strings.Cut(w, " ")
		fields := strings.Fields(lines[i])
		if w == "" && lines[i] != "" || w != "" && (len(fields) == 0 || fields[0] != id || !strings.Contains(lines[i], "  "+level+"  ")) {
			t.Errorf("line %d is %q, want the row of %q", i+1, lines[i], w)
		}
	}
}

// TestRulesCommandJSON: --json writes the documented schema, every family
// and rule of the catalogue, and nothing else.
func TestRulesCommandJSON(t *testing.T) {
	code, out, stderr := inProcessApart(t, nil, "rules", "--json")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var doc catalog.Document
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "apiconform-rules/1" || len(doc.Families) != len(catalog.Families()) || len(doc.Rules) != len(catalog.Rules()) {
		t.Fatalf("schema %q, %d families, %d rules", doc.Schema, len(doc.Families), len(doc.Rules))
	}
	for i, f := range catalog.Families() {
		got := doc.Families[i]
		if got.ID != f.ID || got.Level != f.Level || got.Fails != f.Level.Fails() || got.Summary != f.Summary || got.Exercise != f.Exercise || !slices.Equal(got.StatusRules, f.StatusIDs()) {
			t.Errorf("family %d: %+v, want %s", i, got, f.ID)
		}
	}
	for i, r := range catalog.Rules() {
		if got := doc.Rules[i]; got.ID != r.ID || got.Level != r.Level || got.Source != r.Source || got.Fails != r.Level.Fails() {
			t.Errorf("rule %d: %+v, want %s", i, got, r.ID)
		}
	}
	// The keys are the README's: a renamed or dropped one breaks readers.
	var raw struct {
		Families []map[string]any `json:"families"`
		Rules    []map[string]any `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return strings.Join(k, " ")
	}
	if got := keys(raw.Families[0]); got != "exercise fails id level source status_rules summary" {
		t.Errorf("family keys: %s", got)
	}
	if got := keys(raw.Rules[0]); got != "fails id level source summary" {
		t.Errorf("rule keys: %s", got)
	}
	if code, _, stderr := inProcessApart(t, nil, "rules", "--jsn"); code != exitUsage || !strings.Contains(stderr, "did you mean --json?") {
		t.Errorf("rules --jsn: exit %d, %q", code, stderr)
	}
	if code, stdout, _ := inProcessApart(t, nil, "help", "rules"); code != exitOK || !strings.Contains(stdout, "Usage: apiconform rules [--json]") {
		t.Errorf("help rules: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := inProcessApart(t, nil, "help"); code != exitOK || !strings.Contains(stdout, "apiconform rules [--json]") {
		t.Errorf("the usage does not list rules:\n%s", stdout)
	}
}
