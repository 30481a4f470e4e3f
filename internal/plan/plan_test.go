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
	if s.Request.URLPath() != "/profiles/00027a5C4T0R001E" || strings.Join(s.Expect.Allow, ",") != "DELETE,GET,PUT" || len(s.Invented) > 0 {
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
	if s.Expect.Allow != nil || len(s.Invented) == 0 {
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
	// the way out names --value first, with the parameter to give
	if !strings.Contains(s.Skip, "give a value with --value thingId=..., or in x-conformance values") {
		t.Errorf("the skip does not say how to give the id: %q", s.Skip)
	}
	s = find(t, p, "PUT /things/{thingId} [method.unsupported] answers 501 with the error envelope")
	if strings.Join(s.Invented, ",") != "thingId" {
		t.Errorf("the invented path parameters are %q, want thingId", s.Invented)
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

func parse(t *testing.T, doc string) *Plan {
	t.Helper()
	c, err := contract.Parse([]byte(doc), "g", "g.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scenariosOf lists the scenarios of one family on one operation.
func scenariosOf(p *Plan, op, family string) []*Scenario {
	var out []*Scenario
	for _, s := range p.All() {
		if s.Subject == op && s.Family == family {
			out = append(out, s)
		}
	}
	return out
}

// readOnly properties are left out of every request body, required or not,
// from a sample and from an example alike, and no negative scenario varies
// them; writeOnly ones are sent.
func TestReadOnlyPropertiesAreNeverSent(t *testing.T) {
	// kin-openapi refuses a 3.0 example that holds a readOnly property,
	// as a request; a 3.1 document may have one.
	for _, version := range []string{"3.0.3", "3.1.0"} {
		example := "{name: Ann, password: secret}"
		if version == "3.1.0" {
			example = `{id: u1, name: Ann, password: secret, created: "2026-01-01", address: {city: Oslo, zone: N}}`
		}
		readOnlyNeverSent(t, `openapi: `+version+`
info: {title: ro, version: "1"}
paths:
  /users:
    post:
      operationId: createUser
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
      responses: {"201": {description: created}, "400": {description: bad}}
  /users/{userId}:
    put:
      operationId: replaceUser
      parameters: [{name: userId, in: path, required: true, schema: {type: string}, example: u1}]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
            example: `+example+`
      responses: {"200": {description: ok}}
components:
  schemas:
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
        created: {type: string, readOnly: true, example: "2026-01-01"}
        address:
          type: object
          properties:
            city: {type: string}
            zone: {type: string, readOnly: true}
`)
	}
}

func readOnlyNeverSent(t *testing.T, doc string) {
	t.Helper()
	p := parse(t, doc)
	for _, op := range []string{"createUser", "replaceUser"} {
		succ := scenariosOf(p, op, "success")
		if len(succ) != 1 {
			t.Fatalf("%s: %d success scenarios", op, len(succ))
		}
		body := string(succ[0].Request.Body)
		for _, ro := range []string{`"id"`, `"created"`, `"zone"`} {
			if strings.Contains(body, ro) {
				t.Errorf("%s sends the readOnly %s: %s", op, ro, body)
			}
		}
		if !strings.Contains(body, `"password"`) || !strings.Contains(body, `"name"`) {
			t.Errorf("%s leaves out a writable property: %s", op, body)
		}
		for _, s := range p.All() {
			if s.Subject != op || !strings.HasPrefix(s.Family, "body.") {
				continue
			}
			if strings.Contains(s.Name, " id ") || strings.Contains(s.Name, "created") || strings.Contains(string(s.Request.Body), `"id"`) {
				t.Errorf("%s varies or sends a readOnly property", s.Name)
			}
		}
	}
	find(t, p, "createUser [body.missing-property] without name answers 400")
	find(t, p, "createUser [body.null-property] password as null answers 400")
}

// OpenAPI 3.1 schema examples lists, and the examples maps of parameters
// and media types, are known values and body samples like example.
func TestExamplesAreUsedLikeExample(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: ex, version: "1"}
paths:
  /orders/{orderId}:
    parameters:
      - {name: orderId, in: path, required: true, schema: {type: string, examples: [ord-7, ord-8]}}
    get:
      operationId: getOrder
      parameters:
        - name: view
          in: query
          required: true
          schema: {type: string}
          examples: {b: {value: brief}, a: {value: full}}
        - name: filter
          in: query
          required: true
          content:
            application/json:
              schema: {type: object}
              examples: {only: {value: {state: open}}}
      responses: {"200": {description: ok}}
    put:
      operationId: replaceOrder
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [item]
              properties:
                item: {type: string, examples: [widget]}
                count: {type: integer, examples: [3]}
                note: {type: string}
      responses: {"200": {description: ok}}
  /notes:
    post:
      operationId: createNote
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {text: {type: string}}}
            examples: {z: {value: {text: last}}, m: {value: {text: first}}}
      responses: {"201": {description: ok}}
`
	p := parse(t, doc)
	s := scenariosOf(p, "getOrder", "success")[0]
	if got := s.Request.URLPath(); got != "/orders/ord-7" || len(s.Invented) > 0 {
		t.Errorf("path from the schema's examples list: %s (invented %v)", got, s.Invented)
	}
	if got := s.Request.Query.Get("view"); got != "full" {
		t.Errorf("query from the parameter's examples map, first by name: %q", got)
	}
	if got := s.Request.Query.Get("filter"); got != `{"state":"open"}` {
		t.Errorf("query from its media type's examples: %q", got)
	}
	s = scenariosOf(p, "replaceOrder", "success")[0]
	if got := string(s.Request.Body); got != `{"count":3,"item":"widget"}` {
		t.Errorf("body sampled from the properties' examples: %s", got)
	}
	s = scenariosOf(p, "createNote", "success")[0]
	if got := string(s.Request.Body); got != `{"text":"first"}` {
		t.Errorf("body from the media type's examples, first by name: %s", got)
	}
}

// The new bad bodies: trailing data after valid JSON; null for a required
// property that does not take null (3.0 nullable, 3.1 type null); an
// unknown property only where additionalProperties is false; no body only
// where the body is required.
func TestBadBodiesOfEachKind(t *testing.T) {
	for _, version := range []string{"3.0.3", "3.1.0"} {
		alias := "{type: string, nullable: true, example: a}"
		if version == "3.1.0" {
			alias = `{type: [string, "null"], example: a}`
		}
		doc := `openapi: ` + version + `
info: {title: bodies, version: "1"}
paths:
  /strict:
    post:
      operationId: createStrict
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name, alias]
              properties:
                name: {type: string, example: n}
                alias: ` + alias + `
      responses: {"201": {description: ok}}
  /loose:
    post:
      operationId: createLoose
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, example: n}
      responses: {"201": {description: ok}}
`
		p := parse(t, doc)
		valid := string(scenariosOf(p, "createStrict", "success")[0].Request.Body)
		s := find(t, p, "createStrict [body.malformed] with trailing data answers 400")
		if got := string(s.Request.Body); got != valid+" apiconform" {
			t.Errorf("%s: trailing data body %q, want the valid body %q and more", version, got, valid)
		}
		find(t, p, "createStrict [body.malformed] answers 400")
		if n := scenariosOf(p, "createStrict", "body.null-property"); len(n) != 1 || string(n[0].Request.Body) != `{"alias":"a","name":null}` {
			t.Errorf("%s: null-property scenarios %v: only name, which takes no null", version, n)
		}
		s = find(t, p, "createStrict [body.unknown-property] with property apiconform answers 400")
		if got := string(s.Request.Body); got != `{"alias":"a","apiconform":"apiconform","name":"n"}` {
			t.Errorf("%s: unknown property body %s", version, got)
		}
		s = find(t, p, "createStrict [body.missing] answers 400")
		if s.Request.Body != nil || s.Request.ContentType != "application/json" {
			t.Errorf("%s: missing body sends %q as %q", version, s.Request.Body, s.Request.ContentType)
		}
		if n := scenariosOf(p, "createLoose", "body.unknown-property"); len(n) != 0 {
			t.Errorf("%s: an unknown property where additional properties are allowed: %s", version, n[0].Name)
		}
		if n := scenariosOf(p, "createLoose", "body.missing"); len(n) != 0 {
			t.Errorf("%s: a missing body where the body is optional: %s", version, n[0].Name)
		}
	}
}

// Form bodies are encoded from the sample object and get the body families
// that apply to them, and mediatype.wrong.
func TestFormBodies(t *testing.T) {
	doc := `openapi: 3.0.3
info: {title: forms, version: "1"}
paths:
  /login:
    post:
      operationId: login
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: false
              required: [user, age]
              properties:
                user: {type: string, example: ann}
                age: {type: integer, example: 30}
                tags: {type: array, items: {type: string}, example: [a, b]}
      responses: {"200": {description: ok}}
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [title, file]
              properties:
                title: {type: string, example: report}
                file: {type: string, format: binary, example: data}
      responses: {"201": {description: ok}}
`
	p := parse(t, doc)
	s := scenariosOf(p, "login", "success")[0]
	if got := string(s.Request.Body); got != "age=30&tags=a&tags=b&user=ann" || s.Request.ContentType != "application/x-www-form-urlencoded" {
		t.Errorf("urlencoded body %q as %q", got, s.Request.ContentType)
	}
	s = find(t, p, "login [body.malformed] answers 400")
	if !strings.Contains(s.Skip, "form") {
		t.Errorf("malformed on a form must be skipped with the reason, got %q", s.Skip)
	}
	if n := scenariosOf(p, "login", "body.malformed"); len(n) != 1 {
		t.Errorf("no trailing data for a form: %d malformed scenarios", len(n))
	}
	s = find(t, p, "login [body.missing-property] without user answers 400")
	if got := string(s.Request.Body); got != "age=30&tags=a&tags=b" {
		t.Errorf("missing property body %q", got)
	}
	s = find(t, p, "login [body.wrong-type] age as a string answers 400")
	if got := string(s.Request.Body); got != "age=apiconform&tags=a&tags=b&user=ann" {
		t.Errorf("wrong type body %q", got)
	}
	for _, fam := range []string{"body.wrong-type", "body.null-property"} {
		for _, s := range scenariosOf(p, "login", fam) {
			if strings.Contains(s.Name, "user") || fam == "body.null-property" {
				t.Errorf("no %s a form cannot carry: %s", fam, s.Name)
			}
		}
	}
	find(t, p, "login [body.unknown-property] with property apiconform answers 400")
	find(t, p, "login [body.missing] answers 400")
	s = find(t, p, "login [mediatype.wrong] text/plain body answers 415")
	if s.Skip != "" || string(s.Request.Body) != "age=30&tags=a&tags=b&user=ann" {
		t.Errorf("wrong media type: skip %q, body %q", s.Skip, s.Request.Body)
	}

	s = scenariosOf(p, "upload", "success")[0]
	body := string(s.Request.Body)
	if s.Request.ContentType != "multipart/form-data; boundary="+formBoundary ||
		!strings.Contains(body, `Content-Disposition: form-data; name="file"; filename="apiconform.bin"`) ||
		!strings.Contains(body, "Content-Disposition: form-data; name=\"title\"\r\n\r\nreport\r\n") {
		t.Errorf("multipart body as %q:\n%s", s.Request.ContentType, body)
	}
	s = find(t, p, "upload [body.missing-property] without file answers 400")
	if strings.Contains(string(s.Request.Body), `name="file"`) {
		t.Errorf("the file part is still there:\n%s", s.Request.Body)
	}
	find(t, p, "upload [mediatype.wrong] text/plain body answers 415")
	if n := scenariosOf(p, "upload", "body.missing"); len(n) != 0 {
		t.Error("a missing body where the body is optional")
	}
}

// A wrong media type needs a valid body to send: where none can be built
// the scenario is skipped, and says why.
func TestWrongMediaTypeWithoutABodySaysWhy(t *testing.T) {
	p := parse(t, `openapi: 3.0.3
info: {title: raw, version: "1"}
paths:
  /blobs:
    post:
      operationId: putBlob
      requestBody:
        content:
          application/octet-stream:
            schema: {type: string, format: binary}
      responses: {"201": {description: ok}}
`)
	s := find(t, p, "putBlob [mediatype.wrong] text/plain body answers 415")
	if !strings.Contains(s.Skip, "application/octet-stream") {
		t.Fatalf("skip %q does not say why", s.Skip)
	}
	for _, s := range p.All() {
		if s.Family != "success" && strings.HasPrefix(s.Family, "body.") {
			t.Errorf("a bad body for a body apiconform cannot build: %s", s.Name)
		}
	}
}

// TestExpectationsFromTheContract: what an operation documents widens what a
// family accepts, and nothing else does (issue 11).
func TestExpectationsFromTheContract(t *testing.T) {
	p := parse(t, `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    delete:
      operationId: deleteA
      responses: {"204": {description: gone}}
    put:
      operationId: putA
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}, example: {}}}
      responses:
        "200": {description: ok}
        "410": {description: gone}
        default: {description: other}
  /b/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    delete:
      operationId: deleteB
      responses: {"204": {description: gone}, "404": {description: nf}, "403": {description: no}}
`)
	byID := map[string]*Scenario{}
	for _, s := range p.All() {
		byID[s.ID] = s
	}
	// a DELETE that documents no 404 may answer a 2xx for an absent id
	if s := byID["deleteA resource.missing-id"]; s == nil || s.Expect.StatusClass != 2 || !slices.Equal(s.Expect.Status, []int{404}) {
		t.Fatalf("deleteA missing id: %+v", s)
	}
	if s := byID["deleteB resource.missing-id"]; s == nil || s.Expect.StatusClass != 0 {
		t.Fatalf("deleteB documents 404: %+v", s)
	}
	// a declared 410 joins 404; default makes a 400 for the wrong media
	// type tolerated, not expected
	if s := byID["putA resource.missing-id"]; s == nil || !slices.Equal(s.Expect.Status, []int{404, 410}) {
		t.Fatalf("putA missing id: %+v", s)
	}
	if s := byID["putA mediatype.wrong text/plain body"]; s == nil || !slices.Equal(s.Expect.Status, []int{415}) || !slices.Equal(s.Expect.Tolerated, []int{400}) {
		t.Fatalf("putA media type: %+v", s)
	}
	// a root policy replaces the RFC's statuses and says so
	q := parse(t, `openapi: 3.0.3
info: {title: t, version: "1"}
x-conformance: {status: {method.unsupported: [404], params: [422]}}
paths:
  /a:
    get:
      operationId: getA
      parameters: [{name: n, in: query, required: true, schema: {type: integer}}]
      responses: {"200": {description: ok}, "404": {description: nf}, "422": {description: bad}}
`)
	for _, s := range q.All() {
		switch s.Family {
		case "method.unsupported":
			if !slices.Equal(s.Expect.Status, []int{404}) || s.Expect.Allow != nil || !strings.Contains(s.Expect.StatusSource, "status.method.unsupported") || !strings.Contains(s.Name, "answers 404") {
				t.Errorf("%s: %+v", s.Name, s.Expect)
			}
		case "params.missing", "params.wrong-type":
			if !slices.Equal(s.Expect.Status, []int{422}) || !strings.Contains(s.Expect.StatusSource, "status.params") {
				t.Errorf("%s: %+v", s.Name, s.Expect)
			}
		}
	}
}
