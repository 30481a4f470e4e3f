// Package overlay reads OpenAPI Overlay 1.0 documents and applies them to
// an OpenAPI document before it is loaded, so that a user adds
// x-conformance (or fixes a mistake) in a contract they do not own without
// editing it. It works on the YAML node tree, so that every message about
// an overlay names its file and line.
package overlay

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/theory/jsonpath"
	"go.yaml.in/yaml/v3"
)

// MaxFile bounds what is read of an overlay file: an overlay is a few
// actions, and --overlay /dev/zero must not eat the memory of the run.
const MaxFile = 16 << 20

// Overlay is a checked Overlay 1.0 document.
type Overlay struct {
	// File names the overlay in messages: the path it was read from.
	File string
	// Version is the overlay field, 1.0.x.
	Version string
	// Title and InfoVersion are the info object's title and version.
	Title, InfoVersion string
	// Extends is the URI of the document the overlay was written for, ""
	// when not given; apiconform applies an overlay to the contract it is
	// given with, whatever it says.
	Extends string
	// Actions are applied in order, each to the result of the one before.
	Actions []Action
}

// Action is one action of an overlay.
type Action struct {
	// Index counts the actions from 1, as messages name them.
	Index int
	// Line is the action's line in the overlay file.
	Line int
	// Target is the JSONPath (RFC 9535) query, as written.
	Target string
	path   *jsonpath.Path
	// Description is the action's description, "" when none.
	Description string
	// Update is the value merged into (or appended to) each node the
	// target selects; nil when the action has none.
	Update *yaml.Node
	// Remove removes each node the target selects; an update beside it
	// has no effect (Overlay 1.0).
	Remove bool
}

// Error is a problem with an overlay: its file, the line and, when it is
// in an action, the action's number and target.
type Error struct {
	File string
	Line int
	// Action counts from 1; 0 when the problem is outside the actions.
	Action int
	Target string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("overlay ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Action > 0 {
		fmt.Fprintf(&b, ": action %d", e.Action)
		if e.Target != "" {
			fmt.Fprintf(&b, " (target %s)", e.Target)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Read reads and checks an overlay file, up to MaxFile bytes.
func Read(path string) (*Overlay, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{File: path, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	if len(data) > MaxFile {
		return nil, &Error{File: path, Err: fmt.Errorf("larger than %d MiB: not an overlay", MaxFile>>20)}
	}
	return Parse(data, path)
}

// versionPattern is the overlay field of the versions this package applies.
var versionPattern = regexp.MustCompile(`^1\.0\.\d+$`)

// Parse checks an overlay document, YAML or JSON, named file in messages.
// Everything Overlay 1.0 defines is checked, and a key it does not define
// (other than an x- extension) is an error rather than ignored: a
// misspelt "updates" would otherwise change nothing without a word.
func Parse(data []byte, file string) (o *Overlay, err error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: file, Err: fmt.Errorf("not YAML or JSON: %v", strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: file, Err: errors.New("the file is empty")}
	}
	// Anchors and aliases are expanded first, so that an update copied
	// into the contract carries no alias to a node of the overlay.
	if err := newExpander(maxExpanded).walk(&doc); err != nil {
		var le *lineError
		if errors.As(err, &le) {
			return nil, &Error{File: file, Line: le.line, Err: le.err}
		}
		return nil, &Error{File: file, Err: err}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: root.Line, Err: errors.New("an overlay is an object with the keys overlay, info and actions")}
	}
	fail := func(n *yaml.Node, format string, args ...any) error {
		return &Error{File: file, Line: n.Line, Err: fmt.Errorf(format, args...)}
	}
	o = &Overlay{File: file}
	fields, err := fieldsOf(root, []string{"overlay", "info", "extends", "actions"}, "the overlay", fail)
	if err != nil {
		return nil, err
	}
	v, ok := fields["overlay"]
	switch {
	case !ok:
		return nil, fail(root, "no overlay key: an Overlay 1.0 document starts with overlay: 1.0.0")
	case v.Kind != yaml.ScalarNode || !versionPattern.MatchString(v.Value):
		return nil, fail(v, "overlay: %q is not a version apiconform applies: it applies Overlay 1.0.x documents (overlay: 1.0.0)", v.Value)
	}
	o.Version = v.Value
	info, ok := fields["info"]
	if !ok {
		return nil, fail(root, "no info: an overlay names itself with info: {title: ..., version: ...}")
	}
	if o.Title, o.InfoVersion, err = readInfo(info, fail); err != nil {
		return nil, err
	}
	if ext, ok := fields["extends"]; ok {
		if !isString(ext) {
			return nil, fail(ext, "extends must be a URI reference, a string")
		}
		o.Extends = ext.Value
	}
	actions, ok := fields["actions"]
	switch {
	case !ok:
		return nil, fail(root, "no actions: an overlay lists its actions under actions")
	case actions.Kind != yaml.SequenceNode:
		return nil, fail(actions, "actions must be a list of actions")
	case len(actions.Content) == 0:
		return nil, fail(actions, "actions is empty: an overlay has at least one action")
	}
	for i, n := range actions.Content {
		a, err := readAction(n, i+1, file)
		if err != nil {
			return nil, err
		}
		o.Actions = append(o.Actions, a)
	}
	return o, nil
}

// fieldsOf reads an object's keys: each must be one of known or an x-
// extension, and given once.
func fieldsOf(m *yaml.Node, known []string, what string, fail func(*yaml.Node, string, ...any) error) (map[string]*yaml.Node, error) {
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, fail(k, "a key of %s must be a string", what)
		}
		if _, dup := fields[k.Value]; dup {
			return nil, fail(k, "key %q is given twice", k.Value)
		}
		if !strings.HasPrefix(k.Value, "x-") && !contains(known, k.Value) {
			hint := ""
			if k.Value == "copy" {
				hint = " (copy is Overlay 1.1; apiconform applies Overlay 1.0)"
			}
			return nil, fail(k, "unknown key %q in %s%s; the keys are %s and x- extensions", k.Value, what, hint, strings.Join(known, ", "))
		}
		fields[k.Value] = v
	}
	return fields, nil
}

func readInfo(info *yaml.Node, fail func(*yaml.Node, string, ...any) error) (title, version string, err error) {
	if info.Kind != yaml.MappingNode {
		return "", "", fail(info, "info must be an object with title and version")
	}
	fields, err := fieldsOf(info, []string{"title", "version"}, "info", fail)
	if err != nil {
		return "", "", err
	}
	for _, key := range []string{"title", "version"} {
		v, ok := fields[key]
		if !ok {
			return "", "", fail(info, "info has no %s", key)
		}
		if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
			return "", "", fail(v, "info.%s must be a string", key)
		}
	}
	return fields["title"].Value, fields["version"].Value, nil
}

func readAction(n *yaml.Node, index int, file string) (Action, error) {
	a := Action{Index: index, Line: n.Line}
	fail := func(at *yaml.Node, format string, args ...any) error {
		return &Error{File: file, Line: at.Line, Action: index, Target: a.Target, Err: fmt.Errorf(format, args...)}
	}
	if n.Kind != yaml.MappingNode {
		return a, fail(n, "an action is an object with a target and an update or remove: true")
	}
	fields, err := fieldsOf(n, []string{"target", "description", "update", "remove"}, "an action", fail)
	if err != nil {
		return a, err
	}
	t, ok := fields["target"]
	switch {
	case !ok:
		return a, fail(n, "no target: an action selects what it changes with a JSONPath target, e.g. target: $.paths['/pets'].get")
	case !isString(t) || t.Value == "":
		return a, fail(t, "target must be a JSONPath query, a string starting with $")
	}
	a.Target = t.Value
	if a.path, err = jsonpath.Parse(t.Value); err != nil {
		msg := strings.TrimPrefix(err.Error(), "jsonpath: ")
		return a, fail(t, "the target is not a valid JSONPath query (RFC 9535): %s", msg)
	}
	if d, ok := fields["description"]; ok {
		if !isString(d) {
			return a, fail(d, "description must be a string")
		}
		a.Description = d.Value
	}
	if r, ok := fields["remove"]; ok {
		if r.Kind != yaml.ScalarNode || r.ShortTag() != "!!bool" {
			return a, fail(r, "remove must be true or false")
		}
		a.Remove = r.Value == "true" || r.Value == "True" || r.Value == "TRUE"
	}
	if u, ok := fields["update"]; ok {
		if u.Kind == yaml.ScalarNode && u.ShortTag() == "!!null" {
			return a, fail(u, "update is empty: give the object to merge into the target, or the item to append to it")
		}
		if bad, why := notJSON(u); bad != nil {
			return a, fail(bad, "the update %s", why)
		}
		a.Update = u
	}
	if a.Update == nil && !a.Remove {
		return a, fail(n, "the action does nothing: give it an update, or remove: true")
	}
	return a, nil
}

func isString(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// notJSON finds what in an update JSON cannot hold, which would otherwise
// end up in the contract: a key that is not a string, or a key given twice
// in one object. It returns the node and why, or nil.
func notJSON(n *yaml.Node) (*yaml.Node, string) {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return k, "has a key that is not a string"
			}
			if seen[k.Value] {
				return k, fmt.Sprintf("gives key %q twice in one object", k.Value)
			}
			seen[k.Value] = true
		}
	}
	for _, c := range n.Content {
		if bad, why := notJSON(c); bad != nil {
			return bad, why
		}
	}
	return nil, ""
}
