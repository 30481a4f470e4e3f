package plan

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/contract"
)

// overwriting are the methods that change the resource their URL names.
// POST is not among them: it is sent to a collection or a processor, and
// what it makes is found from its answer.
var overwriting = map[string]bool{http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true}

// markExisting sets Existing on the scenarios sent outside the writes
// phase (whose lifecycles fill in the id the create step gave).
func markExisting(b *Builder, p *Plan) {
	var all []*Scenario
	all = append(all, p.Scenarios...)
	for _, f := range p.States {
		all = append(all, f.Scenarios()...)
	}
	for _, s := range all {
		s.Existing = s.Phase != PhaseWrites && overwriting[s.Request.Method] && len(s.Invented) == 0 && b.namesKnown(s)
	}
}

// namesKnown tells whether every path parameter of a scenario's request
// carries the value the contract knows for it. A path without parameters
// names one fixed resource, which counts as known.
func (b *Builder) namesKnown(s *Scenario) bool {
	o := s.Operation
	if o == nil {
		// a path-level scenario: the path's parameters are those of any
		// operation on it
		for _, m := range b.C.Declared(s.Request.Path) {
			if o = b.C.Find(m, s.Request.Path); o != nil {
				break
			}
		}
	}
	for _, name := range PathParamNames(s.Request.Path) {
		if o == nil {
			return false
		}
		var p *openapi3.Parameter
		for _, q := range o.Params {
			if q.In == "path" && q.Name == name {
				p = q
			}
		}
		if p == nil {
			return false
		}
		v, known := b.C.Value(o, p)
		if !known || s.Request.PathParams[name] != paramString(v) {
			return false
		}
	}
	return true
}

// PathParamNames lists the parameter names of a path template, in order.
func PathParamNames(path string) []string {
	var out []string
	for rest := path; ; {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			return out
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return out
		}
		out = append(out, rest[open+1:open+end])
		rest = rest[open+end+1:]
	}
}

// RequestFor builds the request the happy path of operation o sends (known
// values, valid credentials, the example body), aimed at the resource the
// path parameters name: the reads and writes the suite sends to undo what
// a target wrongly accepted.
func (p *Plan) RequestFor(o *contract.Operation, pathParams map[string]string) Request {
	r := (&Builder{C: p.Contract}).baseRequest(o).clone()
	for k, v := range pathParams {
		if _, used := r.PathParams[k]; used || strings.Contains(o.Path, "{"+k+"}") {
			r.PathParams[k] = v
		}
	}
	return r
}

// RestoreBody is the body that puts a representation read with GET back
// with operation o (a PUT): the representation without the properties o's
// JSON request schema marks readOnly, and without those it does not declare
// where it allows no others. ok is false when o takes no JSON body or the
// representation is not JSON.
func RestoreBody(o *contract.Operation, saved []byte) (body []byte, contentType string, ok bool) {
	rb := o.Op.RequestBody
	if rb == nil || rb.Value == nil {
		return nil, "", false
	}
	mt, media := jsonMedia(rb.Value.Content)
	if media == nil {
		return nil, "", false
	}
	var v any
	if json.Unmarshal(saved, &v) != nil {
		return nil, "", false
	}
	if media.Schema != nil && media.Schema.Value != nil {
		s := media.Schema.Value
		v = writable(s, v)
		if obj, isObj := v.(map[string]any); isObj && s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has && len(s.Properties) > 0 {
			for k := range obj {
				if _, declared := s.Properties[k]; !declared {
					delete(obj, k)
				}
			}
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, "", false
	}
	return data, mt, true
}

// SameRepresentation tells whether two bodies read with GET hold the same
// representation: equal as JSON values (the order of properties and the
// spacing aside), else byte for byte.
func SameRepresentation(a, b []byte) bool {
	var va, vb any
	if json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil {
		return reflect.DeepEqual(va, vb)
	}
	return string(a) == string(b)
}
