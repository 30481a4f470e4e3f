package contract

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// vendorDocs are the published descriptions in testdata/vendors (see
// SOURCES.md there), with what each must show once loaded.
var vendorDocs = []struct {
	file       string
	operations int
	is31       bool
	// examples is the number of examples that do not match their
	// schema, and warnings the number of warnings in all.
	examples, warnings int
}{
	{"github-api.github.com.json.gz", 1223, false, 222, 224},
	{"influxdb-oss.yaml.gz", 224, false, 11, 12},
	{"adyen-management-v3.json.gz", 132, true, 1, 1},
	{"figma.yaml.gz", 54, true, 0, 0},
}

var (
	vendorOnce  sync.Map // file -> *vendorLoad
	vendorBytes sync.Map // file -> []byte
)

type vendorLoad struct {
	once sync.Once
	c    *Contract
	err  error
}

func readVendor(t testing.TB, file string) []byte {
	t.Helper()
	if b, ok := vendorBytes.Load(file); ok {
		return b.([]byte)
	}
	f, err := os.Open(filepath.Join("testdata", "vendors", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	vendorBytes.Store(file, data)
	return data
}

// loadVendor parses a vendor document once for all the tests that read it:
// the GitHub description takes seconds.
func loadVendor(t *testing.T, file string) *Contract {
	t.Helper()
	v, _ := vendorOnce.LoadOrStore(file, &vendorLoad{})
	l := v.(*vendorLoad)
	l.once.Do(func() {
		data := readVendor(t, file)
		l.c, l.err = Parse(data, strings.TrimSuffix(file, ".gz"), file, false)
	})
	if l.err != nil {
		t.Fatalf("%s: %v", file, l.err)
	}
	return l.c
}

func TestVendorDocumentsLoad(t *testing.T) {
	for _, v := range vendorDocs {
		t.Run(v.file, func(t *testing.T) {
			c := loadVendor(t, v.file)
			if len(c.Operations) != v.operations {
				t.Errorf("%d operations, want %d", len(c.Operations), v.operations)
			}
			if c.Is31() != v.is31 {
				t.Errorf("Is31() = %v", c.Is31())
			}
			if c.exampleWarnings != v.examples || len(c.Warnings) != v.warnings {
				t.Errorf("%d example warnings and %d in all, want %d and %d:\n%s", c.exampleWarnings, len(c.Warnings), v.examples, v.warnings, strings.Join(c.Warnings, "\n"))
			}
			for _, w := range c.Warnings {
				if !strings.HasPrefix(w, "/") || !strings.Contains(w, " (line ") {
					t.Errorf("a warning without its pointer or line: %s", w)
				}
			}
		})
	}
}

// TestVendorWarningsNameTheLine checks lines against the source text.
func TestVendorWarningsNameTheLine(t *testing.T) {
	c := loadVendor(t, "github-api.github.com.json.gz")
	data := readVendor(t, "github-api.github.com.json.gz")
	want := "/components/schemas/actions-hosted-runner-curated-image/properties/display_name/example (line 131233): the example does not match its schema: value must be a string"
	if !contains(c.Warnings, want) {
		t.Fatalf("no warning %q", want)
	}
	if line := lineOf(data, 131233); strings.TrimSpace(line) != `"example": 20.04` {
		t.Fatalf("line 131233 is %q", line)
	}
	conflict := `/paths/~1orgs~1{org}~1attestations~1{attestation_id} (line `
	if !hasPrefix(c.Warnings, conflict) {
		t.Errorf("the conflicting paths are not warned about:\n%s", strings.Join(c.Warnings[len(c.Warnings)-3:], "\n"))
	}

	influx := loadVendor(t, "influxdb-oss.yaml.gz")
	src := readVendor(t, "influxdb-oss.yaml.gz")
	w := "/components/schemas/LogEvent/properties/time/example (line 12148): the example does not match its schema: string doesn't match the format \"date-time\""
	if !contains(influx.Warnings, w) || !strings.Contains(lineOf(src, 12148), "example:") {
		t.Fatalf("YAML warning or its line is wrong:\n%s", strings.Join(influx.Warnings, "\n"))
	}
	if !hasPrefix(influx.Warnings, "/paths/~1tasks/get/parameters/8/schema/default (line 10952): the default does not match its schema") {
		t.Errorf("the default that does not match is not warned about")
	}

	adyen := loadVendor(t, "adyen-management-v3.json.gz")
	if !strings.Contains(adyen.Warnings[0], "(line 1, column ") {
		t.Errorf("a one-line document's warning names no column: %s", adyen.Warnings[0])
	}
}

func lineOf(data []byte, n int) string {
	lines := bytes.SplitN(data, []byte("\n"), n+1)
	if len(lines) < n {
		return ""
	}
	return string(lines[n-1])
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func hasPrefix(list []string, p string) bool {
	for _, x := range list {
		if strings.HasPrefix(x, p) {
			return true
		}
	}
	return false
}

func TestSwaggerAndOpenAPI32AreRefused(t *testing.T) {
	cases := []struct {
		name, doc string
		want      []string
	}{
		{"swagger yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok, schema: {$ref: '#/definitions/A'}}}\ndefinitions:\n  A: {type: string}\n",
			[]string{"Swagger 2.0", "OpenAPI 3.0 and 3.1", "swagger2openapi", "openapi2conv"}},
		{"swagger json", `{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}`,
			[]string{"Swagger 2.0", "convert it first"}},
		{"3.2", "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
			[]string{"OpenAPI 3.2 is not supported yet", `"3.2.0"`}},
		{"2.x openapi", "openapi: 2.5.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
			[]string{`version "2.5.0" is not OpenAPI 3.0 or 3.1`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), "x", "x.yaml", false)
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("more than one line: %q", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
		})
	}
}

func TestBrokenRefNamesLineAndPointer(t *testing.T) {
	yamlDoc := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Nope"
components:
  schemas:
    A: {type: string}
`
	jsonDoc := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
 "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}}}}}},
 "components": {"schemas": {"A": {"type": "string"}}}}`
	for _, tc := range []struct {
		name, doc string
		line      int
	}{{"yaml", yamlDoc, 12}, {"json", jsonDoc, 3}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), "x", "broken."+tc.name, false)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("not a contract error: %v", err)
			}
			if ce.Source != "broken."+tc.name || ce.Line != tc.line || ce.Place != "/paths/~1a/get/responses/200/content/application~1json/schema/$ref" {
				t.Fatalf("source %q, line %d, place %q: %v", ce.Source, ce.Line, ce.Place, err)
			}
			if !strings.Contains(err.Error(), "#/components/schemas/Nope") {
				t.Errorf("the reference is not named: %v", err)
			}
		})
	}
}

func TestInvalidDocumentNamesLineAndPointer(t *testing.T) {
	data := []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
  /b:
    get:
      parameters:
        - {name: x, in: nowhere, schema: {type: string}}
      responses: {"200": {description: ok}}
`)
	_, err := Parse(data, "x", "bad.yaml", false)
	var ce *Error
	if !errors.As(err, &ce) || ce.Place != "/paths/~1b/get" || ce.Line != 8 {
		t.Fatalf("%#v: %v", ce, err)
	}
	if !strings.Contains(err.Error(), "contract bad.yaml, line 8: at /paths/~1b/get:") || !strings.Contains(err.Error(), "nowhere") {
		t.Fatalf("message: %v", err)
	}
}

func TestExtensionErrorsNameTheLine(t *testing.T) {
	_, err := Parse(doc("x-conformance: {unsupportedMethod: 404}", ""), "bad", "bad.yaml", false)
	var ce *Error
	if !errors.As(err, &ce) || ce.Line != 4 || ce.Place != "x-conformance.unsupportedMethod" {
		t.Fatalf("%#v: %v", ce, err)
	}
	_, err = Parse(doc("", "x-conformance: {skipp: {success: x}}"), "bad", "bad.yaml", false)
	if !errors.As(err, &ce) || ce.Line != 11 {
		t.Fatalf("%#v: %v", ce, err)
	}
}

// TestExampleMismatchesAreWarnings: every mismatch is listed, none refuses
// the document, and the rest of the document is still checked.
func TestExampleMismatchesAreWarnings(t *testing.T) {
	data := []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}, example: abc}
        - name: q
          in: query
          schema: {type: string, enum: [a, b], default: c}
          examples:
            good: {value: a}
            bad: {value: 7}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Item"}
              example: {id: "one"}
              examples:
                ref: {$ref: "#/components/examples/Wrong"}
components:
  examples:
    Wrong: {value: {name: 3}}
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: {type: integer, example: 1.5}
        when: {type: string, format: date-time, example: yesterday}
        code: {type: string, pattern: "^(?!x)", example: y}
`)
	c, err := Parse(data, "x", "x.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/components/schemas/Item/properties/id/example (line 31): the example does not match its schema: value must be an integer",
		`/components/schemas/Item/properties/when/example (line 32): the example does not match its schema: string doesn't match the format "date-time"`,
		"/paths/~1items~1{id}/get/parameters/0/example (line 7): the example does not match its schema: value must be an integer",
		"/paths/~1items~1{id}/get/parameters/1/examples/bad/value (line 13): the example does not match its schema: value is not one of the allowed values [\"a\",\"b\"]",
		"/paths/~1items~1{id}/get/responses/200/content/application~1json/example (line 20): the example does not match its schema: at /id: value must be an integer",
		"/paths/~1items~1{id}/get/responses/200/content/application~1json/examples/ref (line 22): the example does not match its schema: at /id: property \"id\" is missing",
		"/paths/~1items~1{id}/get/parameters/1/schema/default (line 10): the default does not match its schema: value is not one of the allowed values [\"a\",\"b\"]",
		"/components/schemas/Item/properties/code/pattern (line 33): the pattern is not a regular expression Go can run (invalid or unsupported Perl syntax), so values are not checked against it",
		"/paths/~1items~1{id}/get (line 5): example and examples are mutually exclusive",
	}
	if strings.Join(c.Warnings, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(c.Warnings, "\n"), strings.Join(want, "\n"))
	}
	if got := c.WarningsSummary(); got != "the contract has 6 examples that do not match their schema and 3 other problems that do not stop planning" {
		t.Errorf("summary: %s", got)
	}
	block := c.WarningsText(3)
	if !strings.HasPrefix(block, "contract x.yaml: the contract has 6 examples") || !strings.HasSuffix(block, "  ... and 6 more\n") || strings.Count(block, "\n") != 5 {
		t.Errorf("block:\n%s", block)
	}
}

// TestJSONSchema2020KeywordsIn31: keywords kin-openapi does not know are
// JSON Schema annotations in a 3.1 document, and unknown keys of a 3.0
// document are warnings.
func TestJSONSchema2020KeywordsIn31(t *testing.T) {
	body := `
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                errorMessage: custom
                properties:
                  a: {type: string, x-order: 1, deprecatedReason: old, minLength: 1}
`
	c, err := Parse([]byte("openapi: 3.1.0"+body), "x", "x.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 0 {
		t.Errorf("3.1 warnings: %v", c.Warnings)
	}
	c, err = Parse([]byte("openapi: 3.0.3"+body), "x", "x.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	// kin-openapi stops at the first unknown key of a schema: the second
	// pass finds the other.
	want := "/paths/~1a/get (line 5): extra sibling fields: [deprecatedReason]\n/paths/~1a/get (line 5): extra sibling fields: [errorMessage]"
	if strings.Join(c.Warnings, "\n") != want {
		t.Errorf("3.0 warnings: %v", c.Warnings)
	}
}

func TestDottedToPointer(t *testing.T) {
	for in, want := range map[string]string{
		"x-conformance.envelope.schema":                         "/x-conformance/envelope/schema",
		"paths./items/{id}.get.x-conformance.scenarios[0].name": "/paths/~1items~1{id}/get/x-conformance/scenarios/0/name",
		"paths./files/{name}.json.post.security[1]":             "/paths/~1files~1{name}.json/post/security/1",
		"x-conformance.statusOnlyOn.408":                        "/x-conformance/statusOnlyOn/408",
	} {
		if got := dottedToPointer(in); got != want {
			t.Errorf("dottedToPointer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocateJSONAndYAML(t *testing.T) {
	j := []byte("{\"a\": {\"b~c/d\": [1, {\"e\": \"x\\\"y\"}, 3]},\n \"f\": {\"g\": true}}")
	got := locate(j, []string{"/a/b~0c~1d/1/e", "/f/g", "/f/nope", "/zzz"})
	if got["/a/b~0c~1d/1/e"] != (position{1, 22}) || got["/f/g"] != (position{2, 8}) || got["/f/nope"] != (position{2, 2}) {
		t.Errorf("JSON: %v", got)
	}
	if _, ok := got["/zzz"]; ok {
		t.Error("a pointer the document lacks was found")
	}
	y := []byte("a:\n  b~c/d:\n    - 1\n    - e: x\nf: {g: true}\n")
	got = locate(y, []string{"/a/b~0c~1d/1/e", "/f/g"})
	if got["/a/b~0c~1d/1/e"] != (position{4, 7}) || got["/f/g"] != (position{5, 5}) {
		t.Errorf("YAML: %v", got)
	}
}

// FuzzLocate: any text and any pointer give a position or none, never a
// panic nor a loop.
func FuzzLocate(f *testing.F) {
	f.Add([]byte(`{"a": {"b": [1, {"c": "d\"e"}]}}`), "/a/b/1/c")
	f.Add([]byte("a:\n  b:\n    - c: d\n"), "/a/b/0/c")
	f.Add([]byte(`{"a": [}`), "/a/0")
	f.Add([]byte("{\n"), "/")
	f.Fuzz(func(t *testing.T, data []byte, pointer string) {
		if len(data) > 1<<16 {
			return
		}
		pos, ok := locate(data, []string{pointer})[pointer]
		if ok && (pos.Line < 1 || pos.Column < 1) {
			t.Fatalf("position %+v", pos)
		}
	})
}
