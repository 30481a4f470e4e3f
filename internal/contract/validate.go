package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// What refuses a document and what only warns about it. apiconform plans
// requests from the operations, parameters, schemas and responses: a problem
// that leaves those readable is reported and the document loads; one that
// leaves them unreadable or ambiguous (a $ref to nowhere, a parameter in no
// known place, an operation without responses) refuses it.

// tolerated lists the kin-openapi validation codes that become warnings.
var tolerated = map[string]bool{
	// Unknown keys, and JSON Schema keywords of 3.1 written in a 3.0
	// document: kin-openapi ignores them when it validates values.
	"extra-sibling-fields": true,
	// Two templates such as /a/{id} and /a/{name}: each operation is still
	// addressed by its own path.
	"conflicting-paths":                       true,
	"duplicate-required-field":                true,
	"duplicate-tag":                           true,
	"example-examples-mutually-exclusive":     true,
	"read-only-write-only-mutually-exclusive": true,
	"response-description-required":           true,
	"license-name-required":                   true,
	"external-docs-url-required":              true,
	"type-array-for-3-1-plus":                 true,
	"exclusive-bound-number-for-3-1-plus":     true,
	"exclusive-bound-boolean-before-3-1":      true,
}

// swaggerWayOut is the one line a Swagger 2.0 document gets.
const swaggerWayOut = "this is a Swagger 2.0 document, and apiconform reads OpenAPI 3.0 and 3.1: convert it first, e.g. with `npx swagger2openapi FILE -o openapi.yaml` or kin-openapi's openapi2conv, and pass the converted file"

// versionError refuses the versions apiconform does not read, once the
// document has loaded.
func versionError(doc *openapi3.T, data []byte, source string) error {
	switch {
	case doc.OpenAPI == "":
		if err := sniffVersion(data); err != nil {
			return withLine(data, &Error{Source: source, Place: placeOf(err), Err: err})
		}
		return &Error{Source: source, Place: "/openapi", Err: errors.New(`the document has no "openapi" field: it is not an OpenAPI 3.0 or 3.1 document`)}
	case doc.IsOpenAPI32OrLater() || strings.HasPrefix(doc.OpenAPI, "3.2"):
		return withLine(data, &Error{Source: source, Place: "/openapi", Err: unsupported32(doc.OpenAPI)})
	case !(doc.IsOpenAPI30() || doc.IsOpenAPI31OrLater()):
		return withLine(data, &Error{Source: source, Place: "/openapi", Err: fmt.Errorf("version %q is not OpenAPI 3.0 or 3.1", doc.OpenAPI)})
	}
	return nil
}

// sniffVersion reads only the top-level version fields, for a document
// kin-openapi could not load or found no "openapi" field in, so that a
// Swagger 2.0 document is named as such. It returns the refusal when the
// document is of a version apiconform knows it does not read, else nil.
func sniffVersion(data []byte) error {
	var top struct {
		Swagger any `yaml:"swagger"`
		OpenAPI any `yaml:"openapi"`
	}
	if yaml.Unmarshal(data, &top) != nil {
		return nil
	}
	if top.Swagger != nil && top.OpenAPI == nil {
		return errors.New(swaggerWayOut)
	}
	if v, ok := top.OpenAPI.(string); ok && strings.HasPrefix(v, "3.2") {
		return unsupported32(v)
	}
	return nil
}

func unsupported32(version string) error {
	return fmt.Errorf("OpenAPI 3.2 is not supported yet (the document says %q): apiconform reads OpenAPI 3.0 and 3.1", version)
}

// refInMessage finds the reference a kin-openapi loading error is about.
var refInMessage = regexp.MustCompile(`(?:in URI|unresolved ref|resolve reference): "([^"]+)"`)

// loadError explains why kin-openapi could not load a document: where the
// broken reference is written, or the line the parser stopped at.
func loadError(data []byte, source string, err error) error {
	if verr := sniffVersion(data); verr != nil {
		return withLine(data, &Error{Source: source, Place: placeOf(verr), Err: verr})
	}
	if nerr := numberError(data, source, err); nerr != nil {
		return nerr
	}
	e := &Error{Source: source, Err: err}
	if m := refInMessage.FindStringSubmatch(err.Error()); m != nil {
		if p, pos, ok := findRef(data, m[1]); ok {
			e.Place, e.Line = p, pos.Line
			if oneLineDocument(data) {
				e.Column = pos.Column
			}
			e.Err = fmt.Errorf("the reference %q leads nowhere: %w", m[1], err)
		}
	}
	return e
}

func placeOf(err error) string {
	if strings.HasPrefix(err.Error(), "this is a Swagger") {
		return "/swagger"
	}
	return "/openapi"
}

// findRef returns the pointer and position of the first "$ref" whose
// value is ref.
func findRef(data []byte, ref string) (string, position, bool) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return "", position{}, false
	}
	var path []string
	var found func(n *yaml.Node, depth int) (position, bool)
	found = func(n *yaml.Node, depth int) (position, bool) {
		if depth > 200 {
			return position{}, false
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && v.Value == ref {
					path = append(path, "$ref")
					return position{k.Line, k.Column}, true
				}
				path = append(path, k.Value)
				if pos, ok := found(v, depth+1); ok {
					return pos, true
				}
				path = path[:len(path)-1]
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				path = append(path, fmt.Sprint(i))
				if pos, ok := found(item, depth+1); ok {
					return pos, true
				}
				path = path[:len(path)-1]
			}
		}
		return position{}, false
	}
	pos, ok := found(doc.Content[0], 0)
	if !ok {
		return "", position{}, false
	}
	if isJSON(data) {
		// yaml.v3 counts columns in runes of the line; the JSON scanner
		// gives the same answer in bytes, which is what an editor's
		// "go to" wants for a minified document.
		if at, ok := locate(data, []string{pointerOf(path...)})[pointerOf(path...)]; ok {
			pos = at
		}
	}
	return pointerOf(path...), pos, true
}

// validate runs kin-openapi's validation of the document with the checks
// that only warn turned off, checks examples, defaults and patterns itself,
// and sorts what it finds into warnings and the error that refuses the
// document.
func validate(doc *openapi3.T, data []byte, source string) ([]string, int, error) {
	is31 := doc.IsOpenAPI31OrLater()
	w := newExampleWalk()
	w.document(doc)
	opts := []openapi3.ValidationOption{
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
		openapi3.EnableMultiError(),
	}
	if is31 && len(w.keywords) > 0 {
		// JSON Schema 2020-12 lets a schema carry keywords it does not
		// define (annotations, vocabularies of its own): a 3.1 document's
		// schemas may too.
		opts = append(opts, openapi3.AllowExtraSiblingFields(sortedKeys(w.keywords)...))
	}
	var refused []error
	tolerate := func(err error) {
		for _, e := range flatten(err) {
			if code := codeOf(e); isTolerated(code, is31) {
				p, why := pointerOfError(e)
				w.findings = append(w.findings, finding{kindDocument, p, oneLine(why.Error())})
			} else {
				refused = append(refused, e)
			}
		}
	}
	tolerate(doc.Validate(context.Background(), opts...))
	if len(refused) == 0 && len(w.findings) > 0 {
		// kin-openapi stops validating a schema at its first problem: once
		// the tolerated problems are allowed, a second pass sees what they
		// hid. Only fields can be allowed; the other tolerated problems
		// stay as they are.
		if fields := siblingFields(w.findings); len(fields) > 0 {
			first := len(w.findings)
			tolerate(doc.Validate(context.Background(), append(opts, openapi3.AllowExtraSiblingFields(fields...))...))
			w.findings = dedupe(w.findings, first)
		}
	}
	if len(refused) > 0 {
		p, why := pointerOfError(refused[0])
		err := &Error{Source: source, Place: p, Err: fmt.Errorf("the document is not valid OpenAPI: %v", oneLine(why.Error()))}
		if len(refused) > 1 {
			err.Err = fmt.Errorf("%w (and %d more problems)", err.Err, len(refused)-1)
		}
		return nil, 0, withLine(data, err)
	}
	if len(w.refused) > 0 {
		return nil, 0, refusal(data, source, w.refused)
	}
	w.run(is31)
	fs := sortedFindings(w.findings)
	examples := 0
	for _, f := range fs {
		if f.kind == kindExample {
			examples++
		}
	}
	return render(data, fs), examples, nil
}

// isTolerated tells whether a kin-openapi validation code only warns.
func isTolerated(code string, is31 bool) bool {
	if tolerated[code] {
		return true
	}
	// A keyword of JSON Schema 2020-12 in a 3.0 document: kin-openapi
	// reads it all the same.
	return !is31 && strings.HasSuffix(code, "-field-for-3-1-plus")
}

func codeOf(err error) string {
	var c openapi3.CodedError
	if errors.As(err, &c) {
		return c.Code()
	}
	return ""
}

// flatten lists the independent problems of a validation error.
func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// siblingFields lists the fields the tolerated problems are about, for the
// second pass.
func siblingFields(fs []finding) []string {
	set := map[string]bool{}
	for _, f := range fs {
		if f.kind != kindDocument {
			continue
		}
		if i := strings.Index(f.message, "extra sibling fields: ["); i >= 0 {
			rest := f.message[i+len("extra sibling fields: ["):]
			if j := strings.IndexByte(rest, ']'); j >= 0 {
				for _, name := range strings.Fields(rest[:j]) {
					set[name] = true
				}
			}
		}
		if i := strings.Index(f.message, "field "); i >= 0 && strings.Contains(f.message, " is for OpenAPI >=3.1") {
			if name, _, ok := strings.Cut(f.message[i+len("field "):], " "); ok {
				set[name] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for name := range set {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// dedupe drops the findings of the second pass that the first one had.
func dedupe(fs []finding, first int) []finding {
	seen := map[string]bool{}
	out := fs[:0]
	for i, f := range fs {
		key := f.pointer + "\x00" + f.message
		if seen[key] && i >= first {
			continue
		}
		seen[key] = true
		out = append(out, f)
	}
	return out
}

// componentBuckets maps kin-openapi's names of the component sections to
// their keys in the document.
var componentBuckets = map[string]string{
	"schema": "schemas", "parameter": "parameters", "header": "headers",
	"request body": "requestBodies", "response": "responses",
	"security scheme": "securitySchemes", "example": "examples",
	"link": "links", "callback": "callbacks",
}

// pointerOfError reads the JSON pointer of a validation problem from the
// context kin-openapi wraps it in, and returns the problem without that
// context. It stops at the first wrapper whose place it cannot tell
// exactly, so the pointer may be to an enclosing object but is never to a
// wrong one.
func pointerOfError(err error) (string, error) {
	var segs []string
	e := err
	for e != nil {
		switch v := e.(type) {
		case *openapi3.SectionValidationError:
			if len(segs) > 0 {
				return pointerOf(segs...), e
			}
			if v.Section == "external docs" {
				segs = append(segs, "externalDocs")
			} else {
				segs = append(segs, v.Section)
			}
		case *openapi3.PathValidationError:
			segs = append(segs, v.Path)
		case *openapi3.OperationValidationError:
			segs = append(segs, strings.ToLower(v.Method))
		case *openapi3.ComponentValidationError:
			bucket, ok := componentBuckets[v.Section]
			if !ok {
				return pointerOf(segs...), e
			}
			segs = append(segs, bucket, v.Name)
		case *openapi3.ConflictingPathsError:
			return pointerOf(append(segs, v.Path2)...), e
		case *openapi3.PathMustStartWithSlashError:
			return pointerOf(append(segs, v.Path)...), e
		default:
			return pointerOf(segs...), e
		}
		e = errors.Unwrap(e)
	}
	return pointerOf(segs...), err
}

// render turns the findings into the warnings' text, each with its line.
func render(data []byte, fs []finding) []string {
	if len(fs) == 0 {
		return nil
	}
	pointers := make([]string, len(fs))
	for i, f := range fs {
		pointers[i] = f.pointer
	}
	pos := locate(data, pointers)
	out := make([]string, len(fs))
	for i, f := range fs {
		where := f.pointer
		if where == "" {
			where = "/"
		}
		if p, ok := pos[f.pointer]; ok {
			where += " (line " + fmt.Sprint(p.Line)
			if oneLineDocument(data) {
				where += fmt.Sprintf(", column %d", p.Column)
			}
			where += ")"
		}
		out[i] = where + ": " + f.message
	}
	return out
}

// oneLineDocument tells whether a document is written on one long line, as
// minified JSON is: its messages name the column too.
func oneLineDocument(data []byte) bool {
	head := data[:min(len(data), 4096)]
	return len(data) > 200 && bytes.Count(head, []byte("\n")) <= 1
}
