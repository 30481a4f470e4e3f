package contract

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/specs"
)

// minimal is a small valid contract that tests vary.
const minimal = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.example.com/api/v1"}]
%s
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      %s
      responses:
        "200": {description: ok}
        "404":
          description: missing
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
components:
  schemas:
    Problem:
      type: object
      properties: {title: {type: string}, status: {type: integer}}
`

func doc(root, op string) []byte {
	s := strings.Replace(minimal, "%s", root, 1)
	return []byte(strings.Replace(s, "%s", op, 1))
}

func TestShippedContractsLoad(t *testing.T) {
	for _, name := range specs.Names() {
		c, err := Load(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !c.Shipped || c.Source != "specs/"+name+".yaml" || len(c.SHA256) != 64 || len(c.Operations) == 0 {
			t.Fatalf("%s: loaded as %+v", name, c)
		}
	}
}

func TestDefaultsAndEnvelopeFromResponses(t *testing.T) {
	c, err := Parse(doc("", ""), "m", "m.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Conformance.UnsupportedMethod != 405 || c.Conformance.FailedCredentials != 401 {
		t.Fatalf("defaults: %+v", c.Conformance)
	}
	env := c.Conformance.Envelope
	if env.Ref == nil || env.Ref.Value.Properties["status"] == nil {
		t.Fatal("the envelope schema should come from the 404 response")
	}
	if strings.Join(env.MediaTypes, ",") != "application/problem+json" {
		t.Fatalf("envelope media types: %v", env.MediaTypes)
	}
	if c.BasePath != "/api/v1" {
		t.Fatalf("base path %q", c.BasePath)
	}
	if o := c.Find("GET", "/items/{id}"); o == nil || o.ID != "getItem" {
		t.Fatalf("operation index: %+v", c.Operations)
	}
}

func TestBadContractsNameThePlace(t *testing.T) {
	cases := []struct {
		name, root, op string
		want           []string
	}{
		{"unknown root key", "x-conformance: {unsupportedMethods: 501}", "", []string{"x-conformance", `unknown key "unsupportedMethods"`}},
		{"bad unsupported status", "x-conformance: {unsupportedMethod: 404}", "", []string{"x-conformance.unsupportedMethod", "405 or 501"}},
		{"bad credentials status", "x-conformance: {failedCredentials: 400}", "", []string{"x-conformance.failedCredentials", "401 or 403"}},
		{"wrong type", "x-conformance: {unsupportedMethod: many}", "", []string{"x-conformance", "unsupportedMethod", "integer"}},
		{"unknown envelope schema", "x-conformance: {envelope: {schema: '#/components/schemas/Nope'}}", "", []string{"x-conformance.envelope.schema", "no such schema"}},
		{"echo field missing", "x-conformance: {envelope: {echoMethod: method}}", "", []string{"x-conformance.envelope.echoMethod", `no property "method"`}},
		{"unknown operation key", "", "x-conformance: {skipp: {success: x}}", []string{"paths./items/{id}.get.x-conformance", `unknown key "skipp"`}},
		{"never not a status", "x-conformance: {never: [42]}", "", []string{"x-conformance.never", "42 is not a status code"}},
		{"statusOnlyOn unknown operation", "x-conformance: {statusOnlyOn: {'408': [createThing]}}", "", []string{"x-conformance.statusOnlyOn.408", `no operation "createThing"`}},
		{"statusOnlyOn not a status", "x-conformance: {statusOnlyOn: {late: [getItem]}}", "", []string{"x-conformance.statusOnlyOn", `"late" is not a status code`}},
		{"cors origin", "x-conformance: {cors: {origin: recorder}}", "", []string{"x-conformance.cors.origin"}},
		{"wwwAuthenticate", "x-conformance: {wwwAuthenticate: may}", "", []string{"x-conformance.wwwAuthenticate", "must or should"}},
		{"statusField missing", "x-conformance: {envelope: {statusField: code}}", "", []string{"x-conformance.envelope.statusField", `no property "code"`}},
		{"scenario name", "", "x-conformance: {scenarios: [{name: No Match, status: [204]}]}", []string{"get.x-conformance.scenarios[0].name", "lower-case"}},
		{"scenario twice", "", "x-conformance: {scenarios: [{name: a, status: [204]}, {name: a, status: [404]}]}", []string{"scenarios[1].name", "used twice"}},
		{"scenario without status", "", "x-conformance: {scenarios: [{name: a}]}", []string{"scenarios[0].status", "no status"}},
		{"scenario unknown parameter", "", "x-conformance: {scenarios: [{name: a, status: [204], values: {color: red}}]}", []string{"scenarios[0].values", `no parameter "color"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(doc(tc.root, tc.op), "bad", "bad.yaml", false)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Source != "bad.yaml" {
				t.Fatalf("error does not name the file: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestNotOpenAPI(t *testing.T) {
	for _, data := range []string{"", "{", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}", "openapi: 3.0.3\ninfo: {title: t}\npaths: {}", "- a\n- b"} {
		if _, err := Parse([]byte(data), "x", "x.yaml", false); err == nil {
			t.Errorf("accepted %q", data)
		}
	}
}

func TestLoadFileAndMissing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "mine.yaml")
	if err := os.WriteFile(p, doc("", ""), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(p)
	if err != nil || c.Name != "mine" || c.Shipped {
		t.Fatalf("Load(file) = %+v, %v", c, err)
	}
	_, err = Load("no-such-contract")
	if err == nil || !strings.Contains(err.Error(), "no shipped contract") || !strings.Contains(err.Error(), "genesys-ucs") {
		t.Fatalf("unknown name: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Fatal("a missing file loaded")
	}
}

func TestJoinBaseDoesNotDouble(t *testing.T) {
	c, err := Parse(doc("", ""), "m", "m.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"https://staging.example.com":          "https://staging.example.com/api/v1",
		"https://staging.example.com/":         "https://staging.example.com/api/v1",
		"https://staging.example.com/api/v1":   "https://staging.example.com/api/v1",
		"https://staging.example.com/api/v1/":  "https://staging.example.com/api/v1",
		"https://staging.example.com/tenant-a": "https://staging.example.com/tenant-a/api/v1",
	} {
		u, _ := url.Parse(in)
		if got := c.JoinBase(u).String(); got != want {
			t.Errorf("JoinBase(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestSecurity(t *testing.T) {
	c, err := Load("genesys-ucs")
	if err != nil {
		t.Fatal(err)
	}
	status := c.Find("GET", "/server/status")
	profile := c.Find("GET", "/profiles/{ProfileId}")
	if c.Secured(status) || !c.Secured(profile) {
		t.Fatal("security: /server/status is open, profiles are not")
	}
	s := c.SchemesOf(profile)
	if len(s) != 1 || s[0].Kind != KindBasic || s[0].Challenge() != "Basic" {
		t.Fatalf("schemes: %+v", s)
	}
}

func TestResponseLookup(t *testing.T) {
	c, err := Load("genesys-ucs")
	if err != nil {
		t.Fatal(err)
	}
	o := c.Find("GET", "/profiles/{ProfileId}")
	if _, cov := o.Response(404); cov != ByCode {
		t.Fatalf("404 is declared with its code, got coverage %d", cov)
	}
	if _, cov := o.Response(418); cov.Declared() {
		t.Fatal("418 is not declared")
	}
}

// TestResponseCoverage covers codes, upper- and lower-case ranges and
// default, each found in that order.
func TestResponseCoverage(t *testing.T) {
	doc := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200": {description: ok}
        "404": {description: nf}
        4XX: {description: client}
        default: {description: other}
  /b:
    get:
      responses:
        "200": {description: ok}
        5xx: {description: server}
`
	c, err := Parse([]byte(doc), "t", "t.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	a, b := c.Find("GET", "/a"), c.Find("GET", "/b")
	for _, tc := range []struct {
		o    *Operation
		st   int
		want Coverage
	}{
		{a, 404, ByCode}, {a, 400, ByRange}, {a, 503, ByDefault}, {a, 302, ByDefault},
		{b, 503, ByRange}, {b, 400, Undeclared},
	} {
		if _, got := tc.o.Response(tc.st); got != tc.want {
			t.Errorf("%s %d: coverage %d, want %d", tc.o.ID, tc.st, got, tc.want)
		}
	}
	if !a.Declares(404) || a.Declares(400) {
		t.Error("Declares must hold for an explicit code only")
	}
}

// TestFamilyNamesChecked: a misspelt family in skip or status is an error
// naming the place and offering the right name; scenario names of the
// operation are accepted.
func TestFamilyNamesChecked(t *testing.T) {
	base := `openapi: 3.0.3
info: {title: t, version: "1"}
%s
paths:
  /a:
    get:
      x-conformance: %s
      responses:
        "200": {description: ok}
`
	for _, tc := range []struct{ root, op, wantErr string }{
		{"", `{skip: {sucess: no}}`, `"sucess" is not a scenario family; did you mean "success"?`},
		{"", `{status: {params.mising: [422]}}`, `did you mean "params.missing"?`},
		{"x-conformance: {status: {method.unsuported: [404]}}", `{}`, `at x-conformance.status`},
		{"x-conformance: {status: {params: []}}", `{}`, `lists no status`},
		{"", `{skip: {params: "no", method.head: "no", scenario.gone: "no"}, scenarios: [{name: gone, status: [410]}]}`, ""},
		{"x-conformance: {status: {method.unsupported: [404], body: [400, 422]}}", `{}`, ""},
	} {
		_, err := Parse([]byte(fmt.Sprintf(base, tc.root, tc.op)), "t", "t.yaml", false)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s %s: %v", tc.root, tc.op, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s %s: error %v, want one containing %q", tc.root, tc.op, err, tc.wantErr)
		}
	}
}

// FuzzParse feeds arbitrary documents to the loader: it must return an
// error or a contract, never panic.
func FuzzParse(f *testing.F) {
	f.Add(doc("", ""))
	f.Add(doc("x-conformance: {unsupportedMethod: 501, values: {id: 3}}", "x-conformance: {skip: {success: why}}"))
	f.Add([]byte("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}"))
	f.Add([]byte("{}"))
	if data, _, ok := specs.Read("genesys-ucs"); ok {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz", "fuzz.yaml", false)
		if err == nil && c == nil {
			t.Fatal("no contract and no error")
		}
	})
}
