package plan

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.ResourceMissingID}, Order: 30, Generate: missingIDs})
	register(Generator{Families: []catalog.Family{catalog.ResourceUnknownPath}, Order: 31, Generate: unknownPath})
}

// missingIDs sends every operation with a path parameter an id its schema
// accepts but no resource can have, in the last path parameter, keeping the
// known values of the others.
func missingIDs(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		var last string
		for _, p := range o.Params {
			if p.In == "path" {
				last = p.Name
			}
		}
		if last == "" {
			continue
		}
		req := b.baseRequest(o)
		r := req.clone()
		for _, p := range o.Params {
			if p.Name == last && p.In == "path" {
				r.PathParams[last] = missingValue(schemaOf(p))
			}
		}
		st := alike(o, []int{http.StatusNotFound}, http.StatusGone)
		exp, words := b.errorExpect(st...), b.errorWords(st...)
		if _, cov := o.Response(http.StatusNotFound); o.Method == http.MethodDelete && !cov.Declared() {
			// A DELETE whose contract documents no 404 may treat an
			// absent resource as already deleted: RFC 9110 section 9.3.5
			// sets no status for it, and the request is idempotent.
			exp.StatusClass = 2
			words = "answers 404 or a 2xx (the contract documents no 404 for it)"
		}
		s := b.newScenario(o, catalog.ResourceMissingID.ID, "", words, r, exp)
		if why := req.unsendable(o); why != "" && s.Skip == "" {
			// without its body the request is bad before its id is
			// looked up: a 400 would be as right as a 404
			s.Skip = why
		}
		out = append(out, s)
	}
	return out
}

// unknownPath asks for a path the contract does not have.
func unknownPath(b *Builder) []*Scenario {
	path := "/apiconform-no-such-path"
	for i := 0; matchesAny(b.C, path); i++ {
		path = fmt.Sprintf("/apiconform-no-such-path/%d/x", i)
	}
	r := Request{Method: http.MethodGet, Path: path, Header: http.Header{}, Auth: AuthValid}
	// The credentials are those most of the API asks for, so that a 401
	// does not hide the 404.
	if len(b.C.Doc.Security) > 0 {
		for _, o := range b.C.Operations {
			if b.C.Secured(o) {
				r.Schemes = b.C.SchemesOf(o)
				break
			}
		}
	}
	s := b.newPathScenario(path, catalog.ResourceUnknownPath.ID, "", b.errorWords(404), r, b.errorExpect(404))
	s.Subject = "GET " + path
	s.name("", b.errorWords(404))
	return []*Scenario{s}
}

// matchesAny tells whether a concrete path would be routed to one of the
// contract's path templates.
func matchesAny(c *contract.Contract, path string) bool {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, tmpl := range c.Paths() {
		t := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(t) != len(segs) {
			continue
		}
		match := true
		for i := range t {
			if !strings.Contains(t[i], "{") && t[i] != segs[i] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
