package plan

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestExisting: a PUT, PATCH or DELETE is aimed at an existing resource
// when every path parameter carries its known value, or the path has none;
// not when an id is made up or deliberately wrong, and never a POST or a
// safe method.
func TestExisting(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"updateProfile [body.wrong-type] FirstName as a number":   true,
		"updateProfile [credentials.missing]":                     true,
		"deleteProfile [credentials.invalid]":                     true,
		"deleteProfileSchema [credentials.missing]":               true, // /metadata/profile: no parameter
		"PATCH /profiles/{ProfileId} [method.unsupported]":        true,
		"DELETE /profiles [method.unsupported]":                   true, // the collection
		"updateProfile [resource.missing-id]":                     false,
		"deleteProfile [resource.missing-id]":                     false,
		"createProfile [body.wrong-type] FirstName as a number":   false, // POST
		"startService [body.wrong-type] service_type as a number": false,
		"POST /profiles/{ProfileId} [method.unsupported]":         false,
		"getProfile [credentials.missing]":                        false, // GET
		"updateProfile [mediatype.wrong]":                         true,
		"replaceProfileSchema [scenario.refused-in-production]":   true,
	}
	found := map[string]bool{}
	for _, s := range p.All() {
		for prefix, existing := range want {
			if len(s.Name) >= len(prefix) && s.Name[:len(prefix)] == prefix {
				found[prefix] = true
				if s.Existing != existing {
					t.Errorf("%s: Existing %v, want %v (%s %s)", s.Name, s.Existing, existing, s.Request.Method, s.Request.URLPath())
				}
			}
		}
		if s.Phase == PhaseWrites && s.Existing {
			t.Errorf("%s: a lifecycle step is never marked: its id is the one it created", s.Name)
		}
	}
	for prefix := range want {
		if !found[prefix] {
			t.Errorf("no scenario named %q...", prefix)
		}
	}
}

// TestUndoRequests: the requests that undo an accepted write reach the
// resource of the path parameters given, with valid credentials; the body
// that puts a representation back leaves out what the PUT's schema marks
// readOnly and, where it allows no other property, what it does not
// declare.
func TestUndoRequests(t *testing.T) {
	p, err := Build(ucs(t))
	if err != nil {
		t.Fatal(err)
	}
	c := p.Contract
	get := c.Find(http.MethodGet, "/profiles/{ProfileId}")
	r := p.RequestFor(get, map[string]string{"ProfileId": "AAAABBBBCCCCDDDD", "other": "x"})
	if r.URLPath() != "/profiles/AAAABBBBCCCCDDDD" || r.Auth != AuthValid || len(r.Schemes) == 0 || r.PathParams["other"] != "" {
		t.Errorf("read request %+v", r)
	}
	put := c.Find(http.MethodPut, "/profiles/{ProfileId}")
	body, ct, ok := RestoreBody(put, []byte(`{"id":"00027a5C4T0R001E","FirstName":"Jane","LastName":"Doe","EmailAddress":"j@x"}`))
	if !ok || ct != "application/json" || !SameRepresentation(body, []byte(`{"id":"00027a5C4T0R001E","FirstName":"Jane","LastName":"Doe","EmailAddress":"j@x"}`)) {
		t.Errorf("restore body %s %s %v", body, ct, ok)
	}
	if _, _, ok := RestoreBody(put, []byte("<xml/>")); ok {
		t.Error("a representation that is not JSON cannot be put back")
	}

	pp := parse(t, `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}}
    put:
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Thing:
      type: object
      additionalProperties: false
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
`)
	body, _, ok = RestoreBody(pp.Contract.Find(http.MethodPut, "/things/{id}"), []byte(`{"id":"1","name":"a","etag":"x"}`))
	var got map[string]any
	if !ok || json.Unmarshal(body, &got) != nil || len(got) != 1 || got["name"] != "a" {
		t.Errorf("restore body %s", body)
	}
	if SameRepresentation([]byte(`{"a":1,"b":2}`), []byte(`{"b":2,"a":1}`)) != true || SameRepresentation([]byte(`{"a":1}`), []byte(`{"a":2}`)) {
		t.Error("SameRepresentation compares JSON values")
	}
}
