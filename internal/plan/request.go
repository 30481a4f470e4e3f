package plan

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/contract"
)

// base is a request that reaches an operation as the contract describes it:
// known values where the contract gives them, made-up ones elsewhere.
type base struct {
	Request
	// Invented names the path parameters the suite had to make up.
	Invented []string
	// Missing names required parameters or a body that no value could be
	// found or built for: a success scenario cannot be built.
	Missing []string
	// BodySchema and MediaType describe the JSON request body, if any.
	BodySchema *openapi3.Schema
	MediaType  string
	BodyValue  any
}

// baseRequest builds the request that reaches operation o.
func (b *Builder) baseRequest(o *contract.Operation) *base {
	r := &base{Request: Request{
		Method:     o.Method,
		Path:       o.Path,
		PathParams: map[string]string{},
		Query:      url.Values{},
		Header:     http.Header{},
		Auth:       AuthValid,
		Schemes:    b.C.SchemesOf(o),
	}}
	for _, p := range o.Params {
		if p.In == "cookie" {
			continue
		}
		v, known := b.C.Value(o, p)
		switch p.In {
		case "path":
			if !known {
				r.Invented = append(r.Invented, p.Name)
				r.PathParams[p.Name] = missingValue(schemaOf(p))
				continue
			}
			r.PathParams[p.Name] = paramString(v)
		case "query", "header":
			if !p.Required {
				continue
			}
			if !known {
				if s, ok := Sample(schemaOf(p)); ok {
					v = s
				} else {
					r.Missing = append(r.Missing, p.In+" "+p.Name)
					continue
				}
			}
			if p.In == "query" {
				r.Query.Set(p.Name, paramString(v))
			} else {
				r.Header.Set(p.Name, paramString(v))
			}
		}
	}
	if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
		mt, media := jsonMedia(rb.Value.Content)
		if media == nil {
			// Other media types (XML, text) are sent as their string
			// example, as is.
			if mt, raw, ok := textExample(rb.Value.Content); ok {
				r.Body, r.ContentType = []byte(raw), mt
				return r
			}
		}
		switch {
		case media == nil && rb.Value.Required:
			r.Missing = append(r.Missing, "a request body example")
		case media != nil:
			value, ok := mediaExample(media)
			if !ok {
				value, ok = Sample(media.Schema)
			}
			if !ok {
				r.Missing = append(r.Missing, "a request body example")
				break
			}
			data, err := json.Marshal(value)
			if err != nil {
				r.Missing = append(r.Missing, "a request body example")
				break
			}
			r.Body, r.ContentType, r.MediaType, r.BodyValue = data, mt, mt, value
			if media.Schema != nil {
				r.BodySchema = media.Schema.Value
			}
		}
	}
	return r
}

func schemaOf(p *openapi3.Parameter) *openapi3.SchemaRef {
	if p.Schema != nil {
		return p.Schema
	}
	for _, mt := range p.Content {
		return mt.Schema
	}
	return nil
}

// jsonMedia picks the request body's JSON media type (application/json or
// any +json), the one apiconform can build bodies for.
func jsonMedia(content openapi3.Content) (string, *openapi3.MediaType) {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		base, _, _ := strings.Cut(k, ";")
		base = strings.TrimSpace(strings.ToLower(base))
		if base == "application/json" || strings.HasSuffix(base, "+json") {
			return k, content[k]
		}
	}
	return "", nil
}

func mediaExample(m *openapi3.MediaType) (any, bool) {
	if m.Example != nil {
		return m.Example, true
	}
	names := make([]string, 0, len(m.Examples))
	for k := range m.Examples {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		if ex := m.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	return nil, false
}

// paramString writes a parameter value as it goes in a URL or header.
func paramString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprint(int64(x))
		}
		return fmt.Sprint(x)
	case nil:
		return ""
	case bool, int, int64:
		return fmt.Sprint(x)
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// clone gives each scenario its own copy of the base request.
func (r *base) clone() Request { return r.Request.Clone() }

// invented tells whether any path id of the request was made up.
func (r *base) invented() bool { return len(r.Invented) > 0 }

// textExample finds a non-JSON media type whose example is a string: the
// body to send as it is written.
func textExample(content openapi3.Content) (string, string, bool) {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v, ok := mediaExample(content[k]); ok {
			if s, isString := v.(string); isString {
				return k, s, true
			}
		}
	}
	return "", "", false
}
