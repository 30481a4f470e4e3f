package catalog

import (
	"fmt"
	"strings"
)

// Markdown writes the rules table of docs/scenarios.md: the family status rules,
// then the fixed rules, each with its level and source. The file holds
// it between the markers RulesBegin and RulesEnd, and a test keeps the two
// equal.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| rule | level | source | requires |\n|---|---|---|---|\n")
	for _, f := range families {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", codes(f.StatusIDs()), f.Level, cell(f.Source), cell(f.Summary))
	}
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Level, cell(r.Source), cell(r.Summary))
	}
	return b.String()
}

// FamiliesMarkdown writes the families table of docs/scenarios.md: what each
// family sends and what must come back. The file holds it between the
// markers FamiliesBegin and FamiliesEnd.
func FamiliesMarkdown() string {
	var b strings.Builder
	b.WriteString("| family | what is sent | what must come back |\n|---|---|---|\n")
	for _, f := range families {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.ID, cell(f.Exercise), cell(f.Summary))
	}
	return b.String()
}

// The markers around the generated tables in docs/scenarios.md.
const (
	RulesBegin    = "<!-- rules table: generated from internal/catalog; go test ./internal/catalog -update rewrites it -->"
	RulesEnd      = "<!-- end of rules table -->"
	FamiliesBegin = "<!-- families table: generated from internal/catalog; go test ./internal/catalog -update rewrites it -->"
	FamiliesEnd   = "<!-- end of families table -->"
)

func codes(ids []string) string {
	return "`" + strings.Join(ids, "`, `") + "`"
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
