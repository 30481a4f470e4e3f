package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/probe"
)

// schemesDoc has an operation per kind of credentials, one open to all,
// and ids that are known (example) or not.
const schemesDoc = `openapi: 3.0.3
info: {title: schemes, version: "1"}
servers: [{url: /v1}]
security: [{basic: []}]
paths:
  /open:
    get:
      operationId: getOpen
      security: []
      responses: {"200": {description: ok}}
  /basic/{id}:
    get:
      operationId: getBasic
      parameters: [{name: id, in: path, required: true, schema: {type: string}, example: b-1}]
      responses: {"200": {description: ok}}
  /basic-unknown/{id}:
    get:
      operationId: getBasicUnknown
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
  /key:
    get:
      operationId: getKey
      security: [{key: []}]
      responses: {"200": {description: ok}}
  /cookie:
    get:
      operationId: getCookie
      security: [{session: []}]
      responses: {"200": {description: ok}}
  /query:
    get:
      operationId: getQuery
      security: [{inQuery: []}]
      responses: {"200": {description: ok}}
  /bearer:
    get:
      operationId: getBearer
      security: [{token: []}]
      responses: {"200": {description: ok}}
    post:
      operationId: postBearer
      security: [{token: []}]
      responses: {"201": {description: ok}}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: x-api-key}
    session: {type: apiKey, in: cookie, name: sid}
    inQuery: {type: apiKey, in: query, name: api_key}
`

func schemesPlan(t *testing.T) *plan.Plan {
	t.Helper()
	c, err := contract.Parse([]byte(schemesDoc), "schemes", "schemes.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPreflightPicksOneGetPerSchemeFirst(t *testing.T) {
	p := schemesPlan(t)
	var got []string
	for _, s := range preflightScenarios(p.Scenarios, 16) {
		got = append(got, s.Operation.ID)
	}
	// one per scheme set in plan order, then those without ids; never a
	// GET whose id the suite would invent, nor a POST
	want := "getBasic getBearer getCookie getKey getQuery getOpen"
	if strings.Join(got, " ") != want {
		t.Fatalf("pre-flight %q, want %q", strings.Join(got, " "), want)
	}
	if got := preflightScenarios(p.Scenarios, 2); len(got) != 2 {
		t.Fatalf("the limit is not kept: %d", len(got))
	}
}

func TestMissingCredentialsNameTheFlags(t *testing.T) {
	c := schemesPlan(t).Contract
	got := missingCredentials(c, &runOptions{})
	want := "no credentials for 6 secured operations: give --basic-auth USER:PASS and --bearer-token TOKEN and --header 'Cookie: sid=KEY' and --header 'X-Api-Key: KEY'"
	for _, scheme := range []string{"basic", "token", "key", "session"} {
		if got[scheme] != want {
			t.Errorf("scheme %s: %q\nwant %q", scheme, got[scheme], want)
		}
	}
	// an apiKey in the query cannot be given: not called missing
	if got["inQuery"] != "" {
		t.Errorf("query key diagnosed: %q", got["inQuery"])
	}
	// given, header names in any case, nothing is missing
	o := &runOptions{basicAuth: "u:p", bearer: "t", headers: listFlag{"X-Api-Key: k", "Cookie: a=1; sid=2"}}
	if got := missingCredentials(c, o); len(got) != 0 {
		t.Errorf("all given, still diagnosed: %q", got)
	}
	o = &runOptions{basicAuth: "u:p", bearer: "t", headers: listFlag{"X-Api-Key: k"}}
	if got := missingCredentials(c, o)["session"]; got != "no credentials for 1 secured operation: give --header 'Cookie: sid=KEY'" {
		t.Errorf("one missing: %q", got)
	}
}

func TestRefusedCredentialsNeedEveryGetRefused(t *testing.T) {
	p := schemesPlan(t)
	picked := preflightScenarios(p.Scenarios, 16)
	o := &runOptions{basicAuth: "u:p", bearer: "t"}
	answers := func(status map[string]int) []*probe.Exchange {
		out := make([]*probe.Exchange, len(picked))
		for i, s := range picked {
			st, ok := status[s.Operation.ID]
			if !ok {
				st = 200
			}
			out[i] = &probe.Exchange{Status: st}
		}
		return out
	}
	got := refusedCredentials(p.Contract, o, picked, answers(map[string]int{"getBearer": 401, "getBasic": 403}))
	if got["token"] != "the credentials were refused: GET /bearer answered 401 with the --bearer-token given" ||
		got["basic"] != "the credentials were refused: GET /basic/b-1 answered 403 with the --basic-auth given" {
		t.Fatalf("refused: %q", got)
	}
	// the header key was not given: its 401 is no refusal of anything given
	if got["key"] != "" {
		t.Errorf("a key never given was refused: %q", got["key"])
	}
	// an operation open to all that answers 401 refuses nobody's credentials
	if got := refusedCredentials(p.Contract, o, picked, answers(map[string]int{"getOpen": 401})); len(got) != 0 {
		t.Errorf("diagnosed from an open operation: %q", got)
	}
	if got := refusedCredentials(p.Contract, o, picked, answers(nil)); len(got) != 0 {
		t.Errorf("diagnosed with every answer 200: %q", got)
	}
}

func TestNotFoundEverywhere(t *testing.T) {
	x := func(st int) *probe.Exchange { return &probe.Exchange{Status: st} }
	noAnswer := &probe.Exchange{Err: fmt.Errorf("reset")}
	for _, tc := range []struct {
		xs   []*probe.Exchange
		want int
	}{
		{nil, 0},
		{[]*probe.Exchange{noAnswer}, 0},
		{[]*probe.Exchange{x(404), x(404), noAnswer}, 2},
		{[]*probe.Exchange{x(404), x(http.StatusTooManyRequests)}, 1},
		{[]*probe.Exchange{x(404), x(200)}, 0},
		{[]*probe.Exchange{x(404), x(401)}, 0},
	} {
		if got := notFoundEverywhere(tc.xs); got != tc.want {
			t.Errorf("%v: %d, want %d", tc.xs, got, tc.want)
		}
	}
}
