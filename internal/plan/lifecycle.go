package plan

import (
	"net/http"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
)

// lifecycles pairs each collection that creates resources (POST on a path)
// with its item path (the same path plus one parameter segment) that
// deletes them. The suite then creates a resource of its own, reads it,
// updates it, runs the other writes below it, deletes it and reads it again,
// so that it never changes data it did not make. Unsafe operations that fit
// no lifecycle are planned as skipped, with the reason.
func lifecycles(b *Builder) ([]*Lifecycle, []*Scenario) {
	var out []*Lifecycle
	var notSent []*Scenario
	covered := map[*contract.Operation]bool{}
	for _, create := range b.C.Operations {
		if create.Method != http.MethodPost {
			continue
		}
		itemPath, idParam := itemOf(b.C, create.Path)
		del := b.C.Find(http.MethodDelete, itemPath)
		if del == nil {
			continue
		}
		l := &Lifecycle{Name: strings.TrimPrefix(create.Path, "/") + " lifecycle", IDParam: idParam}
		step := func(o *contract.Operation, detail, words string, exp Expect) *Scenario {
			req := b.baseRequest(o)
			s := b.newScenario(o, catalog.Success.ID, detail, words, req.clone(), exp)
			s.ID = idSafe(l.Name + " " + s.ID)
			s.Name = strings.TrimSuffix(l.Name, " lifecycle") + ": " + s.Name
			s.Phase = PhaseWrites
			s.Labels = append(s.Labels, "writes")
			if s.Skip == "" && len(req.Missing) > 0 {
				s.Skip = "no value for " + req.missingText()
			}
			covered[o] = true
			return s
		}
		ok := "answers a declared 2xx whose body matches its schema"
		l.Create = step(create, "create", ok, successExpect())
		if get := b.C.Find(http.MethodGet, itemPath); get != nil {
			l.Steps = append(l.Steps, step(get, "read back", ok, successExpect()))
		}
		for _, m := range []string{http.MethodPut, http.MethodPatch} {
			if up := b.C.Find(m, itemPath); up != nil {
				l.Steps = append(l.Steps, step(up, "update", ok, successExpect()))
			}
		}
		for _, o := range b.C.Operations {
			if !safeMethods[o.Method] && strings.HasPrefix(o.Path, itemPath+"/") {
				l.Steps = append(l.Steps, step(o, "on the created resource", ok, successExpect()))
			}
		}
		l.Delete = step(del, "delete", ok, successExpect())
		if get := b.C.Find(http.MethodGet, itemPath); get != nil {
			exp := b.errorExpect(http.StatusNotFound)
			exp.Gone = true
			l.Gone = step(get, "after delete", b.errorWords(http.StatusNotFound), exp)
			l.Gone.Family = catalog.Success.ID
		} else {
			l.Gone = nil
		}
		out = append(out, l)
	}
	// Writes that no lifecycle can undo are listed, never sent.
	for _, o := range b.C.Operations {
		if safeMethods[o.Method] || covered[o] {
			continue
		}
		req := b.baseRequest(o)
		s := b.newScenario(o, catalog.Success.ID, "", "answers a declared 2xx whose body matches its schema", req.clone(), successExpect())
		s.Phase = PhaseWrites
		s.Labels = append(s.Labels, "writes")
		if s.Skip == "" {
			s.Skip = "changes data on the target, and the contract has no create-and-delete pair (POST on a collection, DELETE on its items) to undo it with; not sent"
		}
		notSent = append(notSent, s)
	}
	return out, notSent
}

// itemOf finds the item path below a collection path: the collection path
// plus one segment that is a single parameter.
func itemOf(c *contract.Contract, collection string) (string, string) {
	prefix := strings.TrimRight(collection, "/") + "/"
	for _, p := range c.Paths() {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || strings.Contains(rest, "/") {
			continue
		}
		if strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") {
			return p, rest[1 : len(rest)-1]
		}
	}
	return "", ""
}
