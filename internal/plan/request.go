package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
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
	// Bounds says, by entry of Missing, which of the planner's bounds
	// kept a value from being built (see MaxValueLength).
	Bounds map[string]string
	// BodySchema and MediaType describe the request body the suite can
	// vary, if any: JSON, or a form (Form set) encoded from BodyValue.
	BodySchema *openapi3.Schema
	MediaType  string
	BodyValue  any
	Form       bool
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
				s, ok, why := sampleOf(schemaOf(p))
				if !ok {
					r.missing(p.In+" "+p.Name, why)
					continue
				}
				v = s
			}
			if p.In == "query" {
				r.Query.Set(p.Name, paramString(v))
			} else {
				r.Header.Set(p.Name, paramString(v))
			}
		}
	}
	if rb := o.Op.RequestBody; rb != nil && rb.Value != nil {
		r.body(rb.Value)
	}
	return r
}

// body builds the request body: a JSON body first, then a form, each from
// the media type's example (examples in the order of their names) or else a
// sample of its schema, without readOnly properties; else a non-JSON media
// type's string example, sent as it is written.
func (r *base) body(rb *openapi3.RequestBody) {
	mt, media := jsonMedia(rb.Content)
	form := false
	if media == nil {
		mt, media = formMedia(rb.Content)
		form = media != nil
	}
	if media == nil {
		// Other media types (XML, text) are sent as their string
		// example, as is.
		if mt, raw, ok := textExample(rb.Content); ok {
			r.Body, r.ContentType = []byte(raw), mt
		} else if rb.Required {
			r.Missing = append(r.Missing, "a request body example")
		}
		return
	}
	var schema *openapi3.Schema
	if media.Schema != nil {
		schema = media.Schema.Value
	}
	value, ok := mediaExample(media)
	if _, isObj := value.(map[string]any); ok && form && !isObj {
		// a form example written already encoded cannot be varied
		ok = false
	}
	why := ""
	if ok {
		value = writable(schema, value)
	} else {
		value, ok, why = sampleOf(media.Schema)
	}
	if !ok {
		r.missing("a request body example", why)
		return
	}
	r.MediaType, r.BodyValue, r.BodySchema, r.Form = mt, value, schema, form
	r.ContentType = mt
	if form && formBase(mt) == "multipart/form-data" {
		r.ContentType = "multipart/form-data; boundary=" + formBoundary
	}
	data, err := r.encode(value)
	if err != nil {
		r.MediaType, r.BodyValue, r.BodySchema, r.Form, r.ContentType = "", nil, nil, false, ""
		r.Missing = append(r.Missing, "a request body example")
		return
	}
	r.Body = data
}

// missing records what no value could be found or built for, and the
// bound that kept one from being built ("" for none).
func (r *base) missing(what, bound string) {
	r.Missing = append(r.Missing, what)
	if bound != "" {
		if r.Bounds == nil {
			r.Bounds = map[string]string{}
		}
		r.Bounds[what] = bound
	}
}

// missingText lists what no value could be found or built for, each with
// the bound that kept one from being built: "query q: its minLength is
// 100000, and apiconform builds strings of at most 65536 characters".
func (r *base) missingText() string {
	if len(r.Bounds) == 0 {
		return strings.Join(r.Missing, ", ")
	}
	parts := make([]string, len(r.Missing))
	for i, m := range r.Missing {
		parts[i] = m
		if why := r.Bounds[m]; why != "" {
			parts[i] += ": " + why
		}
	}
	return strings.Join(parts, "; ")
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

// formMedia picks the request body's form media type,
// application/x-www-form-urlencoded before multipart/form-data.
func formMedia(content openapi3.Content) (string, *openapi3.MediaType) {
	for _, want := range []string{"application/x-www-form-urlencoded", "multipart/form-data"} {
		for _, k := range sortedContent(content) {
			if formBase(k) == want {
				return k, content[k]
			}
		}
	}
	return "", nil
}

// formBase is a content key's media type, lower case, without parameters.
func formBase(k string) string {
	base, _, _ := strings.Cut(k, ";")
	return strings.TrimSpace(strings.ToLower(base))
}

func sortedContent(content openapi3.Content) []string {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
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

// invented names the path parameters of the request that were made up,
// nil when none was.
func (r *base) invented() []string { return append([]string(nil), r.Invented...) }

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

// formBoundary separates the parts of a multipart body: fixed, so that the
// same contract gives the same requests.
const formBoundary = "apiconform-form-boundary"

// encode writes a body value in the request's media type: JSON, or a form
// whose fields are the object's properties in the order of their names (a
// null property is left out: a form has no null).
func (r *base) encode(v any) ([]byte, error) {
	if !r.Form {
		return json.Marshal(v)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("a form body must be an object")
	}
	names := make([]string, 0, len(obj))
	for n := range obj {
		names = append(names, n)
	}
	sort.Strings(names)
	if formBase(r.MediaType) == "application/x-www-form-urlencoded" {
		q := url.Values{}
		for _, n := range names {
			if vals := formValues(obj[n]); len(vals) > 0 {
				q[n] = vals
			}
		}
		return []byte(q.Encode()), nil
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(formBoundary); err != nil {
		return nil, err
	}
	for _, n := range names {
		for _, val := range formValues(obj[n]) {
			if !r.fileField(n) {
				if err := w.WriteField(n, val); err != nil {
					return nil, err
				}
				continue
			}
			// A binary property is a file part, as a browser sends it.
			part, err := w.CreateFormFile(n, "apiconform.bin")
			if err != nil {
				return nil, err
			}
			if _, err := part.Write([]byte(val)); err != nil {
				return nil, err
			}
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fileField tells whether a form property holds a file's content: a binary
// string (OpenAPI 3.0) or one with a contentMediaType (3.1).
func (r *base) fileField(name string) bool {
	if r.BodySchema == nil {
		return false
	}
	p := r.BodySchema.Properties[name]
	return p != nil && p.Value != nil && (p.Value.Format == "binary" || p.Value.ContentMediaType != "")
}

// formValues writes a property's value as form fields: one per array item,
// objects as JSON, nothing for null.
func formValues(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for _, item := range x {
			out = append(out, formValues(item)...)
		}
		return out
	case map[string]any:
		data, _ := json.Marshal(x)
		return []string{string(data)}
	}
	return []string{paramString(v)}
}
