package verdict_test

import (
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/verdict"
)

// acceptDoc declares 406 on one GET and not on the other, and 400 on both.
const acceptDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "http://127.0.0.1:8080/cv"}]
paths:
  /notes:
    get:
      operationId: listNotes
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "406": {description: not acceptable, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /tags:
    get:
      operationId: listTags
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Error:
      type: object
      required: [message]
      properties: {message: {type: string}}
`

// TestNotAcceptableBothWays: RFC 9110 section 12.5.1 allows 406, and a 2xx
// that disregards Accept; any other 4xx warns by the family's status rule,
// and what breaks another rule (a 5xx, an undeclared Content-Type) fails
// by that rule.
func TestNotAcceptableBothWays(t *testing.T) {
	c := parse(t, acceptDoc)
	p, err := plan.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	s := scenario(t, p, "listNotes negotiation.not-acceptable")
	if got := s.Request.Header.Get("Accept"); got != "application/x-apiconform-unacceptable" {
		t.Fatalf("the scenario sends Accept %q", got)
	}
	notes := func(status int, body string, hdr ...string) *probe.Exchange {
		return ex("GET", "/notes", status, body, hdr...)
	}
	clean(t, verdict.Judge(c, s, notes(406, `{"message":"only application/json"}`, "Content-Type", jsonCT), nil))
	clean(t, verdict.Judge(c, s, notes(200, `["a"]`, "Content-Type", jsonCT), nil))

	m := warnOnly(t, verdict.Judge(c, s, notes(400, `{"message":"bad Accept"}`, "Content-Type", jsonCT), nil), "negotiation.not-acceptable.status")
	if m.Level != catalog.Should || !strings.Contains(m.Expected, "406") || !strings.Contains(m.Source, "12.5.1") {
		t.Errorf("warning %+v", m)
	}
	only(t, verdict.Judge(c, s, notes(500, `{"message":"boom"}`, "Content-Type", jsonCT), nil), "server.error")
	only(t, verdict.Judge(c, s, notes(200, `["a"]`, "Content-Type", "application/x-apiconform-unacceptable"), nil), "content-type.declared")
	only(t, verdict.Judge(c, s, notes(200, `{"a":1}`, "Content-Type", jsonCT), nil), "body.schema")

	// A 406 the operation does not declare passes; the contract is told
	// to declare it, as for any status a scenario expects.
	tags := scenario(t, p, "listTags negotiation.not-acceptable")
	warnOnly(t, verdict.Judge(c, tags, ex("GET", "/tags", 406, `{"message":"no"}`, "Content-Type", jsonCT), nil), "status.explicit")
	if v := verdict.Judge(c, tags, ex("GET", "/tags", 415, `{"message":"no"}`, "Content-Type", jsonCT), nil); len(v.Mismatches) != 1 || v.Mismatches[0].Rule != "status.declared" || len(v.Warnings) != 1 || v.Warnings[0].Rule != "negotiation.not-acceptable.status" {
		t.Errorf("an undeclared 415: %+v", v)
	}
}
