package catalog

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// DocumentSchema names the layout of Document's JSON. It changes only when
// a field is removed or changes meaning; fields may be added.
const DocumentSchema = "apiconform-rules/1"

// Document is the catalogue as `apiconform rules --json` writes it.
type Document struct {
	Schema   string        `json:"schema"`
	Families []FamilyEntry `json:"families"`
	Rules    []RuleEntry   `json:"rules"`
}

// FamilyEntry is one family in a Document.
type FamilyEntry struct {
	ID string `json:"id"`
	// StatusRules are the ids of the rules its expected status is judged
	// by: "<id>.status", or one per kind.
	StatusRules []string `json:"status_rules"`
	Level       Level    `json:"level"`
	// Fails tells whether breaking the status rule fails a run without
	// --strict.
	Fails    bool   `json:"fails"`
	Source   string `json:"source"`
	Summary  string `json:"summary"`
	Exercise string `json:"exercise"`
}

// RuleEntry is one fixed rule in a Document.
type RuleEntry struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	Fails   bool   `json:"fails"`
	Source  string `json:"source"`
	Summary string `json:"summary"`
}

// Doc returns the catalogue as a Document: the families in catalogue
// order, the fixed rules sorted by id.
func Doc() Document {
	d := Document{Schema: DocumentSchema}
	for _, f := range families {
		d.Families = append(d.Families, FamilyEntry{ID: f.ID, StatusRules: f.StatusIDs(), Level: f.Level, Fails: f.Level.Fails(), Source: f.Source, Summary: f.Summary, Exercise: f.Exercise})
	}
	for _, r := range Rules() {
		d.Rules = append(d.Rules, RuleEntry{ID: r.ID, Level: r.Level, Fails: r.Level.Fails(), Source: r.Source, Summary: r.Summary})
	}
	return d
}

// WriteJSON writes the Document, indented.
func WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Doc())
}

// WriteText writes the catalogue as two tables, the families then the
// fixed rules, each row an id, a level, a source and a summary.
func WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAMILY\tLEVEL\tSOURCE\tMUST COME BACK")
	for _, f := range families {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.ID, f.Level, f.Source, f.Summary)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "RULE\tLEVEL\tSOURCE\tREQUIRES")
	for _, r := range Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Source, r.Summary)
	}
	return tw.Flush()
}
