package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/suggest"
)

// maxNamesShown bounds the parameters an unknown --value lists: a large
// contract has hundreds, and the message must stay one readable line.
const maxNamesShown = 30

// applyValues adds the --value NAME=VALUE pairs to the contract's known
// values. A name that no operation has as a parameter is refused: a
// misspelt id would otherwise be ignored without a word, and the run
// would invent the id it was meant to use.
func applyValues(c *contract.Contract, values []string) error {
	names := c.ParameterNames()
	for _, kv := range values {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return fmt.Errorf("--value %q: expected NAME=VALUE", kv)
		}
		if !slices.Contains(names, name) {
			return unknownValue(c, name, names)
		}
		if c.Conformance.Values == nil {
			c.Conformance.Values = map[string]any{}
		}
		c.Conformance.Values[name] = val
	}
	return nil
}

// unknownValue says a --value names no parameter, with the nearest name
// and the names there are.
func unknownValue(c *contract.Contract, name string, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("--value %s=...: contract %s has no parameters, so it takes no --value", name, c.Name)
	}
	msg := fmt.Sprintf("--value %s=...: no operation of contract %s has a parameter %q", name, c.Name, name)
	near := ""
	for _, n := range names {
		// a name that differs only in case is the likeliest meaning
		if strings.EqualFold(n, name) {
			near = n
			break
		}
	}
	if near == "" {
		near = suggest.Nearest(name, names)
	}
	if near != "" {
		msg += fmt.Sprintf("; did you mean %s?", near)
	}
	shown := names
	more := ""
	if len(shown) > maxNamesShown {
		shown, more = shown[:maxNamesShown], fmt.Sprintf(" and %d more", len(names)-maxNamesShown)
	}
	return fmt.Errorf("%s (parameters: %s%s)", msg, strings.Join(shown, ", "), more)
}
