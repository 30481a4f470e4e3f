// Package verdict judges an exchange against the contract and the scenario's
// expectations. It collects every mismatch, each with its rule id, the rule's
// level and its source (an RFC section or the contract), so that a spec fails
// once with the whole list.
package verdict

import (
	"github.com/apiconform/apiconform/internal/catalog"
)

// Rule is one check apiconform applies; the catalogue holds them all.
type Rule = catalog.Rule

// Lookup returns a rule by id: a fixed rule or a family's status rule.
func Lookup(id string) (Rule, bool) { return catalog.Lookup(id) }

// Rules lists the fixed rules, sorted by id.
func Rules() []Rule { return catalog.Rules() }

// StatusRule is the rule a family's expected status is judged by:
// "<family>.status". A family the catalogue does not know (none should
// reach here) is held to the contract.
func StatusRule(family string) Rule {
	if f, ok := catalog.FamilyOf(family); ok {
		r := catalog.StatusRule(f)
		r.ID = family + ".status"
		return r
	}
	return Rule{ID: family + ".status", Level: catalog.Contract, Source: "the contract", Summary: "the status the scenario family requires"}
}
