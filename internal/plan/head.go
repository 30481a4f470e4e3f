package plan

import (
	"net/http"
	"strings"
)

func init() {
	register(Generator{Family: "method.head", Order: 70, Generate: headRequests})
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
		s := b.newScenario(o, "method.head", "", "answers as GET would, with no body", r, Expect{SameAsGet: true, NoBody: true, Challenge: NoChallenge})
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
	var why []string
	if len(req.Invented) > 0 {
		why = append(why, "no known value for path parameter "+strings.Join(req.Invented, ", "))
	}
	if len(req.Missing) > 0 {
		why = append(why, "no value for "+strings.Join(req.Missing, ", "))
	}
	if len(why) == 0 {
		return ""
	}
	return strings.Join(why, "; ") + " (give one in x-conformance values or with --value)"
}
