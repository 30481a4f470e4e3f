package main

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/testcert"
	"github.com/apiconform/apiconform/specs"
)

// plainPets is the plain-pets contract's document: OpenAPI as generators
// write it, without x-conformance.
func plainPets(t *testing.T) []byte {
	t.Helper()
	data, _, ok := specs.Read("plain-pets")
	if !ok {
		t.Fatal("no shipped plain-pets")
	}
	return data
}

// docServer serves plain-pets at /openapi.json, the way frameworks serve
// their document, and the failures a contract URL may meet; every other
// request goes to next (404 when nil). It records the credential headers
// of each request for the document.
type docServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []http.Header
}

func newDocServer(t *testing.T, doc []byte, next http.Handler) *docServer {
	t.Helper()
	d := &docServer{}
	d.Server = httptest.NewUnstartedServer(d.handler(doc, next))
	return d
}

func (d *docServer) handler(doc []byte, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/openapi.json":
			d.mu.Lock()
			d.seen = append(d.seen, r.Header.Clone())
			d.mu.Unlock()
			w.Header().Set("Content-Type", "application/yaml")
			w.Write(doc)
		case "/docs":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!DOCTYPE html>\n<html><body>Swagger UI</body></html>"))
		case "/huge.json":
			// Declared larger than any contract: refused before the
			// body is read, so none is sent.
			w.Header().Set("Content-Length", "40000000")
			w.WriteHeader(http.StatusOK)
		default:
			if next == nil {
				http.NotFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		}
	})
}

func (d *docServer) headers() []http.Header {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]http.Header(nil), d.seen...)
}

func startDocServer(t *testing.T, doc []byte, next http.Handler) *docServer {
	t.Helper()
	d := newDocServer(t, doc, next)
	d.Start()
	t.Cleanup(d.Close)
	return d
}

func TestListTakesAContractURL(t *testing.T) {
	srv := startDocServer(t, plainPets(t), nil)
	loopbackDirect(t, srv.URL)
	code, fromURL, stderr := inProcessApart(t, nil, "list", "--contract", srv.URL+"/openapi.json")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	_, shipped, _ := inProcessApart(t, nil, "list", "--contract", "plain-pets")
	if fromURL != shipped || !strings.Contains(fromURL, "getPet [success]") {
		t.Errorf("the plan of the URL differs from the shipped contract's:\n%s\nwant:\n%s", fromURL, shipped)
	}
	if code, out, _ := inProcessApart(t, nil, "run", "--contract", srv.URL+"/openapi.json", "--list-labels"); code != exitOK || !strings.Contains(out, "\ngetPet\n") {
		t.Errorf("run --list-labels with a URL: exit %d\n%s", code, out)
	}

	for _, tc := range []struct {
		path string
		code int
		want string
	}{
		{"/missing.json", exitUsage, "contract " + srv.URL + "/missing.json: HTTP 404 Not Found"},
		{"/docs", exitUsage, "the answer is an HTML page (Content-Type text/html; charset=utf-8), not an OpenAPI document"},
		{"/huge.json", exitUsage, "contract " + srv.URL + "/huge.json: the document is 38.1 MiB (Content-Length 40000000), more than the 32 MiB a contract may have"},
	} {
		code, stdout, stderr := inProcessApart(t, nil, "list", "--contract", srv.URL+tc.path)
		if code != tc.code || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%s: exit %d, want %d and %q\n%s%s", tc.path, code, tc.code, tc.want, stdout, stderr)
		}
		if lines := strings.Count(strings.TrimSpace(stderr), "\n"); lines != 0 {
			t.Errorf("%s: the error is not one line:\n%s", tc.path, stderr)
		}
	}

	// A URL that gives no answer is a server that cannot be reached.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	loopbackDirect(t, closed.URL)
	code, _, stderr = inProcessApart(t, nil, "list", "--contract", "http://user:pass@"+strings.TrimPrefix(closed.URL, "http://")+"/openapi.json?token=t0ken")
	if code != exitUnreachable || !strings.Contains(stderr, "the contract's URL cannot be reached") || !strings.Contains(stderr, "connection refused") {
		t.Errorf("an unreachable URL: exit %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "pass") || strings.Contains(stderr, "t0ken") {
		t.Errorf("the URL's credentials show:\n%s", stderr)
	}
}

func TestListTakesAnHTTPSContractURLWithTheTLSFlags(t *testing.T) {
	ca := testcert.NewCA(t, "docs CA")
	srv := newDocServer(t, plainPets(t), nil)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.Server(t, "127.0.0.1")}}
	srv.Config.ErrorLog = quietLog
	srv.StartTLS()
	t.Cleanup(srv.Close)
	url := srv.URL + "/openapi.json"
	loopbackDirect(t, url)

	code, _, stderr := inProcessApart(t, nil, "list", "--contract", url)
	if code != exitUnreachable || !strings.Contains(stderr, "is not trusted") || !strings.Contains(stderr, "--ca-cert") {
		t.Errorf("without the CA: exit %d\n%s", code, stderr)
	}
	caFile := ca.WriteCA(t, t.TempDir())
	if code, out, stderr := inProcessApart(t, nil, "list", "--contract", url, "--ca-cert", caFile); code != exitOK || !strings.Contains(out, "getPet [success]") {
		t.Errorf("with --ca-cert: exit %d\n%s%s", code, out, stderr)
	}
	// The variables and the configuration file serve list as they serve run.
	if code, _, stderr := inProcessApart(t, []string{"APICONFORM_CA_CERT=" + caFile}, "list", "--contract", url); code != exitOK {
		t.Errorf("with $APICONFORM_CA_CERT: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := inProcessApart(t, nil, "list", "--contract", url, "--ca-cert", filepath.Join(t.TempDir(), "none.pem")); code != exitUsage || !strings.Contains(stderr, "--ca-cert") {
		t.Errorf("a missing CA file: exit %d\n%s", code, stderr)
	}
}

// TestRunSendsCredentialsToTheContractURLOnlyOnTheTargetsOrigin runs
// against the plain-pets reference target, which also serves its document
// at /openapi.json, with an API key and a bearer token: the document on
// the target's origin gets them, the same document on another origin
// (another port) does not.
func TestRunSendsCredentialsToTheContractURLOnlyOnTheTargetsOrigin(t *testing.T) {
	target, err := fixtures.Lookup("plain-pets")
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	onTarget := startDocServer(t, plainPets(t), h)
	elsewhere := startDocServer(t, plainPets(t), nil)
	dir := t.TempDir()
	results := filepath.Join(dir, "results.json")
	creds := []string{"--header", "X-Api-Key: k3y-secret", "--bearer-token", "b3arer-secret", "--no-color"}

	args := append([]string{"run", "--target", onTarget.URL, "--contract", onTarget.URL + "/openapi.json?token=t0ken", "--json-report", results}, creds...)
	code, stdout, stderr := execSplit(t, noProxyEnv(), args...)
	if code != exitOK {
		t.Fatalf("a run of the reference target with its own document: exit %d\n%s%s", code, stdout, stderr)
	}
	seen := onTarget.headers()
	if len(seen) != 1 || seen[0].Get("X-Api-Key") != "k3y-secret" || seen[0].Get("Authorization") != "Bearer b3arer-secret" {
		t.Errorf("the target's origin got %v, want the key and the token once", seen)
	}
	rep := readResults(t, results)
	if want := onTarget.URL + "/openapi.json?token=%5Bredacted%5D"; rep.Run.Contract.Source != want || rep.Run.Config["contract"] != want {
		t.Errorf("the report's contract source is %q (config %q), want %q", rep.Run.Contract.Source, rep.Run.Config["contract"], want)
	}
	raw, _ := os.ReadFile(results)
	for _, secret := range []string{"t0ken", "k3y-secret", "b3arer-secret"} {
		if strings.Contains(string(raw), secret) || strings.Contains(stdout+stderr, secret) {
			t.Errorf("%s shows in the report or the output", secret)
		}
	}

	// The target is down: the document elsewhere is fetched, without the
	// credentials, and the run stops at the target.
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	args = append([]string{"run", "--target", down.URL, "--contract", elsewhere.URL + "/openapi.json"}, creds...)
	if code, _, stderr := execSplit(t, noProxyEnv(), args...); code != exitUnreachable || !strings.Contains(stderr, "the target") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	seen = elsewhere.headers()
	if len(seen) != 1 {
		t.Fatalf("the document elsewhere was fetched %d times", len(seen))
	}
	if seen[0].Get("X-Api-Key") != "" || seen[0].Get("Authorization") != "" {
		t.Errorf("another origin got credentials: %v", seen[0])
	}
}

func TestConfigShowsTheContractURLWithoutItsCredentials(t *testing.T) {
	code, out := inProcessCombined(t, nil, "config", "--contract", "https://ci:pa55word@docs.example.com/openapi.json?api_key=k3y&v=2", "--overlay", "a.yaml", "--overlay", "b.yaml")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if strings.Contains(out, "pa55word") || strings.Contains(out, "k3y") {
		t.Errorf("a credential shows:\n%s", out)
	}
	if v, src := configValue(t, out, "contract"); !strings.Contains(v, "https://docs.example.com/openapi.json?") || !strings.Contains(v, "v=2") || src != "flag" {
		t.Errorf("contract = %q (%s)", v, src)
	}
	if !strings.Contains(out, "overlay: # flag\n  - a.yaml\n  - b.yaml\n") {
		t.Errorf("the overlays are not listed in order:\n%s", out)
	}
}

// skipOverlay is an overlay that skips the happy path of getPet with a
// reason.
func skipOverlay(t *testing.T, dir, name, reason string) string {
	t.Helper()
	return writeText(t, filepath.Join(dir, name), `overlay: 1.0.0
info:
  title: `+name+`
  version: "1"
actions:
  - target: $.paths['/pets/{id}'].get
    update:
      x-conformance:
        skip:
          success: `+reason+`
`)
}

const getPetSuccess = "getPet [success] answers a declared 2xx whose body matches its schema"

// skipOf is the skip reason list prints for a scenario, "" when it is not
// skipped.
func skipOf(t *testing.T, listing, scenario string) string {
	t.Helper()
	for _, line := range strings.Split(listing, "\n") {
		if strings.HasPrefix(line, scenario) {
			_, reason, _ := strings.Cut(line, "(skipped: x-conformance skip: ")
			return strings.TrimSuffix(reason, ")")
		}
	}
	t.Fatalf("no %q in:\n%s", scenario, listing)
	return ""
}

func TestOverlaysChangeThePlanInOrder(t *testing.T) {
	dir := t.TempDir()
	contract := filepath.Join(dir, "pets.yaml")
	if err := os.WriteFile(contract, plainPets(t), 0o644); err != nil {
		t.Fatal(err)
	}
	first := skipOverlay(t, dir, "first.yaml", "first says so")
	second := skipOverlay(t, dir, "second.yaml", "second says so")

	code, out := inProcessCombined(t, nil, "list", "--contract", contract)
	if code != exitOK || skipOf(t, out, getPetSuccess) != "" {
		t.Fatalf("without an overlay: exit %d\n%s", code, out)
	}
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"flags", nil, []string{"--overlay", first, "--overlay", second}, "second says so"},
		{"flags reversed", nil, []string{"--overlay", second, "--overlay", first}, "first says so"},
		{"variable", []string{"APICONFORM_OVERLAY=" + second + "\n" + first}, nil, "first says so"},
		{"configuration file", []string{"APICONFORM_CONFIG=" + writeText(t, filepath.Join(dir, "apiconform.yaml"), "overlay:\n  - "+first+"\n  - "+second+"\n")}, nil, "second says so"},
	} {
		code, stdout, stderr := inProcessApart(t, tc.env, append([]string{"list", "--contract", contract}, tc.args...)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s", tc.name, code, stderr)
		}
		if got := skipOf(t, stdout, getPetSuccess); got != tc.want {
			t.Errorf("%s: the skip is %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestRunAppliesTheOverlays(t *testing.T) {
	target, err := fixtures.Lookup("plain-pets")
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	dir := t.TempDir()
	contract := filepath.Join(dir, "pets.yaml")
	if err := os.WriteFile(contract, plainPets(t), 0o644); err != nil {
		t.Fatal(err)
	}
	skip := skipOverlay(t, dir, "skip.yaml", "staging has no pets")
	nothing := writeText(t, filepath.Join(dir, "nothing.yaml"), "overlay: 1.0.0\ninfo: {title: cats, version: '1'}\nactions:\n  - target: $.paths['/cats']\n    remove: true\n")
	results := filepath.Join(dir, "results.json")
	html := filepath.Join(dir, "report.html")

	plainResults := filepath.Join(dir, "plain.json")
	if code, _, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", contract, "--json-report", plainResults, "--no-color"); code != exitOK {
		t.Fatalf("without overlays: exit %d\n%s", code, stderr)
	}
	code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", contract, "--overlay", skip, "--overlay", nothing,
		"--json-report", results, "--html-report", html, "--no-color")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	warning := "overlay " + nothing + ":4: action 1 (target $.paths['/cats']): the target selects nothing in the contract"
	if !strings.Contains(stderr, "apiconform run: warning: "+warning) {
		t.Errorf("no warning for the action that selected nothing:\n%s", stderr)
	}
	plain, rep := readResults(t, plainResults), readResults(t, results)
	var skipped, wasRun bool
	for _, s := range rep.Scenarios {
		if s.Name == getPetSuccess {
			skipped = s.Result == "skipped" && strings.Contains(s.Reason, "staging has no pets")
		}
	}
	for _, s := range plain.Scenarios {
		if s.Name == getPetSuccess {
			wasRun = s.Result == "passed"
		}
	}
	if !skipped || !wasRun {
		t.Errorf("the overlay's skip: skipped with it %v, passed without it %v", skipped, wasRun)
	}
	if got := strings.Join(rep.Run.Contract.Overlays, " "); got != skip+" "+nothing {
		t.Errorf("the report's overlays: %q", got)
	}
	if rep.Run.Config["overlay"] != skip+"; "+nothing {
		t.Errorf("the report's config overlay: %q", rep.Run.Config["overlay"])
	}
	if rep.Run.Contract.Source != contract || rep.Run.Contract.SHA256 == plain.Run.Contract.SHA256 {
		t.Errorf("source %q, sha256 %s: the sha256 must be of the document the run tested", rep.Run.Contract.Source, rep.Run.Contract.SHA256)
	}
	found := false
	for _, w := range rep.Run.Warnings {
		found = found || strings.Contains(w, warning)
	}
	if !found {
		t.Errorf("the report's warnings lack the overlay's: %q", rep.Run.Warnings)
	}
	page, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(page), "<dt>Overlays</dt>") || !strings.Contains(string(page), skip) {
		t.Errorf("the HTML report does not name the overlays: %v", err)
	}
}

func TestBadOverlaysExitTwo(t *testing.T) {
	dir := t.TempDir()
	bad := writeText(t, filepath.Join(dir, "bad.yaml"), "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.info\n    description: does nothing\n")
	dangling := writeText(t, filepath.Join(dir, "dangling.yaml"), "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.paths['/pets'].get\n    update: {responses: {'200': {$ref: '#/components/responses/Nope'}}}\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--overlay", bad}, "overlay " + bad + ":4: action 1 (target $.info): the action does nothing"},
		{[]string{"--overlay", filepath.Join(dir, "none.yaml")}, "overlay " + filepath.Join(dir, "none.yaml") + ": no such file"},
		{[]string{"--overlay", "https://example.com/o.yaml"}, "--overlay https://example.com/o.yaml: an overlay is a file"},
		// The contract's error names the overlay; its line would be one
		// of no file, so only the JSON pointer says where.
		{[]string{"--overlay", dangling}, "contract specs/plain-pets.yaml with overlay " + dangling + ": at /paths/~1pets/get/responses/200/$ref:"},
	} {
		for _, cmd := range []string{"list", "run"} {
			args := append([]string{cmd, "--contract", "plain-pets"}, tc.args...)
			if cmd == "run" {
				args = append(args, "--target", "http://127.0.0.1:1")
			}
			code, stdout, stderr := inProcessApart(t, nil, args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Errorf("%v: exit %d, want 2 and %q\n%s%s", args, code, tc.want, stdout, stderr)
			}
		}
	}
}

func TestAuditTakesAContractURLAndOverlays(t *testing.T) {
	ucs, _, ok := specs.Read("genesys-ucs")
	if !ok {
		t.Fatal("no shipped genesys-ucs")
	}
	srv := startDocServer(t, ucs, nil)
	loopbackDirect(t, srv.URL)
	code, stdout, stderr := inProcessApart(t, nil, "audit", "--contract", srv.URL+"/openapi.json", sampleLog)
	if code != exitOK || !strings.Contains(stdout, "result: passed") {
		t.Fatalf("audit with a URL: exit %d\n%s%s", code, stdout, stderr)
	}
	// An overlay that removes every path (and the x-conformance that
	// names their operations) leaves every logged request unknown.
	noPaths := writeText(t, filepath.Join(t.TempDir(), "nopaths.yaml"), "overlay: 1.0.0\ninfo: {title: no paths, version: '1'}\nactions:\n  - target: $.paths.*\n    remove: true\n  - target: $['x-conformance']\n    remove: true\n")
	code, stdout, stderr = inProcessApart(t, nil, "audit", "--contract", srv.URL+"/openapi.json", "--overlay", noPaths, sampleLog)
	if code != exitFailed || strings.Contains(stdout, "result: passed") {
		t.Errorf("audit with an overlay removing the paths: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestExternalRefsOfAURLContractAreNotFetched: a document that refers to
// another is refused with the way out, and the other is never asked for.
func TestExternalRefsOfAURLContractAreNotFetched(t *testing.T) {
	doc := []byte("openapi: 3.0.3\ninfo: {title: split, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: 'responses.yaml#/OK'}\n")
	srv := startDocServer(t, doc, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the document's $ref was fetched: %s", r.URL)
		http.NotFound(w, r)
	}))
	loopbackDirect(t, srv.URL)
	code, _, stderr := inProcessApart(t, nil, "list", "--contract", srv.URL+"/openapi.json")
	if code != exitUsage || !strings.Contains(stderr, "contract "+srv.URL+"/openapi.json") || !strings.Contains(stderr, "responses.yaml#/OK") || !strings.Contains(stderr, "bundle the contract into one file first") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
