package contract

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A message about a contract names the place twice: the JSON pointer, which
// is exact, and the line, which is where an editor opens. kin-openapi keeps
// no positions for JSON documents, so the lines are found here, in the
// source text, and only when there is something to report: a document that
// loads cleanly never pays for it.

// position is a place in a document's source text, counted from 1.
type position struct {
	Line, Column int
}

// trie holds the pointers being looked for, one segment per level, and
// records where the document has each of them.
type trie struct {
	children map[string]*trie
	found    bool
	offset   int      // JSON: the byte offset of the key or element
	pos      position // YAML: the position yaml.v3 reports
}

func (t *trie) child(seg string) *trie {
	if t.children == nil {
		t.children = map[string]*trie{}
	}
	c := t.children[seg]
	if c == nil {
		c = &trie{}
		t.children[seg] = c
	}
	return c
}

// splitPointer cuts a JSON pointer into its unescaped segments.
func splitPointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

// escapeSegment escapes one segment of a JSON pointer (RFC 6901).
func escapeSegment(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// pointerOf joins segments into a JSON pointer.
func pointerOf(segs ...string) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		b.WriteString(escapeSegment(s))
	}
	return b.String()
}

// locate finds each pointer in the document's source text. A pointer the
// document does not have whole gets the position of its longest part that
// it has; a pointer not found at all is absent from the result.
func locate(data []byte, pointers []string) map[string]position {
	root := &trie{}
	for _, p := range pointers {
		t := root
		for _, s := range splitPointer(p) {
			t = t.child(s)
		}
	}
	out := map[string]position{}
	if isJSON(data) {
		s := &jsonScanner{data: data}
		s.space()
		if s.value(root) != nil {
			return locateYAML(data, pointers, root)
		}
		var offsets []int
		collectOffsets(root, &offsets)
		lines := positionsOf(data, offsets)
		for _, p := range pointers {
			if t := deepest(root, p); t != nil {
				out[p] = lines[t.offset]
			}
		}
		return out
	}
	return locateYAML(data, pointers, root)
}

// isJSON tells whether a document is JSON rather than block YAML.
func isJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	return len(t) > 0 && t[0] == '{'
}

func locateYAML(data []byte, pointers []string, root *trie) map[string]position {
	out := map[string]position{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return out
	}
	walkYAML(doc.Content[0], root, 0)
	for _, p := range pointers {
		if t := deepest(root, p); t != nil {
			out[p] = t.pos
		}
	}
	return out
}

// deepest returns the node of the longest part of p the document has.
func deepest(root *trie, p string) *trie {
	var last *trie
	t := root
	for _, s := range splitPointer(p) {
		t = t.children[s]
		if t == nil || !t.found {
			break
		}
		last = t
	}
	return last
}

func walkYAML(n *yaml.Node, t *trie, depth int) {
	if t == nil || len(t.children) == 0 || depth > 200 {
		return
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			walkYAML(n.Content[0], t, depth+1)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if c := t.children[n.Content[i].Value]; c != nil && !c.found {
				c.found, c.pos = true, position{n.Content[i].Line, n.Content[i].Column}
				walkYAML(n.Content[i+1], c, depth+1)
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			if c := t.children[strconv.Itoa(i)]; c != nil {
				c.found, c.pos = true, position{item.Line, item.Column}
				walkYAML(item, c, depth+1)
			}
		}
	}
}

func collectOffsets(t *trie, out *[]int) {
	if t.found {
		*out = append(*out, t.offset)
	}
	for _, c := range t.children {
		collectOffsets(c, out)
	}
}

// positionsOf turns byte offsets into lines and columns in one pass.
func positionsOf(data []byte, offsets []int) map[int]position {
	sort.Ints(offsets)
	out := make(map[int]position, len(offsets))
	line, lineStart, at := 1, 0, 0
	for _, off := range offsets {
		for at < off && at < len(data) {
			if i := bytes.IndexByte(data[at:off], '\n'); i >= 0 {
				at += i + 1
				line++
				lineStart = at
				continue
			}
			at = off
		}
		out[off] = position{line, off - lineStart + 1}
	}
	return out
}

// jsonScanner walks JSON text and records the offsets of the keys and
// elements the trie asks for, skipping everything else without decoding
// it: the GitHub description is 13 MB.
type jsonScanner struct {
	data []byte
	i    int
}

type syntaxError struct{}

func (syntaxError) Error() string { return "not JSON" }

func (s *jsonScanner) space() {
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

func (s *jsonScanner) value(t *trie) error {
	if s.i >= len(s.data) {
		return syntaxError{}
	}
	if t == nil || len(t.children) == 0 {
		return s.skip()
	}
	switch s.data[s.i] {
	case '{':
		s.i++
		for {
			s.space()
			if s.i < len(s.data) && s.data[s.i] == '}' {
				s.i++
				return nil
			}
			at := s.i
			key, err := s.key()
			if err != nil {
				return err
			}
			s.space()
			if s.i >= len(s.data) || s.data[s.i] != ':' {
				return syntaxError{}
			}
			s.i++
			s.space()
			c := t.children[key]
			if c != nil && !c.found {
				c.found, c.offset = true, at
				err = s.value(c)
			} else {
				err = s.skip()
			}
			if err != nil {
				return err
			}
			if err := s.next('}'); err != nil {
				return err
			}
			if s.data[s.i-1] == '}' {
				return nil
			}
		}
	case '[':
		s.i++
		for n := 0; ; n++ {
			s.space()
			if s.i < len(s.data) && s.data[s.i] == ']' {
				s.i++
				return nil
			}
			var err error
			if c := t.children[strconv.Itoa(n)]; c != nil {
				c.found, c.offset = true, s.i
				err = s.value(c)
			} else {
				err = s.skip()
			}
			if err != nil {
				return err
			}
			if err := s.next(']'); err != nil {
				return err
			}
			if s.data[s.i-1] == ']' {
				return nil
			}
		}
	default:
		return s.skip()
	}
}

// next consumes the comma between two members, or the closing bracket.
func (s *jsonScanner) next(closing byte) error {
	s.space()
	if s.i >= len(s.data) {
		return syntaxError{}
	}
	switch s.data[s.i] {
	case ',':
		s.i++
		return nil
	case closing:
		s.i++
		return nil
	}
	return syntaxError{}
}

// key reads an object key, decoding escapes only when it has some.
func (s *jsonScanner) key() (string, error) {
	start := s.i
	if err := s.str(); err != nil {
		return "", err
	}
	raw := s.data[start:s.i]
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var k string
	if err := json.Unmarshal(raw, &k); err != nil {
		return "", syntaxError{}
	}
	return k, nil
}

func (s *jsonScanner) str() error {
	if s.i >= len(s.data) || s.data[s.i] != '"' {
		return syntaxError{}
	}
	for s.i++; s.i < len(s.data); s.i++ {
		switch s.data[s.i] {
		case '\\':
			s.i++
		case '"':
			s.i++
			return nil
		}
	}
	return syntaxError{}
}

// skip passes over one value of any kind.
func (s *jsonScanner) skip() error {
	if s.i >= len(s.data) {
		return syntaxError{}
	}
	switch s.data[s.i] {
	case '"':
		return s.str()
	case '{', '[':
		depth := 0
		for ; s.i < len(s.data); s.i++ {
			switch s.data[s.i] {
			case '"':
				if err := s.str(); err != nil {
					return err
				}
				s.i--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.i++
					return nil
				}
			}
		}
		return syntaxError{}
	}
	start := s.i
	for s.i < len(s.data) {
		switch s.data[s.i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if s.i == start {
				return syntaxError{}
			}
			return nil
		}
		s.i++
	}
	return nil
}
