package audit

import (
	"net/http"
	"strings"

	"github.com/apiconform/apiconform/internal/contract"
)

// Kind says how a logged request relates to the contract's routes.
type Kind int

const (
	// Matched: the path and the method are an operation of the contract.
	Matched Kind = iota
	// UnknownPath: no path template of the contract matches.
	UnknownPath
	// UnknownMethod: a path matches, but none of its templates declares the
	// method.
	UnknownMethod
	// NoBasePath: the path lies outside the contract's base path, though
	// without it the path would match; a hint that the log was written
	// behind a proxy that strips the base path.
	NoBasePath
	// OptionsMethod: OPTIONS on a path that does not declare it. RFC 9110 section
	// 9.3.7 lets any resource answer OPTIONS, and browsers send it before
	// every cross-origin call, so it is counted apart and not judged.
	OptionsMethod
)

// Matcher maps a logged method and URL to an operation of a contract. It is
// built once: a trie of path segments, so that mapping a line costs one map
// look-up per segment and no allocation.
type Matcher struct {
	base string
	root *node
}

// node is one path segment of the trie. A request segment is tried against
// the literal children first, then the templated ones ({id}.json), then a
// whole-segment parameter: OpenAPI says a concrete path wins over a
// templated one.
type node struct {
	lit      map[string]*node
	patterns []pattern
	param    *node
	// end is set when a path template ends here; methods are its operations.
	end     bool
	methods []methodOp
}

// pattern is a segment that mixes a parameter with literal text, such as
// {name}.json: it matches a segment with that prefix and suffix and at least
// one byte between.
type pattern struct {
	prefix, suffix string
	next           *node
}

type methodOp struct {
	method string
	op     int
}

// NewMatcher builds the matcher of a contract's operations; Match returns
// indexes into c.Operations.
func NewMatcher(c *contract.Contract) *Matcher {
	m := &Matcher{base: c.BasePath, root: &node{}}
	for i, op := range c.Operations {
		n := m.root
		for _, seg := range segments(op.Path) {
			n = n.child(seg)
		}
		n.end = true
		n.methods = append(n.methods, methodOp{op.Method, i})
	}
	return m
}

// segments splits a path template: "/" has none, "/a/" has "a" and "".
func segments(path string) []string {
	path = strings.TrimPrefix(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}

func (n *node) child(seg string) *node {
	open := strings.IndexByte(seg, '{')
	shut := strings.LastIndexByte(seg, '}')
	if open < 0 || shut < open {
		if n.lit == nil {
			n.lit = map[string]*node{}
		}
		if n.lit[seg] == nil {
			n.lit[seg] = &node{}
		}
		return n.lit[seg]
	}
	if open == 0 && shut == len(seg)-1 {
		if n.param == nil {
			n.param = &node{}
		}
		return n.param
	}
	prefix, suffix := seg[:open], seg[shut+1:]
	for _, p := range n.patterns {
		if p.prefix == prefix && p.suffix == suffix {
			return p.next
		}
	}
	p := pattern{prefix: prefix, suffix: suffix, next: &node{}}
	n.patterns = append(n.patterns, p)
	return p.next
}

// Match maps a logged method and URL (as the log has them: a path with its
// query, or an absolute URL) to an operation. op is an index into the
// contract's Operations, or -1 when kind is not Matched. HEAD maps to the
// GET operation of a path that does not declare HEAD: HTTP serves HEAD
// wherever it serves GET (RFC 9110 section 9.3.2), with the same status.
// Path segments are compared as logged, percent-encoding and all.
func (m *Matcher) Match(method, url []byte) (op int, kind Kind) {
	path := requestPath(url)
	if len(path) == 0 {
		if string(method) == http.MethodOptions {
			return -1, OptionsMethod
		}
		return -1, UnknownPath
	}
	if m.base != "" {
		rest, ok := cutBase(path, m.base)
		if !ok {
			if _, kind := m.lookup(method, path); kind != UnknownPath {
				return -1, NoBasePath
			}
			return -1, UnknownPath
		}
		path = rest
	}
	return m.lookup(method, path)
}

func (m *Matcher) lookup(method, path []byte) (int, Kind) {
	found := false
	op := m.walk(m.root, path[1:], len(path) == 1, method, &found)
	switch {
	case op >= 0:
		return op, Matched
	case !found:
		return -1, UnknownPath
	case string(method) == http.MethodOptions:
		return -1, OptionsMethod
	}
	return -1, UnknownMethod
}

// walk matches the rest of a path below n, depth first in precedence order,
// and returns the first operation that declares the method. found records
// whether any template matched the path at all. The recursion is bounded by
// the depth of the trie, which is the longest template's segment count.
func (m *Matcher) walk(n *node, rest []byte, done bool, method []byte, found *bool) int {
	if done {
		if !n.end {
			return -1
		}
		*found = true
		return n.operation(method)
	}
	seg, next, last := rest, []byte(nil), true
	for i, c := range rest {
		if c == '/' {
			seg, next, last = rest[:i], rest[i+1:], false
			break
		}
	}
	if c := n.lit[string(seg)]; c != nil {
		if op := m.walk(c, next, last, method, found); op >= 0 {
			return op
		}
	}
	for i := range n.patterns {
		p := &n.patterns[i]
		if len(seg) > len(p.prefix)+len(p.suffix) && string(seg[:len(p.prefix)]) == p.prefix &&
			string(seg[len(seg)-len(p.suffix):]) == p.suffix {
			if op := m.walk(p.next, next, last, method, found); op >= 0 {
				return op
			}
		}
	}
	if n.param != nil && len(seg) > 0 {
		return m.walk(n.param, next, last, method, found)
	}
	return -1
}

func (n *node) operation(method []byte) int {
	get := -1
	for _, mo := range n.methods {
		if string(method) == mo.method {
			return mo.op
		}
		if mo.method == http.MethodGet {
			get = mo.op
		}
	}
	if string(method) == http.MethodHead {
		return get
	}
	return -1
}

// slashPath is the path "/", shared so that returning it allocates nothing; it
// is never written to.
var slashPath = []byte("/")

// requestPath takes the path of a logged URL: the query and fragment go,
// and an absolute URL loses its scheme and authority. It returns nil for
// what has no path (OPTIONS *).
func requestPath(url []byte) []byte {
	if len(url) == 0 {
		return nil
	}
	if url[0] != '/' {
		i := schemeEnd(url)
		if i < 0 {
			return nil
		}
		url = url[i:]
		j := 0
		for j < len(url) && url[j] != '/' && url[j] != '?' && url[j] != '#' {
			j++
		}
		if j == len(url) || url[j] != '/' {
			return slashPath
		}
		url = url[j:]
	}
	for i, c := range url {
		if c == '?' || c == '#' {
			return url[:i]
		}
	}
	return url
}

// cutBase removes the base path: "/cv/profiles" becomes "/profiles", and
// "/cv" itself becomes "/". "/cvx" is not under "/cv".
func cutBase(path []byte, base string) ([]byte, bool) {
	if len(path) < len(base) || string(path[:len(base)]) != base {
		return nil, false
	}
	rest := path[len(base):]
	if len(rest) == 0 {
		return slashPath, true
	}
	if rest[0] != '/' {
		return nil, false
	}
	return rest, true
}
