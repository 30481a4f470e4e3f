package plan

import (
	"net/http"
	"strings"

	"github.com/apiconform/apiconform/internal/catalog"
)

func init() {
	register(Generator{Families: []catalog.Family{catalog.CredentialsMissing, catalog.CredentialsInvalid}, Order: 60, Generate: badCredentials})
}

// badCredentials sends every operation under a security requirement its
// valid request with no credentials, and with credentials of the right kind
// that cannot be valid.
func badCredentials(b *Builder) []*Scenario {
	var out []*Scenario
	status := b.C.Conformance.FailedCredentials
	for _, o := range b.C.Operations {
		if !b.C.Secured(o) {
			continue
		}
		req := b.baseRequest(o)
		for _, c := range []struct {
			family, detail string
			auth           Auth
		}{
			{catalog.CredentialsMissing.ID, "", AuthNone},
			{catalog.CredentialsInvalid.ID, "", AuthInvalid},
		} {
			r := req.clone()
			r.Auth = c.auth
			statuses := []int{status}
			if status == http.StatusUnauthorized && o.Declares(http.StatusForbidden) && !o.Declares(http.StatusUnauthorized) {
				// the operation documents 403, not 401, for failed
				// credentials: its own statement of the same meaning
				statuses = append(statuses, http.StatusForbidden)
			}
			exp := b.errorExpect(statuses...)
			words := b.errorWords(statuses...)
			if status == http.StatusUnauthorized {
				exp.Challenge = ""
				var kinds []string
				for _, s := range r.Schemes {
					if ch := s.Challenge(); ch != "" {
						kinds = append(kinds, ch)
					}
				}
				if len(kinds) == 1 {
					exp.Challenge = kinds[0]
				}
				words = "answers 401 with a " + strings.TrimSpace(exp.Challenge+" WWW-Authenticate") + " challenge"
				if len(statuses) > 1 {
					words += ", or 403"
				}
				if exp.Envelope {
					words += " and the error envelope"
				}
			}
			s := b.newScenario(o, c.family, c.detail, words, r, exp)
			s.Invented = req.invented()
			out = append(out, s)
		}
	}
	return out
}
