package verdict

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/apiconform/apiconform/internal/contract"
)

const xmlContract = `openapi: 3.0.3
info: {title: x, version: "1"}
paths:
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/xml:
              schema:
                type: object
                required: [loginId, state, extension]
                properties:
                  loginId: {type: string}
                  state: {type: string, enum: [READY, NOT_READY]}
                  extension: {type: integer}
                  pending: {type: boolean}
                  roles:
                    type: array
                    xml: {wrapped: true}
                    items: {type: string, xml: {name: role}}
                  id: {type: string, xml: {attribute: true}}
        "404":
          description: missing
          content:
            application/xml:
              schema: {$ref: "#/components/schemas/ApiErrors"}
components:
  schemas:
    ApiErrors:
      type: object
      required: [ApiError]
      properties:
        ApiError:
          type: array
          minItems: 1
          items:
            type: object
            required: [ErrorType, ErrorMessage]
            properties:
              ErrorType: {type: string, enum: [Not Found]}
              ErrorMessage: {type: string}
              ErrorData: {type: string}
`

func xmlSchema(t *testing.T, status string) *openapi3.SchemaRef {
	t.Helper()
	c, err := contract.Parse([]byte(xmlContract), "x", "x.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	return c.Doc.Paths.Value("/users/{id}").Get.Responses.Value(status).Value.Content["application/xml"].Schema
}

func TestXMLBodiesTakeTheirSchemaShape(t *testing.T) {
	ok := `<User id="u1"><loginId>jdoe</loginId><state>READY</state><extension>1001</extension><pending>true</pending><roles><role>Agent</role><role>Supervisor</role></roles></User>`
	ref := xmlSchema(t, "200")
	v, err := decodeXML(strings.NewReader(ok), nil, ref, nil)
	if err != nil {
		t.Fatal(err)
	}
	obj := v.(map[string]any)
	if obj["extension"] != 1001.0 || obj["pending"] != true || obj["id"] != "u1" || len(obj["roles"].([]any)) != 2 {
		t.Fatalf("shaped as %#v", obj)
	}
	if err := ref.Value.VisitJSON(v); err != nil {
		t.Fatalf("a conforming body fails: %v", err)
	}
	for name, bad := range map[string]string{
		"text where an integer goes": `<User><loginId>jdoe</loginId><state>READY</state><extension>ten</extension></User>`,
		"missing element":            `<User><loginId>jdoe</loginId><state>READY</state></User>`,
		"value outside the enum":     `<User><loginId>jdoe</loginId><state>SLEEPING</state><extension>1</extension></User>`,
	} {
		v, err := decodeXML(strings.NewReader(bad), nil, ref, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ref.Value.VisitJSON(v) == nil {
			t.Errorf("%s: passes the schema", name)
		}
	}
}

func TestXMLEnvelopeRepeatedElementsFillAnArray(t *testing.T) {
	ref := xmlSchema(t, "404")
	good := `<ApiErrors><ApiError><ErrorType>Not Found</ErrorType><ErrorMessage>no such user</ErrorMessage></ApiError><ApiError><ErrorType>Not Found</ErrorType><ErrorMessage>again</ErrorMessage><ErrorData>42</ErrorData></ApiError></ApiErrors>`
	v, err := decodeXML(strings.NewReader(good), nil, ref, nil)
	if err != nil || ref.Value.VisitJSON(v) != nil {
		t.Fatalf("good envelope: %v / %v", err, ref.Value.VisitJSON(v))
	}
	if n := len(v.(map[string]any)["ApiError"].([]any)); n != 2 {
		t.Fatalf("%d errors, want 2", n)
	}
	for _, bad := range []string{
		`<ApiErrors><ApiError><ErrorType>Invalid Input</ErrorType><ErrorMessage>x</ErrorMessage></ApiError></ApiErrors>`,
		`<ApiErrors><ApiError><ErrorType>Not Found</ErrorType></ApiError></ApiErrors>`,
		`<ApiErrors></ApiErrors>`,
	} {
		v, err := decodeXML(strings.NewReader(bad), nil, ref, nil)
		if err == nil && ref.Value.VisitJSON(v) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestXMLThatDoesNotParse(t *testing.T) {
	for _, bad := range []string{"", "not xml", "<a><b></a>", "<a/><b/>", strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100)} {
		if _, err := decodeXML(strings.NewReader(bad), nil, nil, nil); err == nil {
			t.Errorf("no error for %q", bad)
		}
	}
}

// FuzzDecodeXML: any body gives a value or an error, never a panic, and a
// value the schema can then judge.
func FuzzDecodeXML(f *testing.F) {
	for _, s := range []string{
		`<ApiErrors><ApiError><ErrorType>Not Found</ErrorType><ErrorMessage>m</ErrorMessage></ApiError></ApiErrors>`,
		`<User id="1"><roles><role>a</role></roles><extension>3</extension></User>`,
		`<?xml version="1.0"?><x:a xmlns:x="urn:x">t<b/>u</x:a>`,
		`<a>&amp;&lt;</a>`,
	} {
		f.Add(s)
	}
	c, err := contract.Parse([]byte(xmlContract), "x", "x.yaml", false)
	if err != nil {
		f.Fatal(err)
	}
	ref := c.Doc.Paths.Value("/users/{id}").Get.Responses.Value("200").Value.Content["application/xml"].Schema
	f.Fuzz(func(t *testing.T, body string) {
		v, err := decodeXML(strings.NewReader(body), nil, ref, nil)
		if err == nil {
			_ = ref.Value.VisitJSON(v, openapi3.MultiErrors())
		}
	})
}
