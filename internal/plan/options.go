package plan

import (
	"net/http"

	"github.com/apiconform/apiconform/internal/catalog"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.MethodOptions}, Order: 80, Generate: optionsRequests})
}

// optionsRequests asks each path which methods it allows. RFC 9110 section
// 9.3.7 leaves the Allow header of an OPTIONS answer at SHOULD level, so a
// mismatch is a warning unless --strict (the catalogue's levels say so).
func optionsRequests(b *Builder) []*Scenario {
	var out []*Scenario
	for _, path := range b.C.Paths() {
		declared := b.C.Declared(path)
		if len(declared) == 0 {
			continue
		}
		if o := b.C.Find(http.MethodOptions, path); o != nil {
			continue // a declared OPTIONS is judged like any operation
		}
		req := b.baseRequest(b.C.Find(declared[0], path))
		r := req.clone()
		r.Method = http.MethodOptions
		r.Query, r.Body, r.ContentType = nil, nil, ""
		// RFC 9110 makes OPTIONS optional: a 405 (whose Allow is a MUST,
		// checked on every 405) or a 501 says the server does not offer it.
		exp := Expect{StatusClass: 2, Status: []int{http.StatusMethodNotAllowed, http.StatusNotImplemented}, Allow: AllowedMethods(declared), Challenge: NoChallenge}
		s := b.newPathScenario("OPTIONS "+path, catalog.MethodOptions.ID, "", "answers with Allow listing the declared methods, or 405 with Allow, or 501", r, exp)
		s.Labels = append(s.Labels, pathLabels(b.C, path)...)
		out = append(out, s)
	}
	return out
}
