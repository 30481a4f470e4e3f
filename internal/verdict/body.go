package verdict

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/probe"
)

// content checks the Content-Type and the body: the declared schema for the
// status, and the error envelope for a 4xx or 5xx with the fields that echo
// the request.
func (j *judge) content() {
	x := j.x
	if x.Status == http.StatusNoContent {
		if len(x.RespBody) > 0 || contentLength(x.RespHdr) > 0 {
			j.fail(catalog.NoContentBody, "no content on 204", fmt.Sprintf("Content-Length %s, %d bytes read", x.RespHdr.Get("Content-Length"), len(x.RespBody)))
		}
		return
	}
	if x.Method == http.MethodHead {
		if len(x.RespBody) > 0 {
			j.fail(catalog.HeadNoBody, "no content in the answer to HEAD", fmt.Sprintf("%d bytes after the headers", len(x.RespBody)))
		}
		return
	}
	if x.Status/100 == 1 || x.Status == 304 {
		return
	}
	isError := x.Status >= 400
	rule := catalog.BodySchema
	if isError {
		rule = catalog.EnvelopeSchema
	}
	content, binding := j.declaredContent()
	if len(content) == 0 {
		return
	}
	ctRule := catalog.ContentTypeDeclared
	if !binding {
		// only inferred from the operations' error responses: the
		// contract does not say this answer carries it
		rule, ctRule = catalog.EnvelopeInferred, catalog.EnvelopeInferred
	}
	ct := x.RespHdr.Get("Content-Type")
	mt, media := lookupMedia(content, ct)
	if media == nil {
		j.fail(ctRule, "Content-Type "+strings.Join(sortedKeys(content), " or "), fmt.Sprintf("%q", ct))
		return
	}
	if media.Schema == nil || media.Schema.Value == nil {
		return
	}
	if len(x.RespBody) == 0 {
		j.fail(rule, fmt.Sprintf("a %s body", mt), "an empty body")
		return
	}
	if x.Truncated {
		j.fail(rule, "a body within the --max-body limit", fmt.Sprintf("more than %d bytes; the body was cut and cannot be judged", len(x.RespBody)))
		return
	}
	value, err := decode(mt, x, media.Schema)
	if err != nil {
		j.fail(rule, "a "+mt+" body", "a body that does not parse: "+err.Error())
		return
	}
	for _, e := range j.validate(media.Schema.Value, value) {
		j.fail(rule, "a body that matches the schema", e)
	}
	if isError {
		j.echoes(value)
	}
	if w := j.s.Expect.Mentions; w != "" && isError && !strings.Contains(strings.ToLower(string(x.RespBody)), strings.ToLower(w)) {
		j.fail(catalog.StateRefusesMentions, fmt.Sprintf("an error envelope that names %q", w), "an envelope that does not")
	}
}

// declaredContent is what the contract says the body of this answer holds:
// the operation's response for the status (code, range or default), or
// else, for an error, the envelope. binding is false when the envelope is
// only inferred from the operations' error responses: x-conformance
// envelope makes it every error's body, a router's answers included.
func (j *judge) declaredContent() (content openapi3.Content, binding bool) {
	if o := j.s.Operation; o != nil {
		if r, cov := o.Response(j.x.Status); cov.Declared() {
			return r.Content, true
		}
	}
	env := j.c.Conformance.Envelope
	if j.x.Status >= 400 && env.Ref != nil {
		content := openapi3.Content{}
		for _, mt := range env.MediaTypes {
			content[mt] = &openapi3.MediaType{Schema: env.Ref}
		}
		return content, env.Declared
	}
	return nil, false
}

// lookupMedia finds the declared media type a Content-Type matches: exactly,
// then by a declared range such as application/* or */*.
func lookupMedia(content openapi3.Content, header string) (string, *openapi3.MediaType) {
	mt := mediaType(header)
	if mt == "" {
		return "", nil
	}
	typ, _, _ := strings.Cut(mt, "/")
	for _, want := range []string{mt, typ + "/*", "*/*"} {
		for k, v := range content {
			if mediaType(k) == want {
				return mt, v
			}
		}
	}
	return "", nil
}

// mediaType is a Content-Type's media type, lower case, without parameters.
func mediaType(header string) string {
	if header == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		mt, _, _ = strings.Cut(header, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

func decode(mt string, x *probe.Exchange, schema *openapi3.SchemaRef) (any, error) {
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		var v any
		dec := json.NewDecoder(bytes.NewReader(x.RespBody))
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if dec.More() {
			return nil, errors.New("data after the JSON value")
		}
		return v, nil
	}
	if strings.HasSuffix(mt, "+xml") {
		return decodeXML(bytes.NewReader(x.RespBody), x.RespHdr, schema, nil)
	}
	decoder := openapi3filter.RegisteredBodyDecoder(mt)
	if decoder == nil {
		return nil, fmt.Errorf("apiconform cannot read %s bodies", mt)
	}
	return decoder(bytes.NewReader(x.RespBody), x.RespHdr, schema, nil)
}

// validate returns one line per way the value, a response body, breaks the
// schema. A writeOnly property is never required in a response (OpenAPI
// 3.0 and 3.1); one that is sent anyway is no failure either, since the
// specification says only SHOULD NOT.
func (j *judge) validate(schema *openapi3.Schema, value any) []string {
	// VisitAsResponse lifts required from writeOnly properties, but only in
	// kin-openapi's own validator: the JSON Schema 2020-12 validator of 3.1
	// documents reads readOnly and writeOnly as annotations, so it gets the
	// schema's response view instead.
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse(), openapi3.DisableWriteOnlyValidation()}
	if j.c.Is31() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
		schema = responseView(schema)
	}
	err := schema.VisitJSON(value, opts...)
	if err == nil {
		return nil
	}
	var out []string
	var walk func(error)
	walk = func(err error) {
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			where := "/" + strings.Join(se.JSONPointer(), "/")
			out = append(out, fmt.Sprintf("at %s: %s", where, se.Reason))
			return
		}
		out = append(out, firstLine(err.Error()))
	}
	walk(err)
	sort.Strings(out)
	return dedupe(out)
}

// echoes checks the envelope fields that must repeat the request.
func (j *judge) echoes(value any) {
	env := j.c.Conformance.Envelope
	obj, ok := value.(map[string]any)
	if !ok {
		return
	}
	if f := env.EchoMethod; f != "" {
		if got, present := obj[f]; present && fmt.Sprint(got) != j.x.Method {
			j.fail(catalog.EnvelopeEchoMethod, fmt.Sprintf("%s = %q, the request's method", f, j.x.Method), fmt.Sprintf("%s = %q", f, fmt.Sprint(got)))
		}
	}
	if f := env.StatusField; f != "" {
		if got, present := obj[f]; present {
			if n, isNum := got.(float64); !isNum || int(n) != j.x.Status || n != float64(int(n)) {
				j.fail(catalog.EnvelopeStatus, fmt.Sprintf("%s = %d, the HTTP status", f, j.x.Status), fmt.Sprintf("%s = %v", f, got))
			}
		}
	}
	if f := env.EchoURI; f != "" {
		if got, present := obj[f]; present {
			s := fmt.Sprint(got)
			u, err := url.Parse(s)
			if err != nil || strings.TrimRight(u.Path, "/") != strings.TrimRight(j.x.URL.Path, "/") {
				j.fail(catalog.EnvelopeEchoURI, fmt.Sprintf("%s naming the request's path %q", f, j.x.URL.Path), fmt.Sprintf("%s = %q", f, s))
			}
		}
	}
}

func contentLength(h http.Header) int64 {
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func dedupe(in []string) []string {
	var out []string
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// responseViews caches each schema's response view: schemas do not change
// once loaded, and copying a tree for every answer judged would cost more
// than the validation.
var responseViews sync.Map // *openapi3.Schema -> *openapi3.Schema

// responseView is a copy of a schema with its writeOnly properties taken
// out of required, at every depth: what a response must hold.
func responseView(schema *openapi3.Schema) *openapi3.Schema {
	if v, ok := responseViews.Load(schema); ok {
		return v.(*openapi3.Schema)
	}
	copies := map[*openapi3.Schema]*openapi3.Schema{}
	var lift func(s *openapi3.Schema) *openapi3.Schema
	liftRefs := func(refs openapi3.SchemaRefs) openapi3.SchemaRefs {
		out := make(openapi3.SchemaRefs, len(refs))
		for i, r := range refs {
			out[i] = r
			if r != nil && r.Value != nil {
				out[i] = &openapi3.SchemaRef{Ref: r.Ref, Value: lift(r.Value)}
			}
		}
		return out
	}
	lift = func(s *openapi3.Schema) *openapi3.Schema {
		if c, seen := copies[s]; seen {
			return c
		}
		c := *s
		copies[s] = &c
		c.Required = nil
		for _, name := range s.Required {
			if p := s.Properties[name]; p == nil || p.Value == nil || !p.Value.WriteOnly {
				c.Required = append(c.Required, name)
			}
		}
		if s.Properties != nil {
			c.Properties = openapi3.Schemas{}
			for name, p := range s.Properties {
				c.Properties[name] = p
				if p != nil && p.Value != nil {
					c.Properties[name] = &openapi3.SchemaRef{Ref: p.Ref, Value: lift(p.Value)}
				}
			}
		}
		if s.Items != nil && s.Items.Value != nil {
			c.Items = &openapi3.SchemaRef{Ref: s.Items.Ref, Value: lift(s.Items.Value)}
		}
		c.AllOf, c.OneOf, c.AnyOf = liftRefs(s.AllOf), liftRefs(s.OneOf), liftRefs(s.AnyOf)
		return &c
	}
	v, _ := responseViews.LoadOrStore(schema, lift(schema))
	return v.(*openapi3.Schema)
}
