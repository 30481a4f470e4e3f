package contract

import "sort"

// ParameterNames lists the names of every parameter of every operation,
// sorted and each once: the names a known value (--value, x-conformance
// values) can be given for, since values are looked up by name alone.
func (c *Contract) ParameterNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range c.Operations {
		for _, p := range o.Params {
			if p != nil && !seen[p.Name] {
				seen[p.Name] = true
				out = append(out, p.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}
