package plan

import (
	"net/http"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.MethodHead}, Order: 70, Generate: headRequests})
}

// headRequests sends HEAD where GET is declared and expects GET's answer
// without its body (RFC 9110 section 9.3.2).
func headRequests(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		if o.Method != http.MethodGet || b.C.Find(http.MethodHead, o.Path) != nil {
			continue
		}
		req := b.baseRequest(o)
		r := req.clone()
		r.Method = http.MethodHead
		s := b.newScenario(o, catalog.MethodHead.ID, "", "answers as GET would, with no body", r, Expect{SameAsGet: true, NoBody: true, Challenge: NoChallenge})
		if reason := cannotSucceed(req); reason != "" {
			s.Skip = reason
		}
		out = append(out, s)
	}
	return out
}

// cannotSucceed says why a request cannot be expected to succeed: a path id
// or a required value the contract gives no value for.
func cannotSucceed(req *base) string {
	var why, names []string
	if len(req.Invented) > 0 {
		why = append(why, "no known value for path parameter "+strings.Join(req.Invented, ", "))
		names = append(names, req.Invented...)
	}
	if len(req.Missing) > 0 {
		why = append(why, "no value for "+req.missingText())
		for _, m := range req.Missing {
			// "query limit", "header X-Tenant"; a body takes no --value
			if in, name, ok := strings.Cut(m, " "); ok && (in == "query" || in == "header") {
				names = append(names, name)
			}
		}
	}
	if len(why) == 0 {
		return ""
	}
	if len(names) == 0 {
		return strings.Join(why, "; ") + " (give the request body an example in the contract)"
	}
	return strings.Join(why, "; ") + " (" + ValueHint("a value", names) + ")"
}

// ValueHint says how to give known values for parameters: --value first,
// as the way that needs no change to the contract. what names the value
// ("an existing id", "a value").
func ValueHint(what string, names []string) string {
	var flags []string
	for _, n := range names {
		flags = append(flags, "--value "+n+"=...")
	}
	return "give " + what + " with " + strings.Join(flags, " ") + ", or in x-conformance values"
}
