package plan

import (
	"net/http"

	"github.com/apiconform/apiconform/internal/catalog"
)

// unacceptable is a media type no operation produces: an Accept naming it
// alone leaves the target no representation to choose.
const unacceptable = "application/x-apiconform-unacceptable"

func init() {
	register(Generator{Families: []catalog.Family{catalog.NegotiationNotAcceptable}, Order: 75, Generate: notAcceptable})
}

// notAcceptable sends each GET its success request with an Accept the
// target cannot satisfy. RFC 9110 section 12.5.1 lets it refuse with 406
// or disregard the header and answer as it would without it: both pass.
func notAcceptable(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		if o.Method != http.MethodGet {
			continue
		}
		req := b.baseRequest(o)
		r := req.clone()
		r.Header.Set("Accept", unacceptable)
		exp := b.errorExpect(http.StatusNotAcceptable)
		exp.StatusClass = 2
		s := b.newScenario(o, catalog.NegotiationNotAcceptable.ID, "", b.errorWords(http.StatusNotAcceptable)+", or a declared 2xx disregarding Accept", r, exp)
		if s.Expect.StatusSource != "" {
			// the contract's x-conformance status replaced both answers
			s.name("", "answers "+statusWords(s.Expect.Status))
		}
		if reason := cannotSucceed(req); reason != "" && s.Skip == "" {
			s.Skip = reason
		}
		out = append(out, s)
	}
	return out
}
