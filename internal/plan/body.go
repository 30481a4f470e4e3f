package plan

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

func init() {
	register(Generator{Family: "body", Order: 50, Generate: badBodies})
}

// badBodies sends, to every operation with a JSON object body, malformed
// JSON, the valid body without each required property, and the valid body
// with each typed property of the wrong type.
func badBodies(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		req := b.baseRequest(o)
		if req.MediaType == "" {
			continue
		}
		add := func(family, detail string, body []byte) {
			r := req.clone()
			r.Body = body
			st := alike(o, []int{400}, 422)
			s := b.newScenario(o, family, detail, b.errorWords(st...), r, b.errorExpect(st...))
			s.Invented = req.invented()
			out = append(out, s)
		}
		add("body.malformed", "", []byte(`{"apiconform": `))
		obj, isObj := req.BodyValue.(map[string]any)
		if !isObj || req.BodySchema == nil {
			continue
		}
		required := append([]string(nil), req.BodySchema.Required...)
		sort.Strings(required)
		for _, name := range required {
			without := copyObject(obj)
			delete(without, name)
			add("body.missing-property", "without "+name, mustJSON(without))
		}
		names := make([]string, 0, len(req.BodySchema.Properties))
		for n := range req.BodySchema.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			p := req.BodySchema.Properties[name]
			if p == nil || p.Value == nil {
				continue
			}
			bad, ok := wrongTypeJSON(p.Value)
			if !ok {
				continue
			}
			with := copyObject(obj)
			with[name] = bad
			add("body.wrong-type", name+" as "+jsonKind(bad), mustJSON(with))
		}
	}
	return out
}

func copyObject(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // values built from decoded JSON always marshal
	}
	return data
}

// wrongTypeJSON is a JSON value of a type the schema does not take.
func wrongTypeJSON(s *openapi3.Schema) (any, bool) {
	switch typeOf(s) {
	case "string":
		return 12345, true
	case "integer", "number", "boolean":
		return "apiconform", true
	case "object":
		return "apiconform", true
	case "array":
		return "apiconform", true
	}
	return nil, false
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int, float64:
		return "a number"
	}
	return strings.TrimSpace("a value")
}
