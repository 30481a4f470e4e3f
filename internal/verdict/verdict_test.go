package verdict_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// The shipped contract and its plan are loaded once; every test copies the
// scenarios it changes.
var ucsOnce = sync.OnceValues(func() (*plan.Plan, error) {
	c, err := contract.Load("genesys-ucs")
	if err != nil {
		return nil, err
	}
	return plan.Build(c)
})

func ucsPlan(t *testing.T) *plan.Plan {
	t.Helper()
	p, err := ucsOnce()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scenario returns a copy of the planned scenario with that id.
func scenario(t *testing.T, p *plan.Plan, id string) *plan.Scenario {
	t.Helper()
	for _, s := range p.All() {
		if s.ID == id {
			c := *s
			return &c
		}
	}
	t.Fatalf("no scenario %q in the plan of %s", id, p.Contract.Name)
	return nil
}

func parse(t *testing.T, doc string) *contract.Contract {
	t.Helper()
	c, err := contract.Parse([]byte(doc), "inline", "inline.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const base = "http://127.0.0.1:8080/cv"

// ex builds an exchange by hand: the scenario's request path under base,
// headers given as name, value pairs.
func ex(method, path string, status int, body string, hdr ...string) *probe.Exchange {
	u, err := url.Parse(base + path)
	if err != nil {
		panic(err)
	}
	h := http.Header{}
	for i := 0; i+1 < len(hdr); i += 2 {
		h.Add(hdr[i], hdr[i+1])
	}
	x := &probe.Exchange{Method: method, URL: u, Status: status, Proto: "HTTP/1.1", RespHdr: h}
	if body != "" {
		x.RespBody = []byte(body)
	}
	return x
}

// envelope is a valid genesys-ucs error body.
func envelope(method, uri string, code int) string {
	data, _ := json.Marshal(map[string]any{"http_method": method, "title": "t", "description": "d", "code": code, "uri": uri})
	return string(data)
}

const (
	jsonCT    = "application/json"
	profileID = "00027a5C4T0R001E"
	profile   = `{"id":"p1","FirstName":"Jane","LastName":"Doe","EmailAddress":"jane@example.com"}`
)

func rules(ms []verdict.Mismatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Rule
	}
	return out
}

// clean fails unless the verdict passes with nothing to say.
func clean(t *testing.T, v *verdict.Verdict) {
	t.Helper()
	if v.Inconclusive != "" || len(v.Mismatches) > 0 || len(v.Warnings) > 0 {
		t.Fatalf("want a clean verdict, got inconclusive=%q mismatches=%v warnings=%v", v.Inconclusive, v.Mismatches, v.Warnings)
	}
	if !v.OK(false) || !v.OK(true) {
		t.Fatal("a clean verdict must be OK, strict or not")
	}
}

// only fails unless the verdict has exactly one mismatch, of the rule.
// warnOnly asserts the verdict holds one warning, of the rule, and no
// mismatch: it passes, and fails only under strict.
func warnOnly(t *testing.T, v *verdict.Verdict, rule string) verdict.Mismatch {
	t.Helper()
	if v.Inconclusive != "" || len(v.Mismatches) != 0 || strings.Join(rules(v.Warnings), " ") != rule {
		t.Fatalf("want the warning %s alone, got %+v", rule, v)
	}
	if !v.OK(false) || v.OK(true) {
		t.Fatal("a warning passes, and fails only under strict")
	}
	return v.Warnings[0]
}

func only(t *testing.T, v *verdict.Verdict, rule string) verdict.Mismatch {
	t.Helper()
	if v.Inconclusive != "" {
		t.Fatalf("want mismatch %s, got inconclusive %q", rule, v.Inconclusive)
	}
	if len(v.Mismatches) != 1 || v.Mismatches[0].Rule != rule || len(v.Warnings) != 0 {
		t.Fatalf("want exactly [%s], got mismatches %v warnings %v", rule, v.Mismatches, v.Warnings)
	}
	if v.OK(false) || v.OK(true) {
		t.Fatal("a verdict with a mismatch must not be OK")
	}
	m := v.Mismatches[0]
	if m.Source == "" || m.Expected == "" || m.Actual == "" {
		t.Fatalf("mismatch lacks a source, expected or actual: %+v", m)
	}
	if r, ok := catalog.Lookup(rule); ok && m.Source != r.Source {
		t.Fatalf("mismatch source %q, the rule says %q", m.Source, r.Source)
	}
	return m
}

// ruleCase is one rule proven both ways: good passes clean, bad yields
// exactly the rule.
type ruleCase struct {
	name, rule, scenario string
	good, bad            *probe.Exchange
	getGood, getBad      *probe.Exchange
}

func TestEveryRuleBothWays(t *testing.T) {
	p := ucsPlan(t)
	profilePath := "/profiles/" + profileID
	missingEnv := func(method, path string, hdr ...string) *probe.Exchange {
		return ex(method, path, 404, envelope(method, "/cv"+path, 404), append([]string{"Content-Type", jsonCT}, hdr...)...)
	}
	jsonGet := ex("GET", profilePath, 200, profile, "Content-Type", jsonCT)
	cases := []ruleCase{
		{
			name: "undeclared 2xx", rule: "status.declared", scenario: "getProfile success",
			good: ex("GET", profilePath, 200, profile, "Content-Type", jsonCT),
			bad:  ex("GET", profilePath, 202, ""),
		},
		{
			name: "text instead of json", rule: "content-type.declared", scenario: "getProfile success",
			good: ex("GET", profilePath, 200, profile, "Content-Type", "application/json; charset=utf-8"),
			bad:  ex("GET", profilePath, 200, "hello", "Content-Type", "text/plain"),
		},
		{
			name: "no content type", rule: "content-type.declared", scenario: "getProfile success",
			good: ex("GET", profilePath, 200, profile, "Content-Type", "Application/JSON"),
			bad:  ex("GET", profilePath, 200, profile),
		},
		{
			name: "property of the wrong type", rule: "body.schema", scenario: "getProfile success",
			good: ex("GET", profilePath, 200, `{"id":"p1","FirstName":"Jane","LastName":"Doe","EmailAddress":"j@x","Age":40}`, "Content-Type", jsonCT),
			bad:  ex("GET", profilePath, 200, `{"id":"p1","FirstName":"Jane","LastName":"Doe","EmailAddress":"j@x","Age":"forty"}`, "Content-Type", jsonCT),
		},
		{
			name: "empty success body", rule: "body.schema", scenario: "getProfile success",
			good: jsonGet,
			bad:  ex("GET", profilePath, 200, "", "Content-Type", jsonCT),
		},
		{
			name: "success body not json", rule: "body.schema", scenario: "getProfile success",
			good: jsonGet,
			bad:  ex("GET", profilePath, 200, `{"id":`, "Content-Type", jsonCT),
		},
		{
			name: "data after the json value", rule: "body.schema", scenario: "getProfile success",
			good: jsonGet,
			bad:  ex("GET", profilePath, 200, profile+profile, "Content-Type", jsonCT),
		},
		{
			name: "array items", rule: "body.schema", scenario: "findProfiles success",
			good: ex("GET", "/profiles", 200, "["+profile+"]", "Content-Type", jsonCT),
			bad:  ex("GET", "/profiles", 200, `[`+profile+`,{"id":"p2","FirstName":"A","LastName":"B"}]`, "Content-Type", jsonCT),
		},
		{
			name: "envelope field of the wrong type", rule: "envelope.schema", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, `{"http_method":"GET","title":"t","description":"d","code":"E404","uri":"/cv/profiles/nope"}`, "Content-Type", jsonCT),
		},
		{
			name: "envelope field missing", rule: "envelope.schema", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, `{"http_method":"GET","title":"t","code":404,"uri":"/cv/profiles/nope"}`, "Content-Type", jsonCT),
		},
		{
			name: "empty error body", rule: "envelope.schema", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, "", "Content-Type", jsonCT),
		},
		{
			name: "error body is html", rule: "content-type.declared", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, "<h1>Not Found</h1>", "Content-Type", "text/html"),
		},
		{
			name: "echoes another method", rule: "envelope.echo-method", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, envelope("POST", "/cv/profiles/nope", 404), "Content-Type", jsonCT),
		},
		{
			name: "echoes the method in another case", rule: "envelope.echo-method", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, envelope("get", "/cv/profiles/nope", 404), "Content-Type", jsonCT),
		},
		{
			name: "echoes another uri", rule: "envelope.echo-uri", scenario: "getProfile resource.missing-id",
			// an absolute URI with a query and a trailing slash names the same path
			good: ex("GET", "/profiles/nope", 404, envelope("GET", "http://ucs.example.com/cv/profiles/nope/?x=1", 404), "Content-Type", jsonCT),
			bad:  ex("GET", "/profiles/nope", 404, envelope("GET", "/cv/profiles/other", 404), "Content-Type", jsonCT),
		},
		{
			name: "echoes the uri without the base path", rule: "envelope.echo-uri", scenario: "getProfile resource.missing-id",
			good: missingEnv("GET", "/profiles/nope"),
			bad:  ex("GET", "/profiles/nope", 404, envelope("GET", "/profiles/nope", 404), "Content-Type", jsonCT),
		},
		{
			name: "405 without Allow", rule: "allow.present", scenario: "DELETE /server/status method.unsupported",
			good: ex("DELETE", "/server/status", 405, envelope("DELETE", "/cv/server/status", 405), "Content-Type", jsonCT, "Allow", "GET"),
			bad:  ex("DELETE", "/server/status", 405, envelope("DELETE", "/cv/server/status", 405), "Content-Type", jsonCT),
		},
		{
			name: "Allow lists an undeclared method", rule: "allow.exact", scenario: "DELETE /server/status method.unsupported",
			// HEAD and OPTIONS are tolerated, case and spacing do not matter
			good: ex("DELETE", "/server/status", 405, envelope("DELETE", "/cv/server/status", 405), "Content-Type", jsonCT, "Allow", "get,HEAD, options"),
			bad:  ex("DELETE", "/server/status", 405, envelope("DELETE", "/cv/server/status", 405), "Content-Type", jsonCT, "Allow", "GET, POST"),
		},
		{
			name: "Allow misses a declared method", rule: "allow.exact", scenario: "PUT /profiles method.unsupported",
			// several Allow fields are one list
			good: ex("PUT", "/profiles", 405, envelope("PUT", "/cv/profiles", 405), "Content-Type", jsonCT, "Allow", "GET", "Allow", "POST"),
			bad:  ex("PUT", "/profiles", 405, envelope("PUT", "/cv/profiles", 405), "Content-Type", jsonCT, "Allow", "GET"),
		},
		{
			name: "401 without a challenge", rule: "www-authenticate.present", scenario: "getProfile credentials.missing",
			good: ex("GET", profilePath, 401, envelope("GET", "/cv"+profilePath, 401), "Content-Type", jsonCT, "WWW-Authenticate", `Basic realm="ucs"`),
			bad:  ex("GET", profilePath, 401, envelope("GET", "/cv"+profilePath, 401), "Content-Type", jsonCT),
		},
		{
			name: "401 with another scheme", rule: "www-authenticate.scheme", scenario: "getProfile credentials.invalid",
			// the scheme is matched without regard to case, in a list of challenges
			good: ex("GET", profilePath, 401, envelope("GET", "/cv"+profilePath, 401), "Content-Type", jsonCT, "WWW-Authenticate", `Bearer realm="x", basic realm="ucs"`),
			bad:  ex("GET", profilePath, 401, envelope("GET", "/cv"+profilePath, 401), "Content-Type", jsonCT, "WWW-Authenticate", `Bearer realm="ucs"`),
		},
		{
			name: "HEAD answers another status", rule: "method.head.status", scenario: "getProfile method.head",
			good: ex("HEAD", profilePath, 200, "", "Content-Type", jsonCT), getGood: jsonGet,
			bad: ex("HEAD", profilePath, 404, "", "Content-Type", jsonCT), getBad: jsonGet,
		},
		{
			name: "HEAD answers another Content-Type", rule: "head.headers", scenario: "getProfile method.head",
			good: ex("HEAD", profilePath, 200, "", "Content-Type", "application/json; charset=utf-8"), getGood: jsonGet,
			bad: ex("HEAD", profilePath, 200, "", "Content-Type", "text/html"), getBad: jsonGet,
		},
		{
			name: "HEAD answers with a body", rule: "head.no-body", scenario: "getProfile method.head",
			good: ex("HEAD", profilePath, 200, "", "Content-Type", jsonCT), getGood: jsonGet,
			bad: ex("HEAD", profilePath, 200, profile, "Content-Type", jsonCT), getBad: jsonGet,
		},
		{
			name: "204 with a body", rule: "no-content.body", scenario: "profiles lifecycle deleteProfile success delete",
			good: ex("DELETE", profilePath, 204, ""),
			bad:  ex("DELETE", profilePath, 204, "{}", "Content-Type", jsonCT),
		},
		{
			name: "204 with a Content-Length", rule: "no-content.body", scenario: "profiles lifecycle deleteProfile success delete",
			good: ex("DELETE", profilePath, 204, "", "Content-Length", "0"),
			bad:  ex("DELETE", profilePath, 204, "", "Content-Length", "12"),
		},
		{
			name: "201 without the required Location", rule: "header.required", scenario: "profiles lifecycle createProfile success create",
			good: ex("POST", "/profiles", 201, profile, "Content-Type", jsonCT, "Location", "/cv/profiles/p1"),
			bad:  ex("POST", "/profiles", 201, profile, "Content-Type", jsonCT),
		},
		{
			name: "deleted resource still found", rule: "lifecycle.gone", scenario: "profiles lifecycle getProfile success after delete",
			good: missingEnv("GET", profilePath),
			bad:  ex("GET", profilePath, 200, profile, "Content-Type", jsonCT),
		},
	}
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			s := scenario(t, p, tc.scenario)
			clean(t, verdict.Judge(p.Contract, s, tc.good, tc.getGood))
			m := only(t, verdict.Judge(p.Contract, s, tc.bad, tc.getBad), tc.rule)
			if !strings.Contains(m.String(), "["+tc.rule+"]") || !strings.Contains(m.String(), m.Source) {
				t.Errorf("String() = %q", m.String())
			}
		})
	}
}

// The rule list of the package is exactly the rules these tests prove both
// ways: TestEveryRuleBothWays, TestOptionsAllowIsAWarning, TestRouterAnswers,
// TestDefaultDeclares,
// TestPolicyRulesBothWays, TestPolicyWarnings, TestRetryAfterBothWays and
// TestRefusalMustNameTheState; the state.* and throttling.* rules judged
// over several exchanges by sequence_test.go's. A new rule fails here until
// it has its tests.
func TestRulesListed(t *testing.T) {
	want := []string{
		"allow.exact", "allow.present", "body.schema", "content-type.declared",
		"cors.allow-credentials", "cors.allow-headers", "cors.allow-methods", "cors.allow-origin", "cors.misspelled-header",
		"envelope.echo-method", "envelope.echo-uri", "envelope.schema", "envelope.status", "head.headers",
		"head.no-body", "header.required", "lifecycle.gone", "no-content.body",
		"options.allow", "retry-after.valid", "state.call.header", "state.check", "state.recovers", "state.refuses.mentions",
		"state.restore", "status.declared", "status.never", "status.only-on",
		"throttling.recovers", "www-authenticate.present", "www-authenticate.scheme",
		"envelope.inferred", "server.error", "status.explicit",
		"route.unknown", // judged by the audit, proven in internal/audit
	}
	sort.Strings(want)
	var got []string
	for _, r := range catalog.Rules() {
		got = append(got, r.ID)
		if r.Source == "" || r.Summary == "" {
			t.Errorf("rule %s lacks a source or summary", r.ID)
		}
		if l, ok := catalog.Lookup(r.ID); !ok || l != r {
			t.Errorf("Lookup(%s) = %+v, %v", r.ID, l, ok)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Rules() = %v, want %v (sorted)", got, want)
	}
	// family status rules come from the catalogue's families
	if r, ok := catalog.Lookup("success.status"); !ok || r != catalog.StatusRule("success") {
		t.Fatalf("Lookup(success.status) = %+v, %v; want the family's status rule", r, ok)
	}
}

func TestStatusRuleSources(t *testing.T) {
	for family, want := range map[string]string{
		"method.unsupported":    "x-conformance unsupportedMethod",
		"params.missing":        "a 422 the operation declares",
		"params.out-of-range":   "15.5.1",
		"body.wrong-type":       "15.5.1",
		"credentials.missing":   "x-conformance failedCredentials",
		"credentials.invalid":   "x-conformance failedCredentials",
		"resource.missing-id":   "15.5.5",
		"resource.unknown-path": "15.5.5",
		"mediatype.wrong":       "15.5.16",
		"scenario.retired-id":   "x-conformance scenarios",
		"success":               "2xx responses",
		"method.head":           "9.3.2",
		"method.options":        "9.3.7",
		"something.else":        "the contract",
		"paramsx":               "the contract",
	} {
		r := catalog.StatusRule(family)
		if r.ID != family+".status" || !strings.Contains(r.Source, want) {
			t.Errorf("StatusRule(%q) = %+v, want id %s.status and a source with %q", family, r, family, want)
		}
	}
}

// TestFamilyStatus proves "<family>.status" both ways for every family of
// the plan: the expected status passes, a declared but wrong one fails with
// only the family's status rule.
func TestFamilyStatus(t *testing.T) {
	p := ucsPlan(t)
	profilePath := "/profiles/" + profileID
	errEx := func(method, path string, status int, hdr ...string) *probe.Exchange {
		return ex(method, path, status, envelope(method, "/cv"+path, status), append([]string{"Content-Type", jsonCT}, hdr...)...)
	}
	basic := []string{"WWW-Authenticate", `Basic realm="ucs"`}
	cases := []struct {
		scenario, family string
		good, bad        *probe.Exchange
	}{
		{"DELETE /server/status method.unsupported", "method.unsupported", errEx("DELETE", "/server/status", 405, "Allow", "GET"), errEx("DELETE", "/server/status", 404)},
		{"createProfile mediatype.wrong text/plain body", "mediatype.wrong", errEx("POST", "/profiles", 415), errEx("POST", "/profiles", 403)},
		{"getProfile resource.missing-id", "resource.missing-id", errEx("GET", "/profiles/nope", 404), errEx("GET", "/profiles/nope", 403)},
		{"GET /apiconform-no-such-path resource.unknown-path", "resource.unknown-path", errEx("GET", "/apiconform-no-such-path", 404), errEx("GET", "/apiconform-no-such-path", 400)},
		{"findProfiles params.missing without query EmailAddress", "params.missing", errEx("GET", "/profiles", 400), errEx("GET", "/profiles", 403)},
		{"getService params.wrong-type path ServiceId=not-a-number", "params.wrong-type", errEx("GET", "/services/not-a-number", 404), errEx("GET", "/services/not-a-number", 403)},
		{"findProfiles params.out-of-range query limit above its maximum 100", "params.out-of-range", errEx("GET", "/profiles", 400), errEx("GET", "/profiles", 403)},
		{"createProfile body.malformed", "body.malformed", errEx("POST", "/profiles", 400), errEx("POST", "/profiles", 415)},
		{"createProfile body.missing-property without EmailAddress", "body.missing-property", errEx("POST", "/profiles", 400), errEx("POST", "/profiles", 403)},
		{"createProfile body.wrong-type Age as a string", "body.wrong-type", errEx("POST", "/profiles", 400), errEx("POST", "/profiles", 403)},
		{"getProfile credentials.missing", "credentials.missing", errEx("GET", profilePath, 401, basic...), errEx("GET", profilePath, 403)},
		{"getProfile credentials.invalid", "credentials.invalid", errEx("GET", profilePath, 401, basic...), errEx("GET", profilePath, 404)},
		{"getProfile success", "success", ex("GET", profilePath, 200, profile, "Content-Type", jsonCT), errEx("GET", profilePath, 404)},
	}
	for _, tc := range cases {
		t.Run(tc.family, func(t *testing.T) {
			s := scenario(t, p, tc.scenario)
			if s.Family != tc.family {
				t.Fatalf("scenario %q is of family %s", tc.scenario, s.Family)
			}
			clean(t, verdict.Judge(p.Contract, s, tc.good, nil))
			m := only(t, verdict.Judge(p.Contract, s, tc.bad, nil), tc.family+".status")
			if want := catalog.StatusRule(tc.family).Source; m.Source != want {
				t.Errorf("source %q, want %q", m.Source, want)
			}
			if !strings.Contains(m.Actual, http.StatusText(tc.bad.Status)) {
				t.Errorf("actual %q does not name the status", m.Actual)
			}
		})
	}
}

func TestStatusOverrideAndUndeclared(t *testing.T) {
	p := ucsPlan(t)
	// a wrong status that the operation does not declare either breaks both
	s := scenario(t, p, "getProfile resource.missing-id")
	v := verdict.Judge(p.Contract, s, ex("GET", "/profiles/nope", 418, envelope("GET", "/cv/profiles/nope", 418), "Content-Type", jsonCT), nil)
	got := rules(v.Mismatches)
	sort.Strings(got)
	if strings.Join(got, " ") != "resource.missing-id.status status.declared" {
		t.Fatalf("418 for a missing id: %v", v.Mismatches)
	}
	// an undeclared error status is still held to the contract's envelope
	v = verdict.Judge(p.Contract, s, ex("GET", "/profiles/nope", 418, `{"oops":true}`, "Content-Type", jsonCT), nil)
	if !contains(rules(v.Mismatches), "envelope.schema") {
		t.Fatalf("an undeclared 418 with a foreign body: %v", v.Mismatches)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestOptionsAllowIsAWarning(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "OPTIONS /profiles method.options")
	good := ex("OPTIONS", "/profiles", 200, "", "Allow", "OPTIONS, GET, HEAD, POST")
	clean(t, verdict.Judge(p.Contract, s, good, nil))

	for name, x := range map[string]*probe.Exchange{
		"no Allow":         ex("OPTIONS", "/profiles", 200, ""),
		"Allow misses one": ex("OPTIONS", "/profiles", 204, "", "Allow", "GET"),
		"Allow adds one":   ex("OPTIONS", "/profiles", 200, "", "Allow", "GET, POST, DELETE"),
	} {
		t.Run(name, func(t *testing.T) {
			v := verdict.Judge(p.Contract, s, x, nil)
			if v.Inconclusive != "" || len(v.Mismatches) != 0 {
				t.Fatalf("a SHOULD-level rule must not fail: %+v", v)
			}
			if len(v.Warnings) != 1 || v.Warnings[0].Rule != "options.allow" {
				t.Fatalf("warnings %v, want [options.allow]", v.Warnings)
			}
			if !v.OK(false) || v.OK(true) {
				t.Fatalf("a warning passes, and fails only under strict: OK(false)=%v OK(true)=%v", v.OK(false), v.OK(true))
			}
		})
	}

	// the Allow of an OPTIONS answer is only judged on a 2xx; the status
	// itself is then the warning
	v := verdict.Judge(p.Contract, s, ex("OPTIONS", "/profiles", 404, envelope("OPTIONS", "/cv/profiles", 404), "Content-Type", jsonCT), nil)
	if len(v.Mismatches) != 0 || strings.Join(rules(v.Warnings), " ") != "method.options.status" {
		t.Fatalf("OPTIONS answered 404: mismatches %v warnings %v", v.Mismatches, v.Warnings)
	}
}

// TestOptionsMayBeRefused: RFC 9110 makes OPTIONS optional. A 405 with
// Allow and a 501 pass; a 405 without Allow breaks the MUST of section
// 15.5.6; a 500 fails server.error, not a warning.
func TestOptionsMayBeRefused(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "OPTIONS /profiles method.options")
	env405 := envelope("OPTIONS", "/cv/profiles", 405)
	clean(t, verdict.Judge(p.Contract, s, ex("OPTIONS", "/profiles", 405, env405, "Content-Type", jsonCT, "Allow", "GET, POST"), nil))
	clean(t, verdict.Judge(p.Contract, s, ex("OPTIONS", "/profiles", 501, envelope("OPTIONS", "/cv/profiles", 501), "Content-Type", jsonCT), nil))
	only(t, verdict.Judge(p.Contract, s, ex("OPTIONS", "/profiles", 405, env405, "Content-Type", jsonCT), nil), "allow.present")
	only(t, verdict.Judge(p.Contract, s, ex("OPTIONS", "/profiles", 500, envelope("OPTIONS", "/cv/profiles", 500), "Content-Type", jsonCT), nil), "server.error")
}

func TestOKStrict(t *testing.T) {
	m := verdict.Mismatch{Rule: "r", Source: "s", Expected: "e", Actual: "a"}
	cases := []struct {
		name          string
		v             verdict.Verdict
		loose, strict bool
	}{
		{"clean", verdict.Verdict{}, true, true},
		{"warning", verdict.Verdict{Warnings: []verdict.Mismatch{m}}, true, false},
		{"mismatch", verdict.Verdict{Mismatches: []verdict.Mismatch{m}}, false, false},
		{"both", verdict.Verdict{Mismatches: []verdict.Mismatch{m}, Warnings: []verdict.Mismatch{m}}, false, false},
		{"inconclusive", verdict.Verdict{Inconclusive: "why"}, false, false},
	}
	for _, tc := range cases {
		if got := tc.v.OK(false); got != tc.loose {
			t.Errorf("%s: OK(false) = %v", tc.name, got)
		}
		if got := tc.v.OK(true); got != tc.strict {
			t.Errorf("%s: OK(true) = %v", tc.name, got)
		}
	}
	if got := m.String(); got != "[r] expected e; got a (source: s)" {
		t.Errorf("Mismatch.String() = %q", got)
	}
}

func inconclusive(t *testing.T, v *verdict.Verdict, words ...string) {
	t.Helper()
	if v.Inconclusive == "" {
		t.Fatalf("want inconclusive, got mismatches %v warnings %v", v.Mismatches, v.Warnings)
	}
	if len(v.Mismatches) != 0 || len(v.Warnings) != 0 {
		t.Fatalf("an inconclusive verdict judges nothing: %v %v", v.Mismatches, v.Warnings)
	}
	if v.OK(false) || v.OK(true) {
		t.Fatal("an inconclusive verdict is not OK")
	}
	for _, w := range words {
		if !strings.Contains(v.Inconclusive, w) {
			t.Errorf("inconclusive %q lacks %q", v.Inconclusive, w)
		}
	}
}

func TestInconclusive(t *testing.T) {
	p := ucsPlan(t)
	profilePath := "/profiles/" + profileID

	t.Run("transport error", func(t *testing.T) {
		x := ex("GET", profilePath, 0, "")
		x.Err = errors.New("connection refused")
		inconclusive(t, verdict.Judge(p.Contract, scenario(t, p, "getProfile success"), x, nil), "no answer", "connection refused")
	})
	t.Run("timeout", func(t *testing.T) {
		x := ex("GET", profilePath, 0, "")
		x.Err, x.TimedOut = errors.New("context deadline exceeded"), true
		inconclusive(t, verdict.Judge(p.Contract, scenario(t, p, "getProfile success"), x, nil), "timeout")
	})
	t.Run("error after the status", func(t *testing.T) {
		// a body cut by the network is no answer to judge, whatever the status
		x := ex("GET", profilePath, 500, "{", "Content-Type", jsonCT)
		x.Err = errors.New("reading the body: unexpected EOF")
		inconclusive(t, verdict.Judge(p.Contract, scenario(t, p, "getProfile success"), x, nil), "unexpected EOF")
	})
	t.Run("throttled", func(t *testing.T) {
		x := ex("GET", profilePath, 429, "slow down", "Content-Type", "text/plain")
		inconclusive(t, verdict.Judge(p.Contract, scenario(t, p, "getProfile success"), x, nil), "429")
		inconclusive(t, verdict.Judge(p.Contract, scenario(t, p, "getProfile resource.missing-id"), x, nil), "429")
		// the client says why it did not wait and try again
		x.Throttled = "the run did not wait its Retry-After of 30s"
		v := verdict.Judge(p.Contract, scenario(t, p, "getProfile success"), x, nil)
		if want := "the target throttled the request (429 Too Many Requests): the run did not wait its Retry-After of 30s"; v.Inconclusive != want {
			t.Errorf("inconclusive %q, want %q", v.Inconclusive, want)
		}
	})
	t.Run("429 when expected is judged", func(t *testing.T) {
		s := scenario(t, p, "getProfile resource.missing-id")
		s.Expect.Status = []int{429}
		v := verdict.Judge(p.Contract, s, ex("GET", "/profiles/nope", 429, envelope("GET", "/cv/profiles/nope", 429), "Content-Type", jsonCT), nil)
		// 429 is not among getProfile's statuses: judged, and the contract's
		// silence about a status the scenario expects is a warning
		if v.Inconclusive != "" || len(v.Mismatches) != 0 || strings.Join(rules(v.Warnings), " ") != "status.explicit" {
			t.Fatalf("an expected 429 must be judged: %+v", v)
		}
	})
	t.Run("404 on an invented id", func(t *testing.T) {
		s := scenario(t, p, "getProfile credentials.missing")
		x := ex("GET", profilePath, 404, envelope("GET", "/cv"+profilePath, 404), "Content-Type", jsonCT)
		// the same answer on a known id is the target's fault
		only(t, verdict.Judge(p.Contract, s, x, nil), "credentials.missing.status")
		s.Invented = []string{"id"}
		inconclusive(t, verdict.Judge(p.Contract, s, x, nil), "invent", "401", s.Request.URLPath(), "give an existing id with --value id=..., or in x-conformance values")
		// another wrong status is still a mismatch on an invented id
		only(t, verdict.Judge(p.Contract, s, ex("GET", profilePath, 403, envelope("GET", "/cv"+profilePath, 403), "Content-Type", jsonCT), nil), "credentials.missing.status")
	})
	t.Run("404 expected on an invented id", func(t *testing.T) {
		s := scenario(t, p, "getProfile resource.missing-id")
		s.Invented = []string{"id"}
		clean(t, verdict.Judge(p.Contract, s, ex("GET", "/profiles/nope", 404, envelope("GET", "/cv/profiles/nope", 404), "Content-Type", jsonCT), nil))
	})
	t.Run("HEAD without its GET", func(t *testing.T) {
		s := scenario(t, p, "getProfile method.head")
		head := ex("HEAD", profilePath, 200, "", "Content-Type", jsonCT)
		inconclusive(t, verdict.Judge(p.Contract, s, head, nil), "GET")
		get := ex("GET", profilePath, 0, "")
		get.Err = errors.New("connection reset by peer")
		inconclusive(t, verdict.Judge(p.Contract, s, head, get), "GET")
	})
}

// A GET that was throttled cannot be compared with: the HEAD verdict should
// be inconclusive, as a throttled answer is everywhere else.
func TestHeadAgainstAThrottledGet(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "getProfile method.head")
	get := ex("GET", "/profiles/"+profileID, 429, "slow down", "Content-Type", "text/plain")
	head := ex("HEAD", "/profiles/"+profileID, 200, "", "Content-Type", jsonCT)
	inconclusive(t, verdict.Judge(p.Contract, s, head, get), "429")
}

func TestHeadIsNotJudgedOnBodyOrDeclarations(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "getProfile method.head")
	// GET and HEAD agree on a status the operation does not declare: HEAD is
	// held to GET, not to the declarations, and its missing body is fine
	get := ex("GET", "/profiles/"+profileID, 202, "")
	head := ex("HEAD", "/profiles/"+profileID, 202, "")
	clean(t, verdict.Judge(p.Contract, s, head, get))
}

func TestTruncatedBodyCannotBeJudged(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "getProfile success")
	x := ex("GET", "/profiles/"+profileID, 200, profile, "Content-Type", jsonCT)
	x.Truncated = true
	m := only(t, verdict.Judge(p.Contract, s, x, nil), "body.schema")
	if !strings.Contains(m.Actual, "cut") {
		t.Errorf("actual %q should say the body was cut", m.Actual)
	}
}

// defaultDoc declares a 200, a 4XX range and a default response.
const defaultDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: abc}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: string}}}
        "4XX":
          description: client error
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Err"}
        default:
          description: anything else
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Err"}
components:
  schemas:
    Err:
      type: object
      required: [message]
      properties: {message: {type: string}}
`

// TestDefaultDeclares: default covers a status, as ranges do (issue 11).
// An expected status covered only by default is a SHOULD-level warning
// (declare it), never a failure; its body is judged by default's schema.
func TestDefaultDeclares(t *testing.T) {
	c := parse(t, defaultDoc)
	o := c.Find("GET", "/things/{id}")
	errBody := `{"message":"boom"}`
	s := &plan.Scenario{ID: "t", Family: "custom", Operation: o, Expect: plan.Expect{Status: []int{500}, Challenge: plan.NoChallenge}}
	x := func(status int, body string) *probe.Exchange {
		return ex("GET", "/things/abc", status, body, "Content-Type", jsonCT)
	}
	m := warnOnly(t, verdict.Judge(c, s, x(500, errBody), nil), "status.explicit")
	if !strings.Contains(m.Expected, "getThing") || !strings.Contains(m.Actual, "default") {
		t.Errorf("the warning should name the operation and default: %+v", m)
	}
	// the default response gives the schema of the body
	v := verdict.Judge(c, s, x(500, `{"message":5}`), nil)
	if strings.Join(rules(v.Mismatches), " ") != "envelope.schema" {
		t.Fatalf("500 with a bad body: %v", v.Mismatches)
	}
	// a status the scenario does not expect, covered by default: only the
	// status rule says what is wrong
	s.Expect.Status = []int{404}
	only(t, verdict.Judge(c, s, x(302, errBody), nil), "custom.status")
	// a range declares: 404 and 409 fall under 4XX
	for _, st := range []int{404, 409} {
		s.Expect.Status = []int{st}
		clean(t, verdict.Judge(c, s, x(st, errBody), nil))
		only(t, verdict.Judge(c, s, x(st, `{"msg":"x"}`), nil), "envelope.schema")
	}
}

// problemDoc names its envelope in x-conformance, as application/problem+json,
// with its own echo fields; its operation declares no 5xx at all.
const problemDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "http://127.0.0.1:8080/cv"}]
x-conformance:
  envelope:
    schema: "#/components/schemas/Problem"
    echoMethod: method
    echoUri: instance
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: o1}
      responses:
        "200":
          description: ok
          headers:
            ETag: {required: true, schema: {type: string}}
            X-Trace: {required: false, schema: {type: string}}
          content:
            "*/*":
              schema: {type: string}
        "404":
          description: missing
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
components:
  schemas:
    Problem:
      type: object
      required: [title, status]
      properties:
        title: {type: string}
        status: {type: integer}
        method: {type: string}
        instance: {type: string}
`

func TestEnvelopeFromXConformance(t *testing.T) {
	c := parse(t, problemDoc)
	if env := c.Conformance.Envelope; env.EchoMethod != "method" || env.EchoURI != "instance" || strings.Join(env.MediaTypes, ",") != "application/problem+json" {
		t.Fatalf("envelope: %+v", env)
	}
	o := c.Find("GET", "/orders/{id}")
	s := &plan.Scenario{ID: "t", Family: "custom", Operation: o, Expect: plan.Expect{Status: []int{404, 500}, Envelope: true, Challenge: plan.NoChallenge}}
	pj := "application/problem+json; charset=utf-8"
	good := ex("GET", "/orders/o1", 404, `{"title":"nope","status":404,"method":"GET","instance":"/cv/orders/o1"}`, "Content-Type", pj)
	clean(t, verdict.Judge(c, s, good, nil))
	// echo fields that are absent are not required
	clean(t, verdict.Judge(c, s, ex("GET", "/orders/o1", 404, `{"title":"nope","status":404}`, "Content-Type", pj), nil))
	only(t, verdict.Judge(c, s, ex("GET", "/orders/o1", 404, `{"title":"nope","status":404,"method":"PUT"}`, "Content-Type", pj), nil), "envelope.echo-method")
	only(t, verdict.Judge(c, s, ex("GET", "/orders/o1", 404, `{"title":"nope","status":404,"instance":"/cv/orders/o2"}`, "Content-Type", pj), nil), "envelope.echo-uri")
	only(t, verdict.Judge(c, s, ex("GET", "/orders/o1", 404, `{"title":"nope","status":404}`, "Content-Type", jsonCT), nil), "content-type.declared")

	// a 500 the operation does not declare is still held to the envelope
	// the contract names in x-conformance; that the scenario expects it
	// leaves the contract's silence a warning
	v := verdict.Judge(c, s, ex("GET", "/orders/o1", 500, `{"title":"boom","status":500,"method":"GET"}`, "Content-Type", pj), nil)
	if len(v.Mismatches) != 0 || strings.Join(rules(v.Warnings), " ") != "status.explicit" {
		t.Fatalf("undeclared 500 with the envelope: %v %v", v.Mismatches, v.Warnings)
	}
	v = verdict.Judge(c, s, ex("GET", "/orders/o1", 500, `{"title":"boom","status":"500","method":"POST"}`, "Content-Type", pj), nil)
	got := rules(v.Mismatches)
	sort.Strings(got)
	if strings.Join(got, " ") != "envelope.echo-method envelope.schema" {
		t.Fatalf("undeclared 500 with a broken envelope: %v", v.Mismatches)
	}

	// a success declared as */* takes any Content-Type, but needs one; of
	// its headers only the required one must be there
	ok := &plan.Scenario{ID: "ok", Family: "success", Operation: o, Expect: plan.Expect{StatusClass: 2, Challenge: plan.NoChallenge}}
	clean(t, verdict.Judge(c, ok, ex("GET", "/orders/o1", 200, "plain words", "Content-Type", "text/plain", "ETag", `"1"`), nil))
	only(t, verdict.Judge(c, ok, ex("GET", "/orders/o1", 200, "plain words", "ETag", `"1"`), nil), "content-type.declared")
	m := only(t, verdict.Judge(c, ok, ex("GET", "/orders/o1", 200, "plain words", "Content-Type", "text/plain", "X-Trace", "t"), nil), "header.required")
	if !strings.Contains(m.Expected, "ETag") || !strings.Contains(m.Expected, "getOrder") {
		t.Errorf("expected %q should name the header and the operation", m.Expected)
	}
	// a HEAD answer carries no headers of the body to require
	head := &plan.Scenario{ID: "head", Family: "method.head", Operation: o, Expect: plan.Expect{SameAsGet: true, NoBody: true, Challenge: plan.NoChallenge}}
	get := ex("GET", "/orders/o1", 200, "plain words", "Content-Type", "text/plain", "ETag", `"1"`)
	clean(t, verdict.Judge(c, head, ex("HEAD", "/orders/o1", 200, "", "Content-Type", "text/plain"), get))
}

func TestChallengeScheme(t *testing.T) {
	p := ucsPlan(t)
	profilePath := "/profiles/" + profileID
	x := ex("GET", profilePath, 401, envelope("GET", "/cv"+profilePath, 401), "Content-Type", jsonCT, "WWW-Authenticate", `Bearer realm="ucs"`)
	// any challenge will do where the scheme is not known ("")
	s := scenario(t, p, "getProfile credentials.missing")
	s.Expect.Challenge = ""
	clean(t, verdict.Judge(p.Contract, s, x, nil))
	// a 401 where no challenge was asked for: the status is wrong, the
	// challenge is not judged by scheme, but must still be there
	s = scenario(t, p, "getProfile resource.missing-id")
	only(t, verdict.Judge(p.Contract, s, x, nil), "resource.missing-id.status")
	bare := ex("GET", profilePath, 401, envelope("GET", "/cv"+profilePath, 401), "Content-Type", jsonCT)
	v := verdict.Judge(p.Contract, s, bare, nil)
	if strings.Join(rules(v.Mismatches), " ") != "resource.missing-id.status www-authenticate.present" {
		t.Fatalf("401 without a challenge on a missing id: %v", v.Mismatches)
	}
}

// doc31 uses JSON Schema 2020-12 keywords that a 3.0 validator ignores or
// reads otherwise: const, a type list, and nullable (no keyword in 3.1).
const doc31 = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: p1}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [kind]
                properties:
                  kind: {const: pet}
                  tag: {type: [string, "null"]}
                  nick: {type: string, nullable: true}
`

func TestOpenAPI31Schemas(t *testing.T) {
	c := parse(t, doc31)
	if !c.Is31() {
		t.Fatal("the document is 3.1")
	}
	p, err := plan.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	s := scenario(t, p, "getPet success")
	x := func(body string) *probe.Exchange {
		return ex("GET", "/pets/p1", 200, body, "Content-Type", jsonCT)
	}
	for _, good := range []string{`{"kind":"pet"}`, `{"kind":"pet","tag":null}`, `{"kind":"pet","tag":"t","nick":"n"}`} {
		clean(t, verdict.Judge(c, s, x(good), nil))
	}
	for _, bad := range []string{
		`{"kind":"dog"}`,             // const: only the 2020-12 validator enforces it
		`{"kind":"pet","nick":null}`, // nullable means nothing in 3.1
		`{"kind":"pet","tag":5}`,
		`{"tag":"t"}`,
	} {
		t.Run(bad, func(t *testing.T) {
			m := only(t, verdict.Judge(c, s, x(bad), nil), "body.schema")
			if m.Expected != "a body that matches the schema" {
				t.Errorf("expected %q", m.Expected)
			}
		})
	}
}

func TestNullableIn30(t *testing.T) {
	// the 3.0 counterpart: nullable lets null through, and a 3.0 contract is
	// not validated as 2020-12
	doc := strings.NewReplacer("openapi: 3.1.0", "openapi: 3.0.3", `kind: {const: pet}`, `kind: {type: string, enum: [pet]}`, `tag: {type: [string, "null"]}`, `tag: {type: string}`).Replace(doc31)
	c := parse(t, doc)
	if c.Is31() {
		t.Fatal("the document is 3.0")
	}
	o := c.Find("GET", "/pets/{id}")
	s := &plan.Scenario{ID: "t", Family: "success", Operation: o, Expect: plan.Expect{StatusClass: 2, Challenge: plan.NoChallenge}}
	clean(t, verdict.Judge(c, s, ex("GET", "/pets/p1", 200, `{"kind":"pet","nick":null}`, "Content-Type", jsonCT), nil))
	only(t, verdict.Judge(c, s, ex("GET", "/pets/p1", 200, `{"kind":"dog"}`, "Content-Type", jsonCT), nil), "body.schema")
}

func TestMismatchesAreAllCollected(t *testing.T) {
	p := ucsPlan(t)
	s := scenario(t, p, "profiles lifecycle createProfile success create")
	// a created profile without Location whose body breaks the schema twice
	x := ex("POST", "/profiles", 201, `{"id":1,"FirstName":"A","LastName":"B"}`, "Content-Type", jsonCT)
	v := verdict.Judge(p.Contract, s, x, nil)
	got := rules(v.Mismatches)
	if len(got) != 3 || got[0] != "body.schema" || got[1] != "body.schema" || got[2] != "header.required" {
		t.Fatalf("mismatches %v", v.Mismatches)
	}
	if v.Mismatches[0].Actual == v.Mismatches[1].Actual {
		t.Fatalf("the two schema errors should differ: %v", v.Mismatches)
	}
}

// policyDoc uses the x-conformance keys that add rules: never, statusOnlyOn,
// wwwAuthenticate, cors and envelope.statusField.
const policyDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "http://127.0.0.1:8080/cv"}]
x-conformance:
  never: [418]
  statusOnlyOn: {"503": [getStatus]}
  wwwAuthenticate: should
  cors:
    origin: https://app.example.com
    allowCredentials: true
    allowMethods: [GET, POST]
    allowHeaders: [Authorization, Content-Type]
  envelope: {statusField: status}
paths:
  /status:
    get:
      operationId: getStatus
      responses:
        "200": {description: ok}
        "503": {$ref: "#/components/responses/Problem"}
  /items/{id}:
    get:
      operationId: getItem
      security: [{basicAuth: []}]
      x-conformance:
        never: [500]
        scenarios: [{name: retired-id, values: {id: r0}, status: [404]}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: i1}
      responses:
        "200": {description: ok}
        "401": {$ref: "#/components/responses/Problem"}
        "404": {$ref: "#/components/responses/Problem"}
        "500": {$ref: "#/components/responses/Problem"}
        "503": {$ref: "#/components/responses/Problem"}
components:
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
  responses:
    Problem:
      description: error
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Problem"}
  schemas:
    Problem:
      type: object
      required: [title, status]
      properties:
        title: {type: string}
        status: {type: number}
`

var policyOnce = sync.OnceValues(func() (*plan.Plan, error) {
	c, err := contract.Parse([]byte(policyDoc), "policy", "policy.yaml", false)
	if err != nil {
		return nil, err
	}
	return plan.Build(c)
})

func policyPlan(t *testing.T) *plan.Plan {
	t.Helper()
	p, err := policyOnce()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func problem(status int) string {
	return `{"title":"t","status":` + strconv.Itoa(status) + `}`
}

// corsOK are the headers that keep the policy of policyDoc.
var corsOK = []string{
	"Access-Control-Allow-Origin", "https://app.example.com",
	"Access-Control-Allow-Credentials", "true",
	"Access-Control-Allow-Methods", "GET, POST, OPTIONS",
	"Access-Control-Allow-Headers", "authorization, content-type",
}

// corsWith replaces (or, with an empty value, removes) one header of corsOK.
func corsWith(name, value string) []string {
	var out []string
	for i := 0; i < len(corsOK); i += 2 {
		if corsOK[i] != name {
			out = append(out, corsOK[i], corsOK[i+1])
		}
	}
	if value != "" {
		out = append(out, name, value)
	}
	return out
}

func TestPolicyRulesBothWays(t *testing.T) {
	p := policyPlan(t)
	c := p.Contract
	jsonErr := func(path string, status int, body string, hdr ...string) *probe.Exchange {
		return ex("GET", path, status, body, append([]string{"Content-Type", jsonCT}, hdr...)...)
	}
	cases := []ruleCase{
		{
			name: "a status the API never answers", rule: "status.never", scenario: "getItem resource.missing-id",
			good: jsonErr("/items/i1", 404, problem(404)),
			bad:  jsonErr("/items/i1", 418, problem(418)),
		},
		{
			name: "a status this operation never answers", rule: "status.never", scenario: "getItem resource.missing-id",
			good: jsonErr("/items/i1", 404, problem(404)),
			bad:  jsonErr("/items/i1", 500, problem(500)),
		},
		{
			name: "a status reserved for another operation", rule: "status.only-on", scenario: "getItem resource.missing-id",
			good: jsonErr("/items/i1", 404, problem(404)),
			bad:  jsonErr("/items/i1", 503, problem(503)),
		},
		{
			name: "envelope status differs", rule: "envelope.status", scenario: "getItem resource.missing-id",
			good: jsonErr("/items/i1", 404, problem(404)),
			bad:  jsonErr("/items/i1", 404, problem(400)),
		},
		{
			name: "a contract scenario", rule: "scenario.retired-id.status", scenario: "getItem scenario.retired-id",
			good: jsonErr("/items/r0", 404, problem(404)),
			bad:  ex("GET", "/items/r0", 200, "", corsOK...),
		},
		{
			name: "envelope status is a fraction", rule: "envelope.status", scenario: "getItem resource.missing-id",
			good: jsonErr("/items/i1", 404, `{"title":"t","status":404.0}`),
			bad:  jsonErr("/items/i1", 404, `{"title":"t","status":404.5}`),
		},
		{
			name: "star origin with credentials", rule: "cors.allow-origin", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Origin", "*")...),
		},
		{
			name: "another origin", rule: "cors.allow-origin", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Origin", "https://evil.example.com")...),
		},
		{
			name: "no origin", rule: "cors.allow-origin", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Origin", "")...),
		},
		{
			name: "no credentials", rule: "cors.allow-credentials", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Credentials", "")...),
		},
		{
			name: "credentials false", rule: "cors.allow-credentials", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Credentials", "false")...),
		},
		{
			name: "a method missing", rule: "cors.allow-methods", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Methods", "post,get")...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Methods", "GET")...),
		},
		{
			name: "star methods with credentials", rule: "cors.allow-methods", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Methods", "*")...),
		},
		{
			name: "a header missing", rule: "cors.allow-headers", scenario: "getStatus success",
			good: ex("GET", "/status", 200, "", corsOK...),
			bad:  ex("GET", "/status", 200, "", corsWith("Access-Control-Allow-Headers", "Authorization")...),
		},
	}
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			s := scenario(t, p, tc.scenario)
			clean(t, verdict.Judge(c, s, tc.good, tc.getGood))
			only(t, verdict.Judge(c, s, tc.bad, tc.getBad), tc.rule)
		})
	}
}

func TestPolicyWarnings(t *testing.T) {
	p := policyPlan(t)
	c := p.Contract
	t.Run("misspelled CORS header", func(t *testing.T) {
		s := scenario(t, p, "getStatus success")
		x := ex("GET", "/status", 200, "", append(corsOK, "Access-Control-Allow-Origins", "https://app.example.com")...)
		warnOnly(t, verdict.Judge(c, s, x, nil), "cors.misspelled-header")
	})
	t.Run("challenge at SHOULD level", func(t *testing.T) {
		s := scenario(t, p, "getItem credentials.missing")
		with := ex("GET", "/items/i1", 401, problem(401), "Content-Type", jsonCT, "WWW-Authenticate", "Basic")
		clean(t, verdict.Judge(c, s, with, nil))
		without := ex("GET", "/items/i1", 401, problem(401), "Content-Type", jsonCT)
		warnOnly(t, verdict.Judge(c, s, without, nil), "www-authenticate.present")
		// the scheme stays a MUST
		only(t, verdict.Judge(c, s, ex("GET", "/items/i1", 401, problem(401), "Content-Type", jsonCT, "WWW-Authenticate", "Bearer"), nil), "www-authenticate.scheme")
	})
}

func TestPolicyLimits(t *testing.T) {
	p := policyPlan(t)
	c := p.Contract
	// the operation that owns 503 may answer it: a 5xx the scenario does
	// not expect is the server's failure
	s := scenario(t, p, "getStatus success")
	only(t, verdict.Judge(c, s, ex("GET", "/status", 503, problem(503), "Content-Type", jsonCT), nil), "server.error")
	// CORS is judged on successes only
	clean(t, verdict.Judge(c, scenario(t, p, "getItem resource.missing-id"), ex("GET", "/items/i1", 404, problem(404), "Content-Type", jsonCT), nil))
	// a never status that the scenario itself expects is judged as expected
	s = scenario(t, p, "getItem resource.missing-id")
	s.Expect.Status = []int{500}
	clean(t, verdict.Judge(c, s, ex("GET", "/items/i1", 500, problem(500), "Content-Type", jsonCT), nil))
	// the statusField is only compared when present
	s.Expect.Status = []int{404}
	v := verdict.Judge(c, s, ex("GET", "/items/i1", 404, `{"title":"t"}`, "Content-Type", jsonCT), nil)
	if strings.Join(rules(v.Mismatches), " ") != "envelope.schema" {
		t.Fatalf("an envelope without its required status: %v", v.Mismatches)
	}
	// a HEAD answer is held to GET, not to never
	head := &plan.Scenario{ID: "h", Family: "method.head", Operation: c.Find("GET", "/items/{id}"), Expect: plan.Expect{SameAsGet: true, NoBody: true, Challenge: plan.NoChallenge}}
	get := ex("GET", "/items/i1", 500, problem(500), "Content-Type", jsonCT)
	clean(t, verdict.Judge(c, head, ex("HEAD", "/items/i1", 500, "", "Content-Type", jsonCT), get))
}

func TestCORSWithoutCredentials(t *testing.T) {
	p := policyPlan(t)
	c := *p.Contract
	c.Conformance.CORS = &contract.CORS{Origin: "https://app.example.com", AllowMethods: []string{"GET"}, AllowHeaders: []string{"X-Trace"}}
	s := scenario(t, p, "getStatus success")
	// without credentials, * stands for any origin, method and header
	clean(t, verdict.Judge(&c, s, ex("GET", "/status", 200, "", "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "*", "Access-Control-Allow-Headers", "*"), nil))
	clean(t, verdict.Judge(&c, s, ex("GET", "/status", 200, "", "Access-Control-Allow-Origin", "https://app.example.com", "Access-Control-Allow-Methods", "GET", "Access-Control-Allow-Headers", "x-trace"), nil))
	only(t, verdict.Judge(&c, s, ex("GET", "/status", 200, "", "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "*"), nil), "cors.allow-headers")
}

// plainDoc is written the way generated contracts are: no x-conformance,
// errors declared per operation (a 404 and a 422 with their schema).
const plainDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object}}}
        "404":
          description: nf
          content: {application/json: {schema: {$ref: "#/components/schemas/Err"}}}
        "422":
          description: invalid
          content: {application/json: {schema: {$ref: "#/components/schemas/Err"}}}
components:
  schemas:
    Err:
      type: object
      required: [message]
      properties: {message: {type: string}}
`

// TestRouterAnswers: an answer no operation declares (a 405, an unknown
// path) is held to the inferred envelope only as a warning, unless
// x-conformance envelope makes every error carry it; a 5xx nobody expects
// fails server.error in every family.
func TestRouterAnswers(t *testing.T) {
	c := parse(t, plainDoc)
	p, err := plan.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	put := scenario(t, p, "PUT /pets/{id} method.unsupported")
	if c.Conformance.Envelope.Declared || c.Conformance.Envelope.Ref == nil {
		t.Fatalf("the envelope is inferred, not declared: %+v", c.Conformance.Envelope)
	}
	errBody := `{"message":"no"}`
	clean(t, verdict.Judge(c, put, ex("PUT", "/pets/1", 405, errBody, "Content-Type", jsonCT, "Allow", "GET"), nil))
	// a framework's plain-text 405 is a warning here
	warnOnly(t, verdict.Judge(c, put, ex("PUT", "/pets/1", 405, "Method Not Allowed", "Content-Type", "text/plain", "Allow", "GET, HEAD"), nil), "envelope.inferred")
	warnOnly(t, verdict.Judge(c, put, ex("PUT", "/pets/1", 405, `{"error":1}`, "Content-Type", jsonCT, "Allow", "GET"), nil), "envelope.inferred")
	// Allow stays a MUST on every 405
	only(t, verdict.Judge(c, put, ex("PUT", "/pets/1", 405, errBody, "Content-Type", jsonCT), nil), "allow.present")
	unknown := scenario(t, p, "GET /apiconform-no-such-path resource.unknown-path")
	warnOnly(t, verdict.Judge(c, unknown, ex("GET", "/apiconform-no-such-path", 404, "404 page not found", "Content-Type", "text/plain"), nil), "envelope.inferred")

	// x-conformance envelope: every error carries it, a router's too
	declared := parse(t, strings.Replace(plainDoc, "paths:", "x-conformance: {envelope: {schema: \"#/components/schemas/Err\"}}\npaths:", 1))
	dp, err := plan.Build(declared)
	if err != nil {
		t.Fatal(err)
	}
	only(t, verdict.Judge(declared, scenario(t, dp, "PUT /pets/{id} method.unsupported"), ex("PUT", "/pets/1", 405, "Method Not Allowed", "Content-Type", "text/plain", "Allow", "GET"), nil), "content-type.declared")

	// 400 or the declared 422 for a bad parameter; a 500 is server.error,
	// and the one mismatch about the status
	wrong := scenario(t, p, "getPet params.wrong-type path id=not-a-number")
	if !slices.Equal(wrong.Expect.Status, []int{400, 404, 422}) {
		t.Fatalf("a bad path parameter expects %v", wrong.Expect.Status)
	}
	clean(t, verdict.Judge(c, wrong, ex("GET", "/pets/x", 422, errBody, "Content-Type", jsonCT), nil))
	warnOnly(t, verdict.Judge(c, wrong, ex("GET", "/pets/x", 400, errBody, "Content-Type", jsonCT), nil), "status.explicit")
	m := only(t, verdict.Judge(c, wrong, ex("GET", "/pets/x", 500, errBody, "Content-Type", jsonCT), nil), "server.error")
	if !strings.Contains(m.Actual, "500") || m.Level != catalog.Required {
		t.Errorf("server.error: %+v", m)
	}
	// a 5xx the scenario expects is judged as expected
	expected500 := *wrong
	expected500.Expect.Status = []int{500}
	if v := verdict.Judge(c, &expected500, ex("GET", "/pets/x", 500, errBody, "Content-Type", jsonCT), nil); len(v.Mismatches) != 0 {
		t.Fatalf("an expected 500: %v", v.Mismatches)
	}
}

// TestWriteOnlyIsNotRequiredInResponses, in 3.0 and in 3.1 documents (whose
// 2020-12 validator reads writeOnly only as an annotation): a response may
// leave out a required writeOnly property, not another required one.
func TestWriteOnlyIsNotRequiredInResponses(t *testing.T) {
	for _, version := range []string{"3.0.3", "3.1.0"} {
		t.Run(version, func(t *testing.T) {
			c := parse(t, `openapi: `+version+`
info: {title: t, version: "1"}
paths:
  /users/{id}:
    get:
      operationId: getUser
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [name, password, home]
                properties:
                  name: {type: string}
                  password: {type: string, writeOnly: true}
                  home:
                    type: object
                    required: [pin, city]
                    properties:
                      pin: {type: string, writeOnly: true}
                      city: {type: string}
`)
			s := &plan.Scenario{ID: "t", Family: "success", Operation: c.Find("GET", "/users/{id}"), Expect: plan.Expect{StatusClass: 2, Challenge: plan.NoChallenge}}
			for i := 0; i < 2; i++ { // the second judgement uses the cached view
				clean(t, verdict.Judge(c, s, ex("GET", "/users/u", 200, `{"name":"a","home":{"city":"b"}}`, "Content-Type", jsonCT), nil))
			}
			only(t, verdict.Judge(c, s, ex("GET", "/users/u", 200, `{"home":{"city":"b"}}`, "Content-Type", jsonCT), nil), "body.schema")
			only(t, verdict.Judge(c, s, ex("GET", "/users/u", 200, `{"name":"a","home":{}}`, "Content-Type", jsonCT), nil), "body.schema")
		})
	}
}

// TestAvailabilityFamiliesNameTheir5xx: in a state or throttling flow the
// contract's rule about availability names a 5xx, not server.error.
func TestAvailabilityFamiliesNameTheir5xx(t *testing.T) {
	p := ucsPlan(t)
	s := *scenario(t, p, "getProfile success")
	profilePath := "/profiles/" + profileID
	x := ex("GET", profilePath, 503, envelope("GET", "/cv"+profilePath, 503), "Content-Type", jsonCT)
	only(t, verdict.Judge(p.Contract, &s, x, nil), "server.error")
	s.Family = "state.after"
	only(t, verdict.Judge(p.Contract, &s, x, nil), "state.after.status")
}
