package overlay

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Document is an OpenAPI document, YAML or JSON, as a node tree that
// overlays change.
type Document struct {
	source string
	doc    *yaml.Node
	// view is the tree as JSON values, which JSONPath queries select
	// from; nil when an action changed the tree since it was made.
	view any
	// budget is what is left of the nodes the actions may add.
	budget int
}

// ParseDocument reads the document an overlay is applied to. source names
// it in messages.
func ParseDocument(data []byte, source string) (*Document, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("contract %s: not YAML or JSON, so no overlay can be applied to it: %v", source, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("contract %s: not an OpenAPI document (an object), so no overlay can be applied to it", source)
	}
	if err := newExpander(maxExpanded).walk(&doc); err != nil {
		return nil, fmt.Errorf("contract %s: %v", source, err)
	}
	d := &Document{source: source, doc: &doc, budget: maxExpanded}
	if _, err := d.jsonView(); err != nil {
		return nil, err
	}
	return d, nil
}

// Bytes renders the document as YAML, with the actions applied. Objects
// and lists are written in block style, whatever the source's (a JSON
// document is one flow mapping); scalars keep their style, so a string
// that looks like a number stays quoted.
func (d *Document) Bytes() ([]byte, error) {
	blockStyle(d.doc)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(d.doc); err != nil {
		return nil, fmt.Errorf("contract %s with overlays: %v", d.source, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("contract %s with overlays: %v", d.source, err)
	}
	return b.Bytes(), nil
}

func blockStyle(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style &^= yaml.FlowStyle
	}
	for _, c := range n.Content {
		blockStyle(c)
	}
}

func (d *Document) root() *yaml.Node { return d.doc.Content[0] }

// jsonView is the document as JSON values (map[string]any, []any,
// string, int64, float64, bool, nil), made again after a change.
func (d *Document) jsonView() (any, error) {
	if d.view != nil {
		return d.view, nil
	}
	v, err := toJSON(d.root())
	if err != nil {
		return nil, fmt.Errorf("contract %s: %v", d.source, err)
	}
	d.view = v
	return v, nil
}

func toJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: a key that is not a string cannot be in an OpenAPI document", k.Line)
			}
			if _, dup := m[k.Value]; dup {
				return nil, fmt.Errorf("line %d: key %q is given twice in one object", k.Line, k.Value)
			}
			v, err := toJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := toJSON(c)
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, fmt.Errorf("line %d: a node of kind %d cannot be in an OpenAPI document", n.Line, n.Kind)
}

// scalar is a scalar's JSON value, for the comparisons of filters such as
// [?@.maximum > 10].
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return i
		}
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value
}

// located is a node a target selected, with where it is.
type located struct {
	path   string // the normalized path, for messages
	node   *yaml.Node
	parent *yaml.Node // nil for the root
}

// Apply applies an overlay's actions in order, each to the result of the
// one before. A target that selects nothing is a warning, as Overlay 1.0
// allows zero nodes; every other problem is an error naming the overlay,
// the line and the action.
func (d *Document) Apply(o *Overlay) (warnings []string, err error) {
	for i := range o.Actions {
		a := &o.Actions[i]
		fail := func(format string, args ...any) error {
			return &Error{File: o.File, Line: a.Line, Action: a.Index, Target: a.Target, Err: fmt.Errorf(format, args...)}
		}
		view, err := d.jsonView()
		if err != nil {
			return warnings, err
		}
		found := a.path.SelectLocated(view).Deduplicate()
		if len(found) == 0 {
			warnings = append(warnings, (&Error{File: o.File, Line: a.Line, Action: a.Index, Target: a.Target,
				Err: errors.New("the target selects nothing in the contract: the action changed nothing")}).Error())
			continue
		}
		found.Sort()
		// Every node is found before any is changed: removing one would
		// shift the indexes of the next.
		targets := make([]located, 0, len(found))
		for _, f := range found {
			l, ok := d.locate(f.Path)
			if !ok {
				return warnings, fail("the target selects %s, which is not in the document", f.Path)
			}
			targets = append(targets, l)
		}
		for _, t := range targets {
			if err := d.change(a, t); err != nil {
				return warnings, fail("%v", err)
			}
		}
		d.view = nil
	}
	return warnings, nil
}

// change applies one action to one node it selected.
func (d *Document) change(a *Action, t located) error {
	if a.Remove {
		if t.parent == nil {
			return errors.New("remove cannot remove the whole document ($)")
		}
		removeChild(t.parent, t.node)
		return nil
	}
	switch t.node.Kind {
	case yaml.MappingNode:
		if a.Update.Kind != yaml.MappingNode {
			return fmt.Errorf("%s is an object: the update must be an object to merge into it, not %s", t.path, kindName(a.Update))
		}
		return d.merge(t.node, a.Update)
	case yaml.SequenceNode:
		return d.appendTo(t.node, a.Update)
	}
	return fmt.Errorf("%s is %s: an update changes an object or a list; select the object that holds it and update the property", t.path, kindName(t.node))
}

// merge merges an update into an object: a property of the update that
// the object has is merged into it when both are objects, appended to it
// when both are lists, and replaces it otherwise; a property it lacks is
// added. A null in the update leaves the property as it is (the structured
// example of Overlay 1.0 writes empty keys that stand for no change).
func (d *Document) merge(dst, src *yaml.Node) error {
	for i := 0; i+1 < len(src.Content); i += 2 {
		k, v := src.Content[i], src.Content[i+1]
		j := keyIndex(dst, k.Value)
		if j < 0 {
			ck, err := d.clone(k)
			if err != nil {
				return err
			}
			cv, err := d.clone(v)
			if err != nil {
				return err
			}
			dst.Content = append(dst.Content, ck, cv)
			continue
		}
		cur := dst.Content[j+1]
		switch {
		case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null":
		case cur.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode:
			if err := d.merge(cur, v); err != nil {
				return err
			}
		case cur.Kind == yaml.SequenceNode && v.Kind == yaml.SequenceNode:
			if err := d.appendTo(cur, v); err != nil {
				return err
			}
		default:
			cv, err := d.clone(v)
			if err != nil {
				return err
			}
			dst.Content[j+1] = cv
		}
	}
	return nil
}

// appendTo appends an update to a list: the items of a list, or the value
// as one item. (To append a list as one item, wrap it in a list.)
func (d *Document) appendTo(list, update *yaml.Node) error {
	items := []*yaml.Node{update}
	if update.Kind == yaml.SequenceNode {
		items = update.Content
	}
	for _, it := range items {
		c, err := d.clone(it)
		if err != nil {
			return err
		}
		list.Content = append(list.Content, c)
	}
	return nil
}

// clone copies a node of an update, so that no two targets share one.
func (d *Document) clone(n *yaml.Node) (*yaml.Node, error) {
	if d.budget--; d.budget < 0 {
		return nil, fmt.Errorf("the overlays add more than %d nodes to the document", maxExpanded)
	}
	c := *n
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			cc, err := d.clone(child)
			if err != nil {
				return nil, err
			}
			c.Content[i] = cc
		}
	}
	return &c, nil
}

func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// removeChild removes a node from the object (with its key) or the list
// that holds it. A node already removed with a node that held it is
// simply not found.
func removeChild(parent, child *yaml.Node) {
	switch parent.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(parent.Content); i += 2 {
			if parent.Content[i] == child {
				parent.Content = append(parent.Content[:i-1], parent.Content[i+1:]...)
				return
			}
		}
	case yaml.SequenceNode:
		for i, c := range parent.Content {
			if c == child {
				parent.Content = append(parent.Content[:i], parent.Content[i+1:]...)
				return
			}
		}
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!bool":
		return "a boolean"
	case "!!int", "!!float":
		return "a number"
	}
	return "a string"
}
