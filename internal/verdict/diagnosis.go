package verdict

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
)

// Diagnosis is what a run learnt about its own setup before the scenarios
// ran: a base path or credentials that cannot work. An answer such a
// mistake explains says nothing about the target, so the judge makes it
// inconclusive with the diagnosis as its reason instead of failing one
// scenario after another for the same cause.
type Diagnosis struct {
	// BasePath, when set, says why the base path is probably wrong: a 404
	// under it proves nothing, whatever the scenario expected.
	BasePath string
	// Credentials says, by security scheme name, why the run's credentials
	// for the scheme cannot work: none were given, or the target refused
	// them. A 401 or 403 to a request that carries them is then no failure
	// of the target.
	Credentials map[string]string
}

// Options are the judge's inputs beyond the scenario and its answer.
type Options struct {
	// Diagnosis, when set, explains the answers a setup mistake causes.
	Diagnosis *Diagnosis
}

// Lines are the diagnosis in words, one line per mistake, the base path
// first (with a wrong base path nothing else can be seen), each line once.
func (d *Diagnosis) Lines() []string {
	if d == nil {
		return nil
	}
	var out []string
	if d.BasePath != "" {
		out = append(out, d.BasePath)
	}
	seen := map[string]bool{}
	var creds []string
	for _, why := range d.Credentials {
		if !seen[why] {
			seen[why] = true
			creds = append(creds, why)
		}
	}
	sort.Strings(creds)
	return append(out, creds...)
}

// setup says why a diagnosed setup mistake explains the answer, "" when
// none does.
func (j *judge) setup() string {
	d, st := j.opts.Diagnosis, j.x.Status
	if d == nil {
		return ""
	}
	why := ""
	switch {
	case st == http.StatusNotFound && d.BasePath != "":
		// also where 404 is what the scenario expects: under a wrong
		// base path every path answers it, so it proves nothing
		why = d.BasePath
	case (st == http.StatusUnauthorized || st == http.StatusForbidden) && !j.expected(st):
		why = d.credentials(j.c, j.s)
	}
	if why == "" {
		return ""
	}
	return fmt.Sprintf("%s, not judged: %s", statusText(st), why)
}

// credentials is the diagnosis of the credentials a scenario depends on:
// one that sends the run's credentials for a secured operation and expects
// something else than a refusal of them. The credentials families send
// none or wrong ones on purpose and are judged as ever.
func (d *Diagnosis) credentials(c *contract.Contract, s *plan.Scenario) string {
	if f, _ := catalog.FamilyOf(s.Family); f.ID == catalog.CredentialsMissing.ID || f.ID == catalog.CredentialsInvalid.ID {
		return ""
	}
	if len(d.Credentials) == 0 || s.Request.Auth != plan.AuthValid {
		return ""
	}
	if s.Operation != nil && !c.Secured(s.Operation) {
		// credentials are optional here: a refusal is the target's
		return ""
	}
	for _, sc := range s.Request.Schemes {
		if why := d.Credentials[sc.Name]; why != "" {
			return why
		}
	}
	return ""
}
