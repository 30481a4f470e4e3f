package plan

import (
	"net/http"

	"github.com/apiconform/apiconform/internal/catalog"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.Success}, Order: 90, Generate: successes})
}

// safeMethods change nothing on the target, so their happy paths always run.
var safeMethods = map[string]bool{http.MethodGet: true, http.MethodHead: true, http.MethodOptions: true}

// successes sends every safe operation its request as the contract's
// examples build it, and expects a declared 2xx whose body matches. The
// happy paths of unsafe operations belong to the writes lifecycles.
func successes(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		if !safeMethods[o.Method] {
			continue
		}
		req := b.baseRequest(o)
		s := b.newScenario(o, catalog.Success.ID, "", "answers a declared 2xx whose body matches its schema", req.clone(), successExpect())
		if reason := cannotSucceed(req); reason != "" && s.Skip == "" {
			s.Skip = reason
		}
		out = append(out, s)
	}
	return out
}

func successExpect() Expect {
	return Expect{StatusClass: 2, Challenge: NoChallenge}
}
