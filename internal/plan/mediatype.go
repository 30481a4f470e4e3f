package plan

import (
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/catalog"
)

// undeclaredTypes are tried in order; the first the operation does not
// accept is sent.
var undeclaredTypes = []string{"text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream"}

func init() {
	register(Generator{Families: []catalog.Family{catalog.MediatypeWrong}, Order: 20, Generate: wrongMediaTypes})
}

// wrongMediaTypes sends a valid body with a Content-Type the operation does
// not declare.
func wrongMediaTypes(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		rb := o.Op.RequestBody
		if rb == nil || rb.Value == nil || len(rb.Value.Content) == 0 {
			continue
		}
		req := b.baseRequest(o)
		ct := ""
		for _, cand := range undeclaredTypes {
			if !accepts(rb.Value.Content, cand) {
				ct = cand
				break
			}
		}
		r := req.clone()
		r.ContentType = ct
		exp := b.errorExpect(http.StatusUnsupportedMediaType)
		if _, cov := o.Response(http.StatusBadRequest); cov.Declared() {
			// a 400 the operation documents (by code, range or default)
			// refuses the body too; RFC 9110 prefers 415, so it passes
			// with a warning
			exp.Tolerated = []int{http.StatusBadRequest}
		}
		s := b.newScenario(o, catalog.MediatypeWrong.ID, ct+" body", b.errorWords(415), r, exp)
		s.Invented = req.invented()
		switch {
		case ct == "":
			s.Name = o.ID + " [" + catalog.MediatypeWrong.ID + "] " + b.errorWords(415)
			s.Skip = "the operation accepts every media type apiconform could send"
		case r.Body == nil && len(req.Missing) > 0:
			s.Skip = "no valid request body could be built: " + req.missingText()
		case r.Body == nil:
			// an optional body of a media type apiconform cannot build
			s.Skip = "no request body apiconform can build for " + strings.Join(sortedContent(rb.Value.Content), ", ") + ": a JSON or form schema, or a string example, is needed"
		}
		out = append(out, s)
	}
	return out
}

// accepts tells whether a request body's content map takes a media type,
// counting media ranges such as text/* and */*.
func accepts(content openapi3.Content, mt string) bool {
	typ, _, _ := strings.Cut(mt, "/")
	for k := range content {
		k, _, _ = strings.Cut(k, ";")
		k = strings.ToLower(strings.TrimSpace(k))
		if k == mt || k == "*/*" || k == typ+"/*" {
			return true
		}
	}
	return false
}
