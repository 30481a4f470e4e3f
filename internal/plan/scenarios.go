package plan

import (
	"net/http"

	"github.com/apiconform/apiconform/internal/catalog"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.Scenario}, Order: 85, Generate: contractScenarios})
}

// contractScenarios are the extra scenarios a contract defines on an
// operation (x-conformance scenarios): the operation's valid request with
// some parameter values replaced, and the statuses it must answer. They
// carry the rules plain OpenAPI cannot state, such as "a filter that
// matches nothing answers 204".
func contractScenarios(b *Builder) []*Scenario {
	var out []*Scenario
	for _, o := range b.C.Operations {
		for _, cs := range o.Conformance.Scenarios {
			req := b.baseRequest(o)
			r := req.clone()
			for _, p := range o.Params {
				v, ok := cs.Values[p.Name]
				if !ok {
					continue
				}
				setParam(&r, p, paramString(v))
			}
			exp := Expect{Status: cs.Status, Challenge: NoChallenge}
			words := "answers " + statusWords(cs.Status)
			allErrors := true
			for _, st := range cs.Status {
				if st < 400 {
					allErrors = false
				}
			}
			if allErrors && b.C.Conformance.Envelope.Ref != nil {
				exp.Envelope = true
				words += " with the error envelope"
			}
			if len(cs.Status) == 1 && cs.Status[0] == http.StatusNoContent {
				exp.NoBody = true
				words += " and no content"
			}
			s := b.newScenario(o, catalog.Scenario.ID+"."+cs.Name, "", words, r, exp)
			s.Labels = append(s.Labels, catalog.Scenario.ID)
			if cs.Disruptive {
				disruptive(s)
			}
			if !safeMethods[o.Method] {
				// an unsafe request the contract expects to succeed would
				// change data outside a lifecycle
				for _, st := range cs.Status {
					if st < 300 {
						s.Skip = "a write the contract expects to succeed changes data on the target; not sent"
					}
				}
			}
			out = append(out, s)
		}
	}
	return out
}
