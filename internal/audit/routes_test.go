package audit

import (
	"testing"

	"github.com/apiconform/apiconform/internal/contract"
)

// testContract has what the shipped contracts lack: a root path, a concrete
// path beside a templated one, a parameter inside a segment, a 4XX range, a
// default response, x-conformance never and statusOnlyOn, and no servers
// (no base path).
const testContract = `openapi: 3.0.3
info: {title: audit test, version: "1"}
x-conformance:
  never: [418]
  statusOnlyOn:
    "409": [deleteUser]
paths:
  /:
    get:
      operationId: root
      responses: {"200": {description: ok}}
  /users/me:
    get:
      operationId: getMe
      responses: {"200": {description: ok}}
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getUser
      responses:
        "200": {description: ok}
        "4XX": {description: a client error}
        default: {description: anything else}
    delete:
      operationId: deleteUser
      responses:
        "204": {description: gone}
        "409": {description: in use}
    options:
      operationId: userOptions
      responses: {"200": {description: ok}}
  /users/{id}/posts:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: createPost
      responses:
        "201": {description: created}
        "409": {description: conflict}
  /files/{name}.json:
    parameters: [{name: name, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getFile
      responses: {"200": {description: ok}}
`

func loadTestContract(t testing.TB) *contract.Contract {
	t.Helper()
	c, err := contract.Parse([]byte(testContract), "audit-test", "audit-test.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func loadShipped(t testing.TB, name string) *contract.Contract {
	t.Helper()
	c, err := contract.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type routeCase struct {
	method, url string
	op          string // operation id, or "" when kind is not Matched
	kind        Kind
}

func checkRoutes(t *testing.T, c *contract.Contract, cases []routeCase) {
	t.Helper()
	m := NewMatcher(c)
	for _, tc := range cases {
		op, kind := m.Match([]byte(tc.method), []byte(tc.url))
		got := ""
		if op >= 0 {
			got = c.Operations[op].ID
		}
		if got != tc.op || kind != tc.kind {
			t.Errorf("%s %s: got %q kind %d, want %q kind %d", tc.method, tc.url, got, kind, tc.op, tc.kind)
		}
	}
}

func TestRoutesOfAShippedContractWithABasePath(t *testing.T) {
	c := loadShipped(t, "genesys-ucs")
	if c.BasePath != "/cv" {
		t.Fatalf("base path %q: the cases below assume /cv", c.BasePath)
	}
	checkRoutes(t, c, []routeCase{
		{"GET", "/cv/server/status", "getServerStatus", Matched},
		{"GET", "/cv/server/status?verbose=1#top", "getServerStatus", Matched},
		{"GET", "/cv/profiles/00027a5C4T0R001E", "getProfile", Matched},
		{"PUT", "/cv/profiles/anything%2Fat%20all", "updateProfile", Matched},
		{"GET", "/cv/profiles/00027a5C4T0R001E/services", "listProfileServices", Matched},
		{"GET", "/cv/profiles", "findProfiles", Matched},
		{"POST", "/cv/profiles", "createProfile", Matched},
		{"GET", "http://ucs.example.com:8080/cv/services/1001", "getService", Matched},
		{"GET", "HTTPS://ucs.example.com/cv/services/1001?x", "getService", Matched},
		// HEAD is served wherever GET is, and judged as GET.
		{"HEAD", "/cv/server/status", "getServerStatus", Matched},
		{"HEAD", "/cv/server/mode", "", UnknownMethod},
		{"OPTIONS", "/cv/profiles", "", OptionsMethod},
		{"OPTIONS", "*", "", OptionsMethod},
		{"OPTIONS", "/cv/nowhere", "", UnknownPath},
		{"GET", "*", "", UnknownPath},
		{"DELETE", "/cv/server/status", "", UnknownMethod},
		{"get", "/cv/server/status", "", UnknownMethod}, // methods are case-sensitive
		{"GET", "/cv/admin/console", "", UnknownPath},
		{"GET", "/cv", "", UnknownPath},
		{"GET", "/cv/", "", UnknownPath},
		{"GET", "/cv/profiles/", "", UnknownPath},                  // an empty id is no id
		{"GET", "/cv/profiles//services", "", UnknownPath},         // nor here
		{"GET", "/cv/profiles/1/services/2", "", UnknownPath},      // one segment too many
		{"GET", "/server/status", "", NoBasePath},                  // as if a proxy stripped /cv
		{"POST", "/server/status", "", NoBasePath},                 // the path matches without /cv
		{"GET", "/cvx/server/status", "", UnknownPath},             // /cvx is not under /cv
		{"GET", "http://h:1/cv", "", UnknownPath},                  // absolute, no path below the base
		{"GET", "http://h:1", "", UnknownPath},                     // absolute, no path at all
		{"GET", "http://h:1?q=/cv/server/status", "", UnknownPath}, // a query is not a path
	})
}

func TestRoutesPrecedenceAndTemplates(t *testing.T) {
	c := loadTestContract(t)
	checkRoutes(t, c, []routeCase{
		{"GET", "/", "root", Matched},
		{"GET", "/?page=2", "root", Matched},
		{"GET", "", "", UnknownPath},
		// A concrete path wins over a templated one...
		{"GET", "/users/me", "getMe", Matched},
		{"GET", "/users/42", "getUser", Matched},
		// ...but a method only the templated path declares still finds it.
		{"DELETE", "/users/me", "deleteUser", Matched},
		{"PUT", "/users/me", "", UnknownMethod},
		// A declared OPTIONS is an operation like any other.
		{"OPTIONS", "/users/42", "userOptions", Matched},
		{"OPTIONS", "/users/me", "userOptions", Matched},
		{"POST", "/users/42/posts", "createPost", Matched},
		{"GET", "/users/42/posts", "", UnknownMethod},
		// A parameter inside a segment needs its literal text around it.
		{"GET", "/files/report.json", "getFile", Matched},
		{"GET", "/files/.json", "", UnknownPath},
		{"GET", "/files/report.xml", "", UnknownPath},
		{"GET", "/files/report", "", UnknownPath},
	})
}

func TestMatchDoesNotAllocate(t *testing.T) {
	c := loadShipped(t, "genesys-ucs")
	m := NewMatcher(c)
	urls := [][]byte{[]byte("/cv/profiles/00027a5C4T0R001E/services?x=1"), []byte("http://h/cv/services/1"), []byte("/nowhere/at/all")}
	if n := testing.AllocsPerRun(100, func() {
		for _, u := range urls {
			m.Match([]byte("GET"), u)
		}
	}); n != 0 {
		t.Fatalf("Match allocates %v times per call", n)
	}
}
