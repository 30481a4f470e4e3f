package overlay

import (
	"github.com/theory/jsonpath/spec"
	"go.yaml.in/yaml/v3"
)

// locate finds the node of a normalized path in the tree the view was
// made from: a name is a key of an object, an index an item of a list.
func (d *Document) locate(p spec.NormalizedPath) (located, bool) {
	l := located{path: p.String(), node: d.root()}
	for _, sel := range p {
		n := l.node
		var next *yaml.Node
		switch s := sel.(type) {
		case spec.Name:
			if n.Kind == yaml.MappingNode {
				if i := keyIndex(n, string(s)); i >= 0 {
					next = n.Content[i+1]
				}
			}
		case spec.Index:
			i := int(s)
			if n.Kind == yaml.SequenceNode {
				if i < 0 {
					i += len(n.Content)
				}
				if i >= 0 && i < len(n.Content) {
					next = n.Content[i]
				}
			}
		}
		if next == nil {
			return l, false
		}
		l.parent, l.node = n, next
	}
	return l, true
}
