package overlay

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// maxExpanded bounds the nodes that expanding aliases, and copying
// updates into the targets, may make: a few aliases that nest ("billion
// laughs"), or an update aimed at $..*, must not eat the memory of the run.
const maxExpanded = 250_000

// expander replaces every alias with a copy of the node it stands for, and
// every merge key (<<) with the keys it brings, so that the tree is plain
// data: a JSONPath location then names one node, and changing it changes
// nothing elsewhere.
type expander struct {
	budget int
	// active are the anchored nodes whose copy is being expanded: an
	// alias to one of them inside it would never end.
	active map[*yaml.Node]bool
}

func newExpander(budget int) *expander {
	return &expander{budget: budget, active: map[*yaml.Node]bool{}}
}

func (x *expander) walk(n *yaml.Node) error {
	for i, c := range n.Content {
		if c.Kind != yaml.AliasNode {
			if err := x.walk(c); err != nil {
				return err
			}
			continue
		}
		target := c.Alias
		if target == nil {
			return &lineError{c.Line, fmt.Errorf("alias *%s stands for nothing", c.Value)}
		}
		if x.active[target] {
			return &lineError{c.Line, fmt.Errorf("alias *%s stands for a node that contains it", c.Value)}
		}
		cp, err := x.copy(target)
		if err != nil {
			return &lineError{c.Line, fmt.Errorf("alias *%s: %w", c.Value, err)}
		}
		x.active[target] = true
		err = x.walk(cp)
		delete(x.active, target)
		if err != nil {
			return err
		}
		n.Content[i] = cp
	}
	n.Anchor = ""
	if n.Kind == yaml.MappingNode {
		return mergeKeys(n)
	}
	return nil
}

// copy makes a deep copy of a node, counting the nodes it makes against
// the budget. Aliases inside are copied as aliases, for walk to expand.
func (x *expander) copy(n *yaml.Node) (*yaml.Node, error) {
	if x.budget--; x.budget < 0 {
		return nil, errors.New("expanding it makes too many nodes")
	}
	c := *n
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			cc, err := x.copy(child)
			if err != nil {
				return nil, err
			}
			c.Content[i] = cc
		}
	}
	return &c, nil
}

// mergeKeys replaces the merge keys of a mapping whose children are
// expanded: a key written in the mapping wins over a merged one, and of two
// merged mappings the first wins, as YAML's merge key type says.
func mergeKeys(m *yaml.Node) error {
	merging := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if isMergeKey(m.Content[i]) {
			merging = true
			break
		}
	}
	if !merging {
		return nil
	}
	var out, sources []*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !isMergeKey(k) {
			out = append(out, k, v)
			seen[k.Value] = true
			continue
		}
		switch v.Kind {
		case yaml.MappingNode:
			sources = append(sources, v)
		case yaml.SequenceNode:
			for _, s := range v.Content {
				if s.Kind != yaml.MappingNode {
					return &lineError{s.Line, errors.New("a merge key (<<) takes mappings")}
				}
				sources = append(sources, s)
			}
		default:
			return &lineError{v.Line, errors.New("a merge key (<<) takes a mapping or a list of mappings")}
		}
	}
	for _, s := range sources {
		for i := 0; i+1 < len(s.Content); i += 2 {
			if k := s.Content[i]; !seen[k.Value] {
				seen[k.Value] = true
				out = append(out, k, s.Content[i+1])
			}
		}
	}
	m.Content = out
	return nil
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge"
}

// lineError is a problem at a line of a YAML text.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

func (e *lineError) Unwrap() error { return e.err }
