// Package catalog is the one list of what apiconform judges: every rule with
// its level, source and summary, and every scenario family with the level
// and source of its status rule, what it sends and what must come back.
//
// Each rule and each family is an exported variable (catalog.StatusDeclared,
// catalog.MethodUnsupported): the verdict names the rules it applies
// through them, the planner the families it generates, the suite the
// families' headings, the audit the rules it shares with a run, and the
// contract checks x-conformance family names against the list. No other
// package spells a rule id: a test scans them for quoted ids. The
// tables of docs/scenarios.md and `apiconform rules` are generated from here.
package catalog

import (
	"sort"
	"strings"
)

// Level says how binding a rule is, and so whether breaking it fails the
// scenario or only warns.
type Level string

// The levels, from the wording of the rule's source.
const (
	// Must is a requirement RFC 9110 (or another RFC) states with MUST:
	// breaking it fails the scenario.
	Must Level = "MUST"
	// Required is an RFC SHOULD that apiconform holds a target to by
	// default: breaking it fails the scenario. A contract that documents
	// another policy says so in x-conformance.
	Required Level = "SHOULD, required"
	// Should is an RFC or OpenAPI SHOULD: breaking it leaves a warning, a
	// failure only with --strict.
	Should Level = "SHOULD"
	// Contract is a statement of the contract (OpenAPI or x-conformance):
	// breaking it fails the scenario.
	Contract Level = "contract"
)

// Fails tells whether breaking a rule of this level fails a scenario
// without --strict.
func (l Level) Fails() bool { return l != Should }

// Rule is one check apiconform applies.
type Rule struct {
	// ID is stable: reports, fault tests and vendors refer to it.
	ID string
	// Level says whether breaking the rule fails or warns.
	Level Level
	// Source is where the rule comes from: an RFC section or a place in
	// the contract.
	Source string
	// Summary says what the rule requires, in a sentence.
	Summary string
}

// Family is a scenario family: what the suite sends, what must come back,
// and the rule its expected status is judged by ("<id>.status").
type Family struct {
	// ID names the family ("params.missing"); the part before the dot is
	// its group ("params"), which x-conformance may name for all its
	// families.
	ID string
	// Title is the heading the family's scenarios run under in the spec
	// tree (Ginkgo's container, so part of the text --focus matches).
	// Families of one group may share it. Empty for the families that run
	// as sequences of their own (states, throttling).
	Title string
	// Level is the level of the status rule.
	Level Level
	// Source is where the expected status comes from, and why the level.
	Source string
	// Summary says what must come back.
	Summary string
	// Exercise says how the family is exercised: the scenario's request in
	// words.
	Exercise string
	// Kinds, when set, are the scenario families its scenarios carry
	// instead of its id (a state's steps, a contract's named scenarios):
	// each has a status rule "<kind>.status".
	Kinds []string
}

// Status is the rule the family's expected status is judged by.
func (f Family) Status() Rule {
	return Rule{ID: f.ID + ".status", Level: f.Level, Source: f.Source, Summary: f.Summary}
}

// StatusIDs are the ids of the family's status rules: "<id>.status", or one
// per kind.
func (f Family) StatusIDs() []string {
	if len(f.Kinds) == 0 {
		return []string{f.ID + ".status"}
	}
	out := make([]string, len(f.Kinds))
	for i, k := range f.Kinds {
		out[i] = k + ".status"
	}
	return out
}

// RFC 9110 is the source of most rules; the constant keeps its spelling one.
const RFC9110 = "RFC 9110"

// rules and families are filled, in declaration order, by the variables of
// rules.go and families.go.
var (
	rules    []Rule
	families []Family
)

// rule lists a fixed rule and returns it, so that the rule is declared once,
// as the variable other packages name it by.
func rule(id string, level Level, source, summary string) Rule {
	r := Rule{ID: id, Level: level, Source: source, Summary: summary}
	rules = append(rules, r)
	return r
}

// family lists a family and returns it, as rule does.
func family(f Family) Family {
	families = append(families, f)
	return f
}

var byID map[string]Rule

func init() {
	byID = make(map[string]Rule, len(rules))
	for _, r := range rules {
		byID[r.ID] = r
	}
}

// Rules lists the fixed rules, sorted by id.
func Rules() []Rule {
	out := append([]Rule(nil), rules...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Families lists the families, in catalogue order.
func Families() []Family { return append([]Family(nil), families...) }

// Lookup returns a fixed rule, or the status rule of a family or of one of
// its kinds ("params.missing.status", "state.enter.status"), by id.
func Lookup(id string) (Rule, bool) {
	if r, ok := byID[id]; ok {
		return r, true
	}
	if name, ok := strings.CutSuffix(id, ".status"); ok {
		if _, ok := FamilyOf(name); ok {
			return StatusRule(name), true
		}
	}
	return Rule{}, false
}

// FamilyOf finds a family by id, or by the family a scenario family is a
// kind of: the scenario "scenario.retired-id" belongs to "scenario",
// "state.enter" to "state".
func FamilyOf(name string) (Family, bool) {
	for n := name; n != ""; {
		for _, f := range families {
			if f.ID == n {
				return f, true
			}
		}
		i := strings.LastIndexByte(n, '.')
		if i < 0 {
			break
		}
		n = n[:i]
	}
	return Family{}, false
}

// StatusRule is the rule a scenario family's expected status is judged by:
// "<name>.status", at the level and from the source of the family it
// belongs to. A name the catalogue does not know (none should reach here)
// is held to the contract.
func StatusRule(name string) Rule {
	if f, ok := FamilyOf(name); ok {
		r := f.Status()
		r.ID = name + ".status"
		return r
	}
	return Rule{ID: name + ".status", Level: Contract, Source: "the contract", Summary: "the status the scenario family requires"}
}

// Nameable tells whether x-conformance skip and status may name a family:
// a family of the catalogue, or a group of them ("params", "method").
// Contract scenarios are named by the contract itself ("scenario.NAME")
// and are checked where the operation is known.
func Nameable(name string) bool {
	for _, f := range families {
		if f.ID == name || strings.HasPrefix(f.ID, name+".") {
			return true
		}
	}
	return false
}

// Nameables lists what x-conformance skip and status may name, sorted: for
// an error message that offers the right spelling.
func Nameables() []string {
	seen := map[string]bool{}
	for _, f := range families {
		seen[f.ID] = true
		if g, _, ok := strings.Cut(f.ID, "."); ok {
			seen[g] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
