package catalog

import (
	"fmt"
	"strings"
)

// Markdown writes the rules table of the README: the family status rules,
// then the fixed rules, each with its level and source. The README holds
// it between the markers RulesBegin and RulesEnd, and a test keeps the two
// equal.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| rule | level | source | requires |\n|---|---|---|---|\n")
	for _, f := range families {
		r := StatusRule(f)
		if id, ok := statusIDs[f.Name]; ok {
			r.ID = id
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Level, cell(r.Source), cell(r.Summary))
	}
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Level, cell(r.Source), cell(r.Summary))
	}
	return b.String()
}

// The markers around the generated table in the README.
const (
	RulesBegin = "<!-- rules table: generated from internal/catalog; go test ./internal/catalog -update rewrites it -->"
	RulesEnd   = "<!-- end of rules table -->"
)

// statusIDs name the status rules of families whose kinds the contract
// names.
var statusIDs = map[string]string{
	"scenario": "scenario.NAME.status",
	"state":    "state.enter.status`, `state.leave.status`, `state.serves.status`, `state.refuses.status`, `state.after.status",
}

func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
