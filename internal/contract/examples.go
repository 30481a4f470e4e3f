package contract

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPI says an example SHOULD match its schema, and a default is only an
// annotation: real descriptions get both wrong in places (GitHub's has an
// image version 20.04 written as a number where a string is declared). None
// of it changes what apiconform sends or judges, so kin-openapi's checks of
// examples, defaults and patterns are turned off and done here instead,
// where every mismatch becomes a warning and all of them are listed at once.

// warningKind sorts the warnings for the summary.
type warningKind int

const (
	kindExample warningKind = iota
	kindDefault
	kindPattern
	kindDocument
)

// finding is one warning before its line is known.
type finding struct {
	kind    warningKind
	pointer string
	message string
}

// direction says whether a value is sent or received, which decides how
// readOnly and writeOnly properties count.
type direction int

const (
	neither direction = iota
	request
	response
)

// valueCheck is a value the document offers as an instance of a schema.
type valueCheck struct {
	kind   warningKind
	at     *loc
	value  any
	schema *openapi3.Schema
	dir    direction
}

// loc is a JSON pointer under construction: the walk passes one down at
// every schema of a large document, and most are never written out, so
// the string is built only for the values it queues.
type loc struct {
	up  *loc
	seg string
}

func (l *loc) add(segs ...string) *loc {
	for _, s := range segs {
		l = &loc{up: l, seg: s}
	}
	return l
}

func (l *loc) String() string {
	var segs []string
	for ; l != nil; l = l.up {
		segs = append(segs, l.seg)
	}
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	return pointerOf(segs...)
}

// exampleWalk collects, in one pass over the document, the values to check
// against their schemas and the schema keywords kin-openapi does not know.
type exampleWalk struct {
	checks   []valueCheck
	findings []finding
	// keywords are the unknown, non-extension keys found in schemas, and
	// where the first of each is.
	keywords map[string]string
	seen     map[*openapi3.Schema]bool
	// refused are the problems that refuse the document (see bounds).
	refused []finding
}

func newExampleWalk() *exampleWalk {
	return &exampleWalk{keywords: map[string]string{}, seen: map[*openapi3.Schema]bool{}}
}

func (w *exampleWalk) document(doc *openapi3.T) {
	var root *loc
	if cs := doc.Components; cs != nil {
		for _, name := range sortedKeys(cs.Schemas) {
			w.schemaRef(root.add("components", "schemas", name), cs.Schemas[name])
		}
		for _, name := range sortedKeys(cs.Parameters) {
			if r := cs.Parameters[name]; r != nil && r.Ref == "" {
				w.parameter(root.add("components", "parameters", name), r.Value, neither)
			}
		}
		for _, name := range sortedKeys(cs.Headers) {
			if r := cs.Headers[name]; r != nil && r.Ref == "" && r.Value != nil {
				w.parameter(root.add("components", "headers", name), &r.Value.Parameter, response)
			}
		}
		for _, name := range sortedKeys(cs.RequestBodies) {
			if r := cs.RequestBodies[name]; r != nil && r.Ref == "" && r.Value != nil {
				w.content(root.add("components", "requestBodies", name, "content"), r.Value.Content, request)
			}
		}
		for _, name := range sortedKeys(cs.Responses) {
			if r := cs.Responses[name]; r != nil && r.Ref == "" {
				w.response(root.add("components", "responses", name), r.Value)
			}
		}
		for _, name := range sortedKeys(cs.Callbacks) {
			if r := cs.Callbacks[name]; r != nil && r.Ref == "" {
				w.callback(root.add("components", "callbacks", name), r.Value)
			}
		}
	}
	if doc.Paths != nil {
		paths := doc.Paths.Map()
		for _, path := range sortedKeys(paths) {
			w.pathItem(root.add("paths", path), paths[path])
		}
	}
	for _, name := range sortedKeys(doc.Webhooks) {
		w.pathItem(root.add("webhooks", name), doc.Webhooks[name])
	}
}

func (w *exampleWalk) callback(at *loc, cb *openapi3.Callback) {
	if cb == nil {
		return
	}
	m := cb.Map()
	for _, expr := range sortedKeys(m) {
		w.pathItem(at.add(expr), m[expr])
	}
}

func (w *exampleWalk) pathItem(at *loc, item *openapi3.PathItem) {
	if item == nil {
		return
	}
	w.parameters(at.add("parameters"), item.Parameters)
	ops := item.Operations()
	for _, method := range sortedKeys(ops) {
		op := ops[method]
		if op == nil {
			continue
		}
		here := at.add(strings.ToLower(method))
		w.parameters(here.add("parameters"), op.Parameters)
		if rb := op.RequestBody; rb != nil && rb.Ref == "" && rb.Value != nil {
			w.content(here.add("requestBody", "content"), rb.Value.Content, request)
		}
		if op.Responses != nil {
			rs := op.Responses.Map()
			for _, code := range sortedKeys(rs) {
				if r := rs[code]; r != nil && r.Ref == "" {
					w.response(here.add("responses", code), r.Value)
				}
			}
		}
		for _, name := range sortedKeys(op.Callbacks) {
			if r := op.Callbacks[name]; r != nil && r.Ref == "" {
				w.callback(here.add("callbacks", name), r.Value)
			}
		}
	}
}

func (w *exampleWalk) parameters(at *loc, ps openapi3.Parameters) {
	for i, r := range ps {
		if r != nil && r.Ref == "" {
			w.parameter(at.add(strconv.Itoa(i)), r.Value, neither)
		}
	}
}

func (w *exampleWalk) response(at *loc, r *openapi3.Response) {
	if r == nil {
		return
	}
	for _, name := range sortedKeys(r.Headers) {
		if h := r.Headers[name]; h != nil && h.Ref == "" && h.Value != nil {
			w.parameter(at.add("headers", name), &h.Value.Parameter, response)
		}
	}
	w.content(at.add("content"), r.Content, response)
}

// parameter covers parameters and headers, which share their fields.
func (w *exampleWalk) parameter(at *loc, p *openapi3.Parameter, dir direction) {
	if p == nil {
		return
	}
	w.schemaRef(at.add("schema"), p.Schema)
	if p.Schema != nil && p.Schema.Value != nil {
		w.examples(at, p.Example, p.Examples, p.Schema.Value, dir)
	}
	w.content(at.add("content"), p.Content, dir)
}

func (w *exampleWalk) content(at *loc, c openapi3.Content, dir direction) {
	for _, mt := range sortedKeys(c) {
		m := c[mt]
		if m == nil {
			continue
		}
		here := at.add(mt)
		w.schemaRef(here.add("schema"), m.Schema)
		if m.Schema != nil && m.Schema.Value != nil {
			w.examples(here, m.Example, m.Examples, m.Schema.Value, dir)
		}
		for _, name := range sortedKeys(m.Encoding) {
			if e := m.Encoding[name]; e != nil {
				for _, h := range sortedKeys(e.Headers) {
					if r := e.Headers[h]; r != nil && r.Ref == "" && r.Value != nil {
						w.parameter(here.add("encoding", name, "headers", h), &r.Value.Parameter, dir)
					}
				}
			}
		}
	}
}

// examples queues the example, or each of the named examples, of a
// parameter, header or media type. A referenced example is checked where it
// is used, against the schema of that use.
func (w *exampleWalk) examples(at *loc, example any, examples openapi3.Examples, s *openapi3.Schema, dir direction) {
	if example != nil {
		w.checks = append(w.checks, valueCheck{kindExample, at.add("example"), example, s, dir})
	}
	for _, name := range sortedKeys(examples) {
		r := examples[name]
		if r == nil || r.Value == nil || r.Value.Value == nil {
			continue
		}
		p := at.add("examples", name)
		if r.Ref == "" {
			p = p.add("value")
		}
		w.checks = append(w.checks, valueCheck{kindExample, p, r.Value.Value, s, dir})
	}
}

func (w *exampleWalk) schemaRef(at *loc, r *openapi3.SchemaRef) {
	// A reference is walked where it points to, once.
	if r == nil || r.Ref != "" || r.Value == nil {
		return
	}
	w.schema(at, r.Value)
}

func (w *exampleWalk) schemas(at *loc, m openapi3.Schemas) {
	for _, name := range sortedKeys(m) {
		w.schemaRef(at.add(name), m[name])
	}
}

func (w *exampleWalk) list(at *loc, rs openapi3.SchemaRefs) {
	for i, r := range rs {
		w.schemaRef(at.add(strconv.Itoa(i)), r)
	}
}

func (w *exampleWalk) schema(at *loc, s *openapi3.Schema) {
	if w.seen[s] {
		return
	}
	w.seen[s] = true
	w.bounds(at, s)
	for k := range s.Extensions {
		if !strings.HasPrefix(k, "x-") {
			if _, ok := w.keywords[k]; !ok {
				w.keywords[k] = at.String()
			}
		}
	}
	if s.Pattern != "" {
		if _, err := regexp.Compile(s.Pattern); err != nil {
			w.findings = append(w.findings, finding{kindPattern, at.add("pattern").String(),
				fmt.Sprintf("the pattern is not a regular expression Go can run (%s), so values are not checked against it", regexpReason(err))})
		}
	}
	if s.Default != nil {
		w.checks = append(w.checks, valueCheck{kindDefault, at.add("default"), s.Default, s, neither})
	}
	if s.Example != nil {
		w.checks = append(w.checks, valueCheck{kindExample, at.add("example"), s.Example, s, neither})
	}
	for i, x := range s.Examples {
		w.checks = append(w.checks, valueCheck{kindExample, at.add("examples", strconv.Itoa(i)), x, s, neither})
	}
	w.schemas(at.add("properties"), s.Properties)
	w.schemaRef(at.add("items"), s.Items)
	w.schemaRef(at.add("additionalProperties"), s.AdditionalProperties.Schema)
	w.list(at.add("allOf"), s.AllOf)
	w.list(at.add("anyOf"), s.AnyOf)
	w.list(at.add("oneOf"), s.OneOf)
	w.schemaRef(at.add("not"), s.Not)
	w.list(at.add("prefixItems"), s.PrefixItems)
	w.schemaRef(at.add("contains"), s.Contains)
	w.schemas(at.add("patternProperties"), s.PatternProperties)
	w.schemas(at.add("dependentSchemas"), s.DependentSchemas)
	w.schemaRef(at.add("propertyNames"), s.PropertyNames)
	w.schemaRef(at.add("unevaluatedItems"), s.UnevaluatedItems.Schema)
	w.schemaRef(at.add("unevaluatedProperties"), s.UnevaluatedProperties.Schema)
	w.schemaRef(at.add("if"), s.If)
	w.schemaRef(at.add("then"), s.Then)
	w.schemaRef(at.add("else"), s.Else)
	w.schemas(at.add("$defs"), s.Defs)
	w.schemaRef(at.add("contentSchema"), s.ContentSchema)
}

func regexpReason(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return string(se.Code)
	}
	return err.Error()
}

// run checks every queued value against its schema. The schemas have passed
// kin-openapi's validation by then; a check that panics all the same is a
// warning about that value, not the end of the load.
func (w *exampleWalk) run(is31 bool) {
	for _, c := range w.checks {
		if msg := checkValue(c, is31); msg != "" {
			what := "the example does not match its schema"
			if c.kind == kindDefault {
				what = "the default does not match its schema"
			}
			w.findings = append(w.findings, finding{c.kind, c.at.String(), what + ": " + msg})
		}
	}
}

func checkValue(c valueCheck, is31 bool) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("it could not be checked (%v)", r)
		}
	}()
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors()}
	switch c.dir {
	case request:
		opts = append(opts, openapi3.VisitAsRequest())
	case response:
		opts = append(opts, openapi3.VisitAsResponse())
	}
	if is31 {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	err := c.schema.VisitJSON(c.value, opts...)
	if err == nil {
		return ""
	}
	return schemaReasons(err)
}

// schemaReasons says in one line why a value does not match: the first
// reason, where in the value it applies, and how many more there are.
func schemaReasons(err error) string {
	var reasons []string
	var collect func(error)
	collect = func(err error) {
		var me openapi3.MultiError
		if errors.As(err, &me) {
			for _, e := range me {
				collect(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			r := se.Reason
			// A format's reason quotes the whole regular expression
			// behind it; the format's name says enough.
			if strings.HasPrefix(r, "string doesn't match the format") {
				if i := strings.Index(r, " ("); i > 0 {
					r = r[:i]
				}
			}
			if p := se.JSONPointer(); len(p) > 0 {
				r = "at " + pointerOf(p...) + ": " + r
			}
			reasons = append(reasons, r)
			return
		}
		reasons = append(reasons, err.Error())
	}
	collect(err)
	// A pattern Go cannot compile is its own warning: the values it
	// stops from being checked are not wrong for it.
	kept := reasons[:0]
	for _, r := range reasons {
		if !strings.Contains(r, "cannot compile pattern") {
			kept = append(kept, r)
		}
	}
	reasons = kept
	if len(reasons) == 0 {
		return ""
	}
	msg := oneLine(reasons[0])
	if len(reasons) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(reasons)-1)
	}
	return msg
}

// oneLine flattens a message and keeps it short enough for a terminal.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 240 {
		s = s[:237] + "..."
	}
	return s
}

// sortedFindings orders warnings by kind, then by pointer, so that the
// same document always lists them the same way.
func sortedFindings(fs []finding) []finding {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].kind != fs[j].kind {
			return fs[i].kind < fs[j].kind
		}
		return fs[i].pointer < fs[j].pointer
	})
	return fs
}
