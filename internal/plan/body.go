package plan

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/catalog"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.BodyMissing, catalog.BodyMalformed, catalog.BodyMissingProperty, catalog.BodyWrongType, catalog.BodyNullProperty, catalog.BodyUnknownProperty}, Order: 50, Generate: badBodies})
}

// badBodies sends, to every operation whose request body is required, no
// body; and to every operation with a JSON or form body: malformed JSON and
// valid JSON followed by other data (JSON only), the valid body without each
// required property, with each typed property of the wrong type, with each
// required non-nullable property null (JSON only), and with a property the
// schema's additionalProperties: false forbids. readOnly properties are
// never sent, so never varied.
func badBodies(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		req := b.baseRequest(o)
		add := func(family, detail string, body []byte) {
			r := req.clone()
			r.Body = body
			st := alike(o, []int{400}, 422)
			s := b.newScenario(o, family, detail, b.errorWords(st...), r, b.errorExpect(st...))
			s.Invented = req.invented()
			out = append(out, s)
		}
		if rb := o.Op.RequestBody; rb != nil && rb.Value != nil && rb.Value.Required {
			if req.ContentType == "" {
				req.ContentType = concreteMedia(rb.Value.Content)
			}
			// No content, with the Content-Type a valid body carries: the
			// missing body is then the request's only fault, and a 415
			// cannot stand in for the 400.
			add(catalog.BodyMissing.ID, "", nil)
		}
		if req.MediaType == "" {
			continue
		}
		if req.Form {
			add(catalog.BodyMalformed.ID, "", nil)
			if last := out[len(out)-1]; last.Skip == "" {
				last.Skip = "a form body (" + formBase(req.MediaType) + ") has no syntax apiconform can break: any bytes decode as some form"
			}
		} else {
			add(catalog.BodyMalformed.ID, "", []byte(`{"apiconform": `))
			// A decoder that reads one value and ignores the rest accepts
			// this; RFC 8259 allows only white space after the value.
			add(catalog.BodyMalformed.ID, "with trailing data", append(append([]byte(nil), req.Body...), " apiconform"...))
		}
		obj, isObj := req.BodyValue.(map[string]any)
		if !isObj || req.BodySchema == nil {
			continue
		}
		schema := req.BodySchema
		encode := func(v map[string]any) []byte {
			data, err := req.encode(v)
			if err != nil {
				panic(err) // the valid body encoded, and so does a variant of it
			}
			return data
		}
		required := append([]string(nil), schema.Required...)
		sort.Strings(required)
		for _, name := range required {
			if readOnly(schema, name) {
				continue // never sent, so its absence is no fault
			}
			without := copyObject(obj)
			delete(without, name)
			add(catalog.BodyMissingProperty.ID, "without "+name, encode(without))
		}
		names := make([]string, 0, len(schema.Properties))
		for n := range schema.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			p := schema.Properties[name]
			if p == nil || p.Value == nil || p.Value.ReadOnly {
				continue
			}
			bad, ok := wrongTypeJSON(p.Value)
			if req.Form {
				bad, ok = wrongTypeForm(p.Value)
			}
			if !ok {
				continue
			}
			with := copyObject(obj)
			with[name] = bad
			add(catalog.BodyWrongType.ID, name+" as "+jsonKind(bad), encode(with))
		}
		if !req.Form {
			for _, name := range required {
				p := schema.Properties[name]
				if p == nil || p.Value == nil || p.Value.ReadOnly || p.Value.VisitJSON(nil) == nil {
					continue // unknown, never sent, or nullable
				}
				with := copyObject(obj)
				with[name] = nil
				add(catalog.BodyNullProperty.ID, name+" as null", encode(with))
			}
		}
		if ap := schema.AdditionalProperties.Has; ap != nil && !*ap {
			if name, ok := unknownProperty(schema); ok {
				with := copyObject(obj)
				with[name] = "apiconform"
				add(catalog.BodyUnknownProperty.ID, "with property "+name, encode(with))
			}
		}
	}
	return out
}

// readOnly tells whether a schema marks a property readOnly.
func readOnly(s *openapi3.Schema, name string) bool {
	p := s.Properties[name]
	return p != nil && p.Value != nil && p.Value.ReadOnly
}

// unknownProperty is a property name the schema neither declares nor
// matches with a patternProperties pattern.
func unknownProperty(s *openapi3.Schema) (string, bool) {
	for _, name := range []string{"apiconform", "apiconformUnknown", "x-apiconform-unknown"} {
		if _, declared := s.Properties[name]; declared {
			continue
		}
		matched := false
		for pattern := range s.PatternProperties {
			if re, err := regexp.Compile(pattern); err != nil || re.MatchString(name) {
				matched = true // a pattern Go cannot read might match too
			}
		}
		if !matched {
			return name, true
		}
	}
	return "", false
}

// concreteMedia is the first declared media type, by name, that is no range
// (text/*, */*): the Content-Type of a request that carries no body.
func concreteMedia(content openapi3.Content) string {
	for _, k := range sortedContent(content) {
		if !strings.Contains(k, "*") {
			return k
		}
	}
	return ""
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

// wrongTypeForm is a form field value the schema's type does not take: in a
// form every value is text, so only numbers and booleans can be of the
// wrong type.
func wrongTypeForm(s *openapi3.Schema) (any, bool) {
	switch typeOf(s) {
	case "integer", "number", "boolean":
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
