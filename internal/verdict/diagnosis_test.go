package verdict_test

import (
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/verdict"
)

const (
	refused  = "the credentials were refused: GET /profiles/x answered 401 with the --basic-auth given"
	wrongDir = "every GET of a known resource answered 404 under http://127.0.0.1:8080/cv: the base path is probably wrong"
)

// A diagnosed setup mistake makes the answers it explains inconclusive,
// with the diagnosis as reason, and leaves every other answer to the judge.
func TestDiagnosisExplainsOnlyWhatItCauses(t *testing.T) {
	p := ucsPlan(t)
	creds := verdict.Options{Diagnosis: &verdict.Diagnosis{Credentials: map[string]string{"basicAuth": refused}}}
	basePath := verdict.Options{Diagnosis: &verdict.Diagnosis{BasePath: wrongDir}}
	profilePath := "/profiles/" + profileID
	unauthorized := func(method, path string) string { return envelope(method, "/cv"+path, 401) }
	judge := func(id string, status int, opts verdict.Options) *verdict.Verdict {
		s := scenario(t, p, id)
		x := ex(s.Request.Method, s.Request.URLPath(), status, envelope(s.Request.Method, "/cv"+s.Request.URLPath(), status),
			"Content-Type", jsonCT, "WWW-Authenticate", `Basic realm="ucs"`)
		return verdict.JudgeWith(p.Contract, s, x, nil, opts)
	}

	t.Run("a refusal of the run's credentials on a secured operation", func(t *testing.T) {
		if v := judge("getProfile success", 401, verdict.Options{}); len(v.Mismatches) == 0 {
			t.Fatalf("without a diagnosis a 401 to a happy path is a failure: %+v", v)
		}
		inconclusive(t, judge("getProfile success", 401, creds), "401 Unauthorized, not judged: "+refused)
		inconclusive(t, judge("getProfile success", 403, creds), "403 Forbidden, not judged: "+refused)
		// a negative scenario the target refuses before it looks at the request
		inconclusive(t, judge("createProfile body.malformed", 401, creds), refused)
	})
	t.Run("a path-level scenario that carries the credentials", func(t *testing.T) {
		var s *plan.Scenario
		for _, sc := range p.Scenarios {
			if sc.Family == "method.unsupported" && sc.Operation == nil && len(sc.Request.Schemes) > 0 {
				c := *sc
				s = &c
				break
			}
		}
		if s == nil {
			t.Fatal("no method.unsupported scenario with credentials in the plan")
		}
		x := ex(s.Request.Method, s.Request.URLPath(), 401, unauthorized(s.Request.Method, s.Request.URLPath()), "Content-Type", jsonCT)
		inconclusive(t, verdict.JudgeWith(p.Contract, s, x, nil, creds), refused)
	})
	t.Run("the credentials families are judged as ever", func(t *testing.T) {
		clean(t, judge("getProfile credentials.invalid", 401, creds))
		if v := judge("getProfile credentials.missing", 200, creds); v.Inconclusive != "" || len(v.Mismatches) == 0 {
			t.Fatalf("a served request without credentials must fail, diagnosis or not: %+v", v)
		}
	})
	t.Run("an operation that needs no credentials", func(t *testing.T) {
		// getServerStatus has security: [] — its 401 is the target's doing
		if v := judge("getServerStatus success", 401, creds); v.Inconclusive != "" || len(v.Mismatches) == 0 {
			t.Fatalf("a 401 from an unsecured operation must fail: %+v", v)
		}
	})
	t.Run("answers the diagnosis does not explain", func(t *testing.T) {
		s := scenario(t, p, "getProfile success")
		ok := ex("GET", profilePath, 200, profile, "Content-Type", jsonCT)
		clean(t, verdict.JudgeWith(p.Contract, s, ok, nil, creds))
		clean(t, verdict.JudgeWith(p.Contract, s, ok, nil, basePath))
		// a 404 is no refusal of credentials
		if v := judge("getProfile success", 404, creds); v.Inconclusive != "" {
			t.Fatalf("a 404 was blamed on the credentials: %q", v.Inconclusive)
		}
		// a 401 says nothing of the base path
		if v := judge("getProfile success", 401, basePath); v.Inconclusive != "" {
			t.Fatalf("a 401 was blamed on the base path: %q", v.Inconclusive)
		}
	})
	t.Run("a 404 under a wrong base path", func(t *testing.T) {
		inconclusive(t, judge("getProfile success", 404, basePath), "404 Not Found, not judged: "+wrongDir)
		// also where 404 is expected: every path answers it there
		clean(t, judge("getProfile resource.missing-id", 404, verdict.Options{}))
		inconclusive(t, judge("getProfile resource.missing-id", 404, basePath), wrongDir)
		inconclusive(t, judge("createProfile body.malformed", 404, basePath), wrongDir)
	})
}

func TestDiagnosisLines(t *testing.T) {
	var none *verdict.Diagnosis
	if none.Lines() != nil || len((&verdict.Diagnosis{}).Lines()) != 0 {
		t.Fatal("no diagnosis has no lines")
	}
	d := &verdict.Diagnosis{
		BasePath:    wrongDir,
		Credentials: map[string]string{"b": "no credentials for 2 secured operations", "a": refused, "c": refused},
	}
	got := strings.Join(d.Lines(), "\n")
	want := wrongDir + "\nno credentials for 2 secured operations\n" + refused
	if got != want {
		t.Fatalf("lines:\n%s\nwant (the base path first, each line once, sorted):\n%s", got, want)
	}
}
