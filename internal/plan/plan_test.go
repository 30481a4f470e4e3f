package plan

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/contract"
)

func ucs(t testing.TB) *contract.Contract {
	t.Helper()
	c, err := contract.Load("genesys-ucs")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func names(p *Plan) []string {
	var out []string
	for _, s := range p.All() {
		out = append(out, s.Name+"|"+s.ID+"|"+s.Request.Method+" "+s.Request.URLPath()+"?"+s.Request.Query.Encode()+"|"+string(s.Request.Body))
	}
	return out
}

func TestPlanIsDeterministic(t *testing.T) {
	a, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		b, err := Build(ucs(t))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(names(a), names(b)) {
			t.Fatal("two plans of the same contract differ")
		}
	}
}

func TestPlanNamesAndIDsAreUniqueAndLabelsValid(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	badLabel := regexp.MustCompile(`[&|!,()/ ]`)
	for _, s := range p.All() {
		if ids[s.ID] {
			t.Errorf("id %q twice", s.ID)
		}
		ids[s.ID] = true
		if !strings.Contains(s.Name, "["+s.Family+"]") {
			t.Errorf("name %q does not name its family", s.Name)
		}
		for _, l := range s.Labels {
			if badLabel.MatchString(l) || l == "" {
				t.Errorf("label %q of %q is not a valid Ginkgo label", l, s.Name)
			}
		}
	}
}

func find(t *testing.T, p *Plan, name string) *Scenario {
	t.Helper()
	for _, s := range p.All() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no scenario %q", name)
	return nil
}

func TestPlanOfTheShippedContract(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	// 405 aims at the existing profile, and lists exactly the declared methods.
	s := find(t, p, "POST /profiles/{ProfileId} [method.unsupported] answers 405 with Allow and the error envelope")
	if s.Request.URLPath() != "/profiles/00027a5C4T0R001E" || strings.Join(s.Expect.Allow, ",") != "DELETE,GET,PUT" || s.Invented {
		t.Fatalf("unsupported method: %+v", s.Request)
	}
	// PATCH is declared on no path: RFC 9110 section 9.1 lets the server
	// answer 501 for a method it does not implement.
	s = find(t, p, "PATCH /profiles/{ProfileId} [method.unsupported] answers 405 with Allow, or 501, and the error envelope")
	if !slices.Equal(s.Expect.Status, []int{405, 501}) {
		t.Fatalf("PATCH expects %v", s.Expect.Status)
	}
	// A missing id fits the pattern but cannot exist.
	s = find(t, p, "getProfile [resource.missing-id] answers 404 with the error envelope")
	if got := s.Request.PathParams["ProfileId"]; !regexp.MustCompile(`^[0-9A-Za-z]{16}$`).MatchString(got) || got == "00027a5C4T0R001E" {
		t.Fatalf("missing id %q", got)
	}
	s = find(t, p, "getService [resource.missing-id] answers 404 with the error envelope")
	if s.Request.PathParams["ServiceId"] != "2147483647" {
		t.Fatalf("missing integer id %q", s.Request.PathParams["ServiceId"])
	}
	// Wrong media type keeps a valid body.
	s = find(t, p, "createProfile [mediatype.wrong] text/plain body answers 415 with the error envelope")
	if s.Request.ContentType != "text/plain" || !strings.Contains(string(s.Request.Body), "jane.doe@example.com") {
		t.Fatalf("media type: %+v", s.Request)
	}
	// Credentials scenarios ask for a Basic challenge.
	s = find(t, p, "getProfile [credentials.missing] answers 401 with a Basic WWW-Authenticate challenge and the error envelope")
	if s.Request.Auth != AuthNone || s.Expect.Challenge != "Basic" {
		t.Fatalf("credentials: %+v %+v", s.Request.Auth, s.Expect)
	}
	// Path parameters of the wrong type may also be not found.
	s = find(t, p, "getService [params.wrong-type] path ServiceId=not-a-number answers 400 or 404 with the error envelope")
	if !reflect.DeepEqual(s.Expect.Status, []int{400, 404}) {
		t.Fatalf("path wrong type: %v", s.Expect.Status)
	}
	// The x-conformance skip of setServerMode's success is honoured.
	s = find(t, p, "setServerMode [success] answers a declared 2xx whose body matches its schema")
	if !strings.Contains(s.Skip, "operational state") || s.Phase != PhaseWrites {
		t.Fatalf("skip: %q", s.Skip)
	}
}

func TestLifecycle(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lifecycles) != 1 {
		t.Fatalf("lifecycles: %d", len(p.Lifecycles))
	}
	l := p.Lifecycles[0]
	var steps []string
	for _, s := range append(append([]*Scenario{l.Create}, l.Steps...), l.Delete, l.Gone) {
		steps = append(steps, s.Request.Method+" "+s.Request.Path)
		if s.Phase != PhaseWrites || !contains(s.Labels, "writes") {
			t.Errorf("%s is not labelled writes", s.Name)
		}
	}
	want := "POST /profiles, GET /profiles/{ProfileId}, PUT /profiles/{ProfileId}, POST /profiles/{ProfileId}/services, DELETE /profiles/{ProfileId}, GET /profiles/{ProfileId}"
	if strings.Join(steps, ", ") != want || l.IDParam != "ProfileId" || !l.Gone.Expect.Gone {
		t.Fatalf("lifecycle steps:\n%s\nwant\n%s", strings.Join(steps, ", "), want)
	}
	// Stateless scenarios never write with a happy path.
	for _, s := range p.Scenarios {
		if s.Family == "success" && !safeMethods[s.Request.Method] && s.Skip == "" {
			t.Errorf("unsafe success outside a lifecycle: %s", s.Name)
		}
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

// A 3.1 contract with the other switches, an apiKey scheme and an
// operation-level status override.
func TestPlanOfA31ContractWithSwitches(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: generic, version: "1"}
x-conformance:
  unsupportedMethod: 501
  failedCredentials: 403
security: [{key: []}]
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: depth, in: query, schema: {type: integer, exclusiveMinimum: 0, maximum: 5}}
      responses:
        "200": {description: ok}
        "404": {description: missing, content: {application/problem+json: {schema: {$ref: "#/components/schemas/P"}}}}
      x-conformance:
        status: {resource.missing-id: [410]}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
  schemas:
    P: {type: object, properties: {status: {type: integer}}}
`
	c, err := contract.Parse([]byte(doc), "g", "g.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	s := find(t, p, "PUT /things/{thingId} [method.unsupported] answers 501 with the error envelope")
	if s.Expect.Allow != nil || !s.Invented {
		t.Fatalf("501 needs no Allow; the id was invented: %+v", s)
	}
	s = find(t, p, "getThing [credentials.invalid] answers 403 with the error envelope")
	if s.Expect.Challenge != NoChallenge {
		t.Fatal("403 needs no challenge")
	}
	s = find(t, p, "getThing [resource.missing-id] answers 410 with the error envelope")
	if !reflect.DeepEqual(s.Expect.Status, []int{410}) {
		t.Fatalf("status override: %v", s.Expect.Status)
	}
	find(t, p, "getThing [params.out-of-range] query depth at its exclusive minimum answers 400 with the error envelope")
	s = find(t, p, "getThing [success] answers a declared 2xx whose body matches its schema")
	if !strings.Contains(s.Skip, "thingId") {
		t.Fatalf("a success on an invented id must be skipped with the reason, got %q", s.Skip)
	}
}

func TestSampleAndMissingValuesMatchTheirSchemas(t *testing.T) {
	ten := uint64(10)
	max := 99.0
	for _, s := range []*openapi3.Schema{
		{Type: &openapi3.Types{"string"}, Pattern: `^[A-Z]{3}-\d{4}$`},
		{Type: &openapi3.Types{"string"}, Format: "uuid"},
		{Type: &openapi3.Types{"string"}, MinLength: 12, MaxLength: &ten},
		{Type: &openapi3.Types{"integer"}, Max: &max},
		{Type: &openapi3.Types{"string"}, Pattern: `^(?:ab|cd)+x?[0-9a-f]{2,4}$`},
	} {
		ref := &openapi3.SchemaRef{Value: s}
		if v, ok := Sample(ref); ok {
			if err := s.VisitJSON(v); err != nil {
				t.Errorf("sample %v of %+v: %v", v, s, err)
			}
		}
		m := missingValue(ref)
		var v any = m
		if typeOf(s) == "integer" {
			v = 99.0
			if m != "99" {
				t.Errorf("missing integer %q, want the maximum", m)
			}
		}
		if s.MaxLength != nil && s.MinLength > *s.MaxLength {
			continue // no valid value exists
		}
		if err := s.VisitJSON(v); err != nil {
			t.Errorf("missing value %q of %+v: %v", m, s, err)
		}
	}
}

func FuzzFromPattern(f *testing.F) {
	for _, p := range []string{`^[0-9A-Za-z]{16}$`, `^(?i)abc$`, `a+b*c?`, `^\d{3}-\w+$`, `[^a-z]`, `(x|y){2,3}`, `^$`, `[^\x00-\x{10FFFF}]`} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		for _, pref := range []rune{'a', 'z'} {
			s, ok := fromPattern(pattern, pref)
			if ok && !re.MatchString(s) {
				t.Fatalf("fromPattern(%q) = %q, which the pattern does not match", pattern, s)
			}
		}
	})
}
