package plan

import (
	"net/http"
	"slices"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

// candidateMethods are the methods sent to a path that does not declare
// them. HEAD is left out (its answer has no body to judge), and so are
// TRACE and CONNECT, which a staging server's proxy may answer itself.
var candidateMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

func init() {
	register(Generator{Families: []catalog.Family{catalog.MethodUnsupported}, Order: 10, Generate: unsupportedMethods})
}

// unsupportedMethods sends every method a path does not declare. It aims at
// an existing resource where the contract names one, so that a 404 cannot
// stand in for the answer.
func unsupportedMethods(b *Builder) []*Scenario {
	var out []*Scenario
	status := b.C.Conformance.UnsupportedMethod
	for _, path := range b.C.Paths() {
		declared := b.C.Declared(path)
		if len(declared) == 0 {
			continue
		}
		ref := b.C.Find(declared[0], path)
		req := b.baseRequest(ref)
		for _, m := range candidateMethods {
			if slices.Contains(declared, m) {
				continue
			}
			r := req.clone()
			r.Method = m
			r.Query = nil
			r.Body, r.ContentType = nil, ""
			statuses := []int{status}
			if status == http.StatusMethodNotAllowed && !b.C.Implemented(m) {
				// RFC 9110 section 9.1: a method the server implements
				// nowhere SHOULD get 501, one the resource does not allow
				// 405; either says the method is not served here.
				statuses = append(statuses, http.StatusNotImplemented)
			}
			exp := b.errorExpect(statuses...)
			words := b.errorWords(statuses...)
			if status == http.StatusMethodNotAllowed {
				exp.Allow = AllowedMethods(declared)
				words = "answers 405 with Allow"
				if len(statuses) > 1 {
					words += ", or 501,"
				}
				if exp.Envelope {
					words += " and the error envelope"
				}
			}
			s := b.newPathScenario(m+" "+path, catalog.MethodUnsupported.ID, "", words, r, exp)
			s.Invented = req.invented()
			s.Labels = append(s.Labels, pathLabels(b.C, path)...)
			out = append(out, s)
		}
	}
	return out
}

// AllowedMethods is the set an Allow header must list for a path: the
// declared methods. HEAD and OPTIONS may be listed besides them.
func AllowedMethods(declared []string) []string {
	out := append([]string(nil), declared...)
	slices.Sort(out)
	return out
}

// pathLabels labels a path-level scenario with the ids of the path's
// operations, so that filtering by operation keeps it.
func pathLabels(c *contract.Contract, path string) []string {
	var out []string
	for _, m := range c.Declared(path) {
		if o := c.Find(m, path); o != nil {
			out = append(out, Label(o.ID))
		}
	}
	return out
}
