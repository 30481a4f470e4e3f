package contract

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Methods are the request methods a contract can declare, in the order
// apiconform lists and plans them.
var Methods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// Operation is one method on one path of the contract.
type Operation struct {
	// ID is the operationId, or one derived from the method and path.
	ID string
	// Method is the upper-case request method.
	Method string
	// Path is the path template, as written in the contract.
	Path string
	// Op is the OpenAPI operation.
	Op *openapi3.Operation
	// Params are the path-level and operation-level parameters, merged.
	Params []*openapi3.Parameter
	// Security lists the alternative requirements that apply (nil: none).
	// An operation with an empty alternative can be called anonymously.
	Security openapi3.SecurityRequirements
	// Conformance is the operation's x-conformance object.
	Conformance OperationConformance
}

// Declared lists the methods a path declares, in Methods order.
func (c *Contract) Declared(path string) []string {
	item := c.Doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	var out []string
	for _, m := range Methods {
		if item.GetOperation(m) != nil {
			out = append(out, m)
		}
	}
	return out
}

// Implemented tells whether any path of the contract declares a method:
// a method declared nowhere is one the server need not implement at all.
func (c *Contract) Implemented(method string) bool {
	for _, o := range c.Operations {
		if o.Method == method {
			return true
		}
	}
	return false
}

// Paths lists the contract's path templates, sorted.
func (c *Contract) Paths() []string {
	paths := c.Doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	return paths
}

// Find returns the operation of a method on a path template, or nil.
func (c *Contract) Find(method, path string) *Operation {
	return c.byRoute[method+" "+path]
}

var unsafeIDChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func (c *Contract) indexOperations() error {
	ids := map[string]string{}
	c.byRoute, c.byID = map[string]*Operation{}, map[string]*Operation{}
	for _, path := range c.Paths() {
		item := c.Doc.Paths.Value(path)
		for _, method := range Methods {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			place := fmt.Sprintf("paths.%s.%s", path, strings.ToLower(method))
			o := &Operation{ID: op.OperationID, Method: method, Path: path, Op: op}
			if o.ID == "" {
				o.ID = strings.Trim(unsafeIDChars.ReplaceAllString(strings.ToLower(method)+"_"+path, "_"), "_")
			}
			if other, dup := ids[o.ID]; dup {
				return &Error{Source: c.Source, Place: place, Err: fmt.Errorf("operation id %q is also used at %s", o.ID, other)}
			}
			ids[o.ID] = place
			o.Params = mergeParams(item.Parameters, op.Parameters)
			if op.Security != nil {
				o.Security = *op.Security
			} else {
				o.Security = c.Doc.Security
			}
			if raw, ok := op.Extensions[ExtensionKey]; ok {
				if err := decodeStrict(raw, &o.Conformance); err != nil {
					return &Error{Source: c.Source, Place: place + "." + ExtensionKey, Err: err}
				}
			}
			if err := c.checkOperationConformance(o, place+"."+ExtensionKey); err != nil {
				return err
			}
			for name, req := range o.Security {
				for scheme := range req {
					if c.Schemes[scheme] == nil {
						return &Error{Source: c.Source, Place: fmt.Sprintf("%s.security[%d]", place, name), Err: fmt.Errorf("no security scheme %q in components.securitySchemes", scheme)}
					}
				}
			}
			c.Operations = append(c.Operations, o)
			c.byRoute[method+" "+path] = o
			c.byID[o.ID] = o
		}
	}
	if err := c.checkStates(); err != nil {
		return err
	}
	for code, ids := range c.Conformance.StatusOnlyOn {
		for _, id := range ids {
			if !c.hasOperation(id) {
				return &Error{Source: c.Source, Place: ExtensionKey + ".statusOnlyOn." + code, Err: fmt.Errorf("no operation %q", id)}
			}
		}
	}
	return nil
}

func (c *Contract) hasOperation(id string) bool { return c.byID[id] != nil }

var scenarioName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (c *Contract) checkOperationConformance(o *Operation, place string) error {
	if err := checkStatuses(o.Conformance.Never); err != nil {
		return &Error{Source: c.Source, Place: place + ".never", Err: err}
	}
	for _, name := range sortedKeys(o.Conformance.Skip) {
		if err := checkFamilyName(name, o); err != nil {
			return &Error{Source: c.Source, Place: place + ".skip", Err: err}
		}
	}
	if err := checkFamilyStatuses(o.Conformance.Status, o, place+".status"); err != nil {
		return &Error{Source: c.Source, Place: err.place, Err: err.err}
	}
	seen := map[string]bool{}
	for i, s := range o.Conformance.Scenarios {
		where := fmt.Sprintf("%s.scenarios[%d]", place, i)
		if !scenarioName.MatchString(s.Name) {
			return &Error{Source: c.Source, Place: where + ".name", Err: fmt.Errorf("%q must be lower-case letters, digits and dashes", s.Name)}
		}
		if seen[s.Name] {
			return &Error{Source: c.Source, Place: where + ".name", Err: fmt.Errorf("%q is used twice", s.Name)}
		}
		seen[s.Name] = true
		if len(s.Status) == 0 {
			return &Error{Source: c.Source, Place: where + ".status", Err: errors.New("lists no status")}
		}
		if err := checkStatuses(s.Status); err != nil {
			return &Error{Source: c.Source, Place: where + ".status", Err: err}
		}
		for name := range s.Values {
			if !hasParam(o, name) {
				return &Error{Source: c.Source, Place: where + ".values", Err: fmt.Errorf("the operation has no parameter %q", name)}
			}
		}
	}
	return nil
}

func hasParam(o *Operation, name string) bool {
	for _, p := range o.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// Never tells whether the contract says this operation never answers a
// status.
func (c *Contract) Never(o *Operation, status int) bool {
	for _, list := range [][]int{c.Conformance.Never, o.Conformance.Never} {
		for _, code := range list {
			if code == status {
				return true
			}
		}
	}
	return false
}

// OnlyOn returns the operations that alone may answer a status, or nil when
// any operation may.
func (c *Contract) OnlyOn(status int) []string {
	return c.Conformance.StatusOnlyOn[strconv.Itoa(status)]
}

// mergeParams applies the OpenAPI rule that an operation's parameter
// overrides the path's parameter of the same name and location.
func mergeParams(pathLevel, opLevel openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	key := func(p *openapi3.Parameter) string { return p.In + ":" + p.Name }
	overridden := map[string]bool{}
	for _, r := range opLevel {
		if r != nil && r.Value != nil {
			overridden[key(r.Value)] = true
		}
	}
	for _, r := range pathLevel {
		if r != nil && r.Value != nil && !overridden[key(r.Value)] {
			out = append(out, r.Value)
		}
	}
	for _, r := range opLevel {
		if r != nil && r.Value != nil {
			out = append(out, r.Value)
		}
	}
	return out
}

// Value returns the known value of a parameter for this operation: the
// operation's x-conformance values, then the contract's, then the
// parameter's example and examples, the example and examples of its media
// type (a parameter with content), and its schema's example, examples (the
// OpenAPI 3.1 list), default and first enum value. Examples maps are read in
// the order of their names, so that the choice is the same on every run; a
// null example names nothing and is passed over.
func (c *Contract) Value(o *Operation, p *openapi3.Parameter) (any, bool) {
	if v, ok := o.Conformance.Values[p.Name]; ok {
		return v, true
	}
	if v, ok := c.Conformance.Values[p.Name]; ok {
		return v, true
	}
	fromExamples := func(example any, examples openapi3.Examples) (any, bool) {
		if example != nil {
			return example, true
		}
		for _, name := range sortedKeys(examples) {
			if ex := examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
				return ex.Value.Value, true
			}
		}
		return nil, false
	}
	if v, ok := fromExamples(p.Example, p.Examples); ok {
		return v, true
	}
	schema := p.Schema
	for _, mt := range sortedKeys(p.Content) {
		media := p.Content[mt]
		if media == nil {
			continue
		}
		if v, ok := fromExamples(media.Example, media.Examples); ok {
			return v, true
		}
		if schema == nil {
			schema = media.Schema
		}
	}
	if schema != nil && schema.Value != nil {
		s := schema.Value
		if s.Example != nil {
			return s.Example, true
		}
		for _, v := range s.Examples {
			if v != nil {
				return v, true
			}
		}
		if s.Default != nil {
			return s.Default, true
		}
		if len(s.Enum) > 0 {
			return s.Enum[0], true
		}
	}
	return nil, false
}

// Coverage says how an operation's responses cover a status.
type Coverage int

// How a status is covered, from the least explicit.
const (
	// Undeclared: no code, range or default covers the status.
	Undeclared Coverage = iota
	// ByDefault: only the default response covers it.
	ByDefault
	// ByRange: a range such as 4XX covers it.
	ByRange
	// ByCode: the status's own code is declared.
	ByCode
)

// Declared tells whether the coverage declares the status at all.
func (c Coverage) Declared() bool { return c != Undeclared }

// Response returns the response the operation declares for a status: the
// exact code, then its range (4XX, written upper case as OpenAPI writes it),
// then default, with how it was found.
func (o *Operation) Response(status int) (*openapi3.Response, Coverage) {
	if o.Op.Responses == nil {
		return nil, Undeclared
	}
	if ref := o.Op.Responses.Value(strconv.Itoa(status)); ref != nil && ref.Value != nil {
		return ref.Value, ByCode
	}
	// OpenAPI writes ranges upper case; a lower-case key is read too, since
	// some generators write it so and it can mean nothing else.
	for _, key := range []string{fmt.Sprintf("%dXX", status/100), fmt.Sprintf("%dxx", status/100)} {
		if ref := o.Op.Responses.Value(key); ref != nil && ref.Value != nil {
			return ref.Value, ByRange
		}
	}
	if ref := o.Op.Responses.Default(); ref != nil && ref.Value != nil {
		return ref.Value, ByDefault
	}
	return nil, Undeclared
}

// Declares tells whether the operation declares a status with its own code:
// what makes a 422 or a 410 one of the statuses a family accepts.
func (o *Operation) Declares(status int) bool {
	_, cov := o.Response(status)
	return cov == ByCode
}

// Statuses lists the statuses the operation declares explicitly, sorted.
func (o *Operation) Statuses() []string {
	if o.Op.Responses == nil {
		return nil
	}
	keys := sortedKeys(o.Op.Responses.Map())
	return keys
}

// StatusFor returns the statuses the contract states for a family on an
// operation (nil for a scenario aimed at no operation), and where it states
// them: the operation's x-conformance status, then the root's, each by kind
// ("params.missing"), then by family ("params"), then by group ("params"
// for "params.missing", "method" for "method.unsupported").
func (c *Contract) StatusFor(o *Operation, family string) ([]int, string, bool) {
	names := []string{family}
	for n := family; strings.Contains(n, "."); {
		n = n[:strings.LastIndexByte(n, '.')]
		names = append(names, n)
	}
	if o != nil {
		for _, n := range names {
			if st, ok := o.Conformance.Status[n]; ok {
				return st, fmt.Sprintf("the contract (x-conformance status.%s of %s)", n, o.ID), true
			}
		}
	}
	for _, n := range names {
		if st, ok := c.Conformance.Status[n]; ok {
			return st, fmt.Sprintf("the contract (x-conformance status.%s)", n), true
		}
	}
	return nil, "", false
}

// Skipped returns the reason a scenario kind does not apply to the operation:
// the kind itself ("params.missing") or its family ("params") may be named.
func (o *Operation) Skipped(kind string) (string, bool) {
	if r, ok := o.Conformance.Skip[kind]; ok {
		return r, true
	}
	if fam, _, found := strings.Cut(kind, "."); found {
		if r, ok := o.Conformance.Skip[fam]; ok {
			return r, true
		}
	}
	return "", false
}
