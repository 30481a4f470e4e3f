package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/report"
)

// execBinary runs the built command with extra environment variables.
func execBinary(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := binaryCommand(args...)
	cmd.Env = append(cleanEnv(), env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

func ucsServer(t *testing.T, fault string) *httptest.Server {
	t.Helper()
	_, srv := serveFault(t, "genesys-ucs", fault)
	return srv
}

func TestBadUsageExitsTwoWithAClearMessage(t *testing.T) {
	srv := ucsServer(t, "")
	dir := t.TempDir()
	badDoc := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badDoc, []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-conformance: {unsupportedMethod: 405, colour: red}\npaths: {}\n"), 0o644)
	notYAML := filepath.Join(dir, "broken.yaml")
	os.WriteFile(notYAML, []byte("openapi: [3.0.3\n"), 0o644)
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"no command", nil, []string{"Usage:"}},
		{"unknown command", []string{"frobnicate"}, []string{`unknown command "frobnicate"`}},
		{"no target", []string{"run", "--contract", "genesys-ucs"}, []string{"--target is required"}},
		{"no contract", []string{"run", "--target", srv.URL}, []string{"--contract is required"}},
		{"target not a URL", []string{"run", "--target", "localhost:80", "--contract", "genesys-ucs"}, []string{"not an http:// or https:// URL"}},
		{"bad label filter", []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--label-filter", "success && (("}, []string{"--label-filter"}},
		{"bad focus", []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--focus", "get[Profile"}, []string{"--focus", "missing closing ]"}},
		{"unknown contract", []string{"run", "--target", srv.URL, "--contract", "genesys"}, []string{"no shipped contract", "genesys-ucs"}},
		{"unknown x-conformance key", []string{"run", "--target", srv.URL, "--contract", badDoc}, []string{badDoc, "x-conformance", `unknown key "colour"`}},
		{"not YAML", []string{"run", "--target", srv.URL, "--contract", notYAML}, []string{notYAML}},
		{"basic auth without colon", []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo"}, []string{"USER:PASS"}},
		{"bad header", []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--header", "novalue"}, []string{"'Name: value'"}},
		{"bad duration", []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--timeout", "soon"}, []string{"invalid value", "-timeout"}},
		{"stray argument", []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "extra"}, []string{`unexpected argument "extra"`}},
		{"serve without contract", []string{"serve"}, []string{"--contract is required"}},
		{"serve unknown fault", []string{"serve", "--contract", "genesys-ucs", "--fault", "nope"}, []string{`no fault "nope"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := inProcessCombined(t, nil, tc.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2:\n%s", code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
				t.Errorf("a stack trace:\n%s", out)
			}
		})
	}
}

func TestUnreachableTargetExitsThreeBeforeAnySpec(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, out := execBinary(t, nil, "run", "--target", "http://"+addr, "--contract", "genesys-ucs")
	if code != exitUnreachable || !strings.Contains(out, "cannot be reached") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	// With no report asked for, one line (the reports: see
	// TestAnUnreachableTargetStillWritesTheReports).
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("want one line, got:\n%s", out)
	}
}

func TestEnvironmentVariablesAndFlagPrecedence(t *testing.T) {
	srv := ucsServer(t, "")
	env := []string{"APICONFORM_TARGET=" + srv.URL, "APICONFORM_CONTRACT=genesys-ucs", "APICONFORM_BASIC_AUTH=demo:demo"}
	if code, out := execBinary(t, env, "run"); code != 0 {
		t.Fatalf("run from the environment: exit %d\n%s", code, out)
	}
	// A flag wins over its variable: wrong credentials by flag fail the run.
	code, out := execBinary(t, env, "run", "--basic-auth", "demo:wrong", "--label-filter", "success")
	if code != exitFailed || !strings.Contains(out, "401") {
		t.Fatalf("flag did not win over APICONFORM_BASIC_AUTH: exit %d\n%s", code, out)
	}
	// A bad value in a variable is a usage error that names the variable.
	code, out = inProcessCombined(t, append(env, "APICONFORM_TIMEOUT=later"), "run")
	if code != exitUsage || !strings.Contains(out, "APICONFORM_TIMEOUT") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestBasePathIsNotDoubled(t *testing.T) {
	t.Parallel()
	srv := ucsServer(t, "")
	for _, target := range []string{srv.URL, srv.URL + "/", srv.URL + "/cv", srv.URL + "/cv/"} {
		code, out := execBinary(t, nil, "run", "--target", target, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--label-filter", "success || resource")
		if code != 0 {
			t.Fatalf("--target %s: exit %d\n%s", target, code, out)
		}
	}
}

func TestSecretsNeverShow(t *testing.T) {
	srv := ucsServer(t, "envelope-wrong-uri") // failures, so transcripts are written
	dir := t.TempDir()
	junit, jsonFile, htmlFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")
	const headerSecret = "hdr-s3cret-value-42"
	code, out := inProcessCombined(t, nil, "run", "--target", srv.URL+"/?token=qs-s3cret-token", "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--header", "X-Tenant-Key: "+headerSecret, "--junit-report", junit, "--json-report", jsonFile, "--html-report", htmlFile, "-v")
	if code != exitUsage || !strings.Contains(out, "query") {
		t.Fatalf("a target with a query must be refused: exit %d\n%s", code, out)
	}
	code, out = execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--header", "X-Tenant-Key: "+headerSecret, "--junit-report", junit, "--json-report", jsonFile, "--html-report", htmlFile, "-v")
	if code != exitFailed {
		t.Fatalf("exit %d", code)
	}
	var data []byte
	for _, f := range []string{junit, jsonFile, htmlFile} {
		b, err := os.ReadFile(f)
		if err != nil || len(b) == 0 {
			t.Fatalf("report %s not written: %v", f, err)
		}
		data = append(data, b...)
	}
	for _, secret := range []string{headerSecret, base64.StdEncoding.EncodeToString([]byte(headerSecret)), base64.StdEncoding.EncodeToString([]byte("demo:demo"))} {
		if strings.Contains(out, secret) || strings.Contains(string(data), secret) {
			t.Errorf("secret %q shows in the output or a report", secret)
		}
	}
	if !strings.Contains(string(data), "X-Tenant-Key: [redacted]") {
		t.Error("the redacted header should still be named in the transcript")
	}
}

func TestWritesAreCleanedUpWhenTheLifecycleStops(t *testing.T) {
	srv := ucsServer(t, "")
	// Only the create step runs: the delete step is filtered out, so the
	// suite's cleanup must delete what it created.
	code, out := execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--allow-writes", "--focus", `createProfile \[success\] create`)
	if code != 0 || !strings.Contains(out, "1 passed") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/cv/profiles?EmailAddress=jane.doe@example.com", nil)
	req.SetBasicAuth("demo", "demo")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var found []map[string]any
	if err := json.Unmarshal(body, &found); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	if len(found) != 1 || found[0]["id"] != "00027a5C4T0R001E" {
		t.Fatalf("the profile the suite created is still there: %s", body)
	}
}

func TestWritesAreSkippedWithoutOptIn(t *testing.T) {
	srv := ucsServer(t, "")
	junit := filepath.Join(t.TempDir(), "junit.xml")
	code, out := execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--junit-report", junit)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	data, _ := os.ReadFile(junit)
	if !strings.Contains(string(data), "run with --allow-writes") {
		t.Error("the skipped writes should say how to include them")
	}
}

func TestContractsAndServeListings(t *testing.T) {
	code, out := inProcessCombined(t, nil, "contracts")
	if code != 0 || !strings.Contains(out, "genesys-ucs") || !strings.Contains(out, "apiconform serve --contract genesys-ucs") {
		t.Fatalf("contracts: exit %d\n%s", code, out)
	}
	code, out = inProcessCombined(t, nil, "serve", "--contract", "genesys-ucs", "--list-faults")
	target, _ := fixtures.Lookup("genesys-ucs")
	if code != 0 || strings.Count(out, "\n") != len(target.Faults) {
		t.Fatalf("--list-faults: exit %d\n%s", code, out)
	}
	for _, f := range target.Faults {
		if !strings.Contains(out, f.Name) || !strings.Contains(out, f.Rule) {
			t.Errorf("--list-faults lacks %s / %s", f.Name, f.Rule)
		}
	}
}

func TestServePrintsTheRunCommand(t *testing.T) {
	got, args := servePrinted(t, "--contract", "genesys-ucs", "--addr", "127.0.0.1:0")
	if args == nil {
		t.Fatalf("no run command in:\n%s", got)
	}
	// The printed command works as printed (but for the report path).
	if code, out := execBinary(t, nil, args...); code != 0 {
		t.Fatalf("the printed command %q exited %d\n%s", args, code, out)
	}
}

func TestATargetThatNeverAnswersIsInconclusiveNotAHang(t *testing.T) {
	t.Parallel()
	target, _ := fixtures.Lookup("genesys-ucs")
	h, _ := target.Handler("")
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/cv/server/status" {
			<-release // never answers while the run lasts
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer close(release)
	junit := filepath.Join(t.TempDir(), "junit.xml")
	args := []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		// the other answer must come within it, also on a busy machine
		"--timeout", "2s", "--focus", `getServerStatus \[success\]|getProfile \[success\]`, "--junit-report", junit}
	code, out := execBinary(t, nil, args...)
	if code != exitFailed || !strings.Contains(out, "1 passed, 0 failed, 1 inconclusive") || !strings.Contains(out, "no answer within the timeout") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	data, _ := os.ReadFile(junit)
	if !strings.Contains(string(data), `inconclusive: no answer within the timeout`) {
		t.Errorf("JUnit should mark it skipped as inconclusive:\n%s", data)
	}
	// --strict makes it a failure.
	code, _ = execBinary(t, nil, append(args, "--strict")...)
	data, _ = os.ReadFile(junit)
	if code != exitFailed || !strings.Contains(string(data), "<failure") {
		t.Errorf("--strict: exit %d, no failure element", code)
	}
}

func TestReportsFromARun(t *testing.T) {
	srv := ucsServer(t, "envelope-missing-code")
	dir := t.TempDir()
	junit, jsonFile, htmlFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")
	code, out := execBinary(t, []string{"NO_COLOR=yes"}, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--junit-report", junit, "--json-report", jsonFile, "--html-report", htmlFile, "--focus", `getProfile|OPTIONS /profiles$`)
	if code != exitFailed || strings.Contains(out, "\x1b[") {
		t.Fatalf("exit %d (want 1), colour in the output despite NO_COLOR:\n%s", code, out)
	}
	f, err := os.Open(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatalf("the JSON report does not read back: %v", err)
	}
	if rep.Run.Contract.Name != "genesys-ucs" || rep.Summary.Failed == 0 || rep.Summary.Total != len(rep.Scenarios) {
		t.Fatalf("JSON report: %+v", rep.Summary)
	}
	failed := 0
	for _, s := range rep.Scenarios {
		if s.Result == report.Failed {
			failed++
			if len(s.Mismatches) == 0 || s.Mismatches[0].Rule != "envelope.schema" || !strings.Contains(s.Curl, "curl -i") || s.Transcript == "" {
				t.Errorf("failed scenario %s lacks its mismatch, curl or transcript: %+v", s.ID, s)
			}
		}
	}
	if failed != rep.Summary.Failed {
		t.Errorf("%d failed records, summary says %d", failed, rep.Summary.Failed)
	}
	html, _ := os.ReadFile(htmlFile)
	for _, want := range []string{"envelope.schema", "getProfile", "curl -i"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	x, _ := os.ReadFile(junit)
	for _, want := range []string{`name="apiconform.contract.sha256"`, `name="apiconform.target"`, `name="apiconform.config.basic-auth" value="[redacted]"`, `name="apiconform.start"`} {
		if !strings.Contains(string(x), want) {
			t.Errorf("the JUnit report lacks the property %s", want)
		}
	}
}

func TestListPrintsThePlanWithoutSending(t *testing.T) {
	code, out := inProcessCombined(t, nil, "list", "--contract", "genesys-ucs", "--label-filter", "credentials.missing && getProfile")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "getProfile [credentials.missing] answers 401 with a Basic WWW-Authenticate challenge and the error envelope  [credentials.missing, credentials, getProfile]") || !strings.Contains(out, "1 of ") {
		t.Fatalf("list output:\n%s", out)
	}
	if code, out := inProcessCombined(t, nil, "list", "--contract", "genesys-ucs", "--label-filter", "a &&"); code != exitUsage {
		t.Fatalf("a bad filter: exit %d\n%s", code, out)
	}
}

// TestJUnitIsValidForJenkinsAndGitLab validates real JUnit reports (passes,
// failures, warnings, skips, inconclusive) against the JUnit XML schema
// with xmllint.
func TestJUnitIsValidForJenkinsAndGitLab(t *testing.T) {
	t.Parallel()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is missing: .ci/run installs libxml2-utils")
		}
		t.Skip("xmllint is not installed (Debian: libxml2-utils)")
	}
	for _, fault := range []string{"", "envelope-missing-code", "options-no-allow"} {
		srv := ucsServer(t, fault)
		junit := filepath.Join(t.TempDir(), "junit.xml")
		execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--junit-report", junit)
		out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", junit).CombinedOutput()
		if err != nil {
			t.Fatalf("fault %q: the JUnit report is not valid:\n%s", fault, out)
		}
		if fault == "options-no-allow" {
			data, _ := os.ReadFile(junit)
			if !strings.Contains(string(data), `name="apiconform.warning.1" value="OPTIONS `) || !strings.Contains(string(data), "warning: [options.allow]") {
				t.Errorf("warnings must show as suite properties and in the testcase's output:\n%s", data)
			}
		}
	}
	// The schema has teeth: a testcase without a name is refused.
	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte(`<testsuites><testsuite name="s" tests="1"><testcase classname="c"/></testsuite></testsuites>`), 0o644)
	if err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", bad).Run(); err == nil {
		t.Fatal("xmllint accepted a testcase without a name")
	}
}

// stableResults reads a JSON report down to what must not depend on
// timing: each scenario's result and the rules of its mismatches.
func stableResults(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range rep.Scenarios {
		var rules []string
		for _, m := range s.Mismatches {
			rules = append(rules, m.Rule)
		}
		for _, m := range s.Warnings {
			rules = append(rules, "warn:"+m.Rule)
		}
		out[s.ID] = s.Result + " " + strings.Join(rules, ",")
	}
	return out
}

func TestPipelinedRunsJudgeAsASerialRunDoes(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{"", "envelope-missing-code", "allow-incomplete"} {
		var results []map[string]string
		for _, c := range []string{"1", "16"} {
			srv := ucsServer(t, fault)
			j := filepath.Join(t.TempDir(), "results.json")
			execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
				"--allow-writes", "--concurrency", c, "--json-report", j)
			results = append(results, stableResults(t, j))
		}
		if len(results[0]) == 0 {
			t.Fatal("no scenario in the report")
		}
		for id, serial := range results[0] {
			if results[1][id] != serial {
				t.Errorf("fault %q, %s: serial %q, pipelined %q", fault, id, serial, results[1][id])
			}
		}
		if len(results[0]) != len(results[1]) {
			t.Errorf("fault %q: %d scenarios serially, %d pipelined", fault, len(results[0]), len(results[1]))
		}
	}
}

func TestA429WithRetryAfterSlowsTheRunDown(t *testing.T) {
	t.Parallel()
	target, _ := fixtures.Lookup("genesys-ucs")
	h, _ := target.Handler("")
	var throttled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// the first two reads of a profile are throttled
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/cv/profiles/") && throttled.Add(1) <= 2 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	j := filepath.Join(t.TempDir(), "results.json")
	code, out := execBinary(t, nil, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--label-filter", "success", "--json-report", j)
	if code != 0 {
		t.Fatalf("a run throttled twice must still pass: exit %d\n%s", code, out)
	}
	data, _ := os.ReadFile(j)
	if !strings.Contains(string(data), "429 with Retry-After") {
		t.Error("the transcript should say the run waited after a 429")
	}
}

func TestThrottleBurstFromTheFlags(t *testing.T) {
	srv := ucsServer(t, "")
	args := []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--allow-disruptive", "--label-filter", "throttling.burst"}
	// The reference target throttles after 60 requests a second: a burst of
	// 30 is not throttled, so the contract's promise is not shown.
	code, out := execBinary(t, nil, append(args, "--throttle-burst", "30")...)
	if code != exitFailed || !strings.Contains(out, "[throttling.status]") || !strings.Contains(out, "at most 30 requests") {
		t.Fatalf("--throttle-burst 30: exit %d\n%s", code, out)
	}
	if code, out := execBinary(t, nil, append(args, "--throttle-burst", "100")...); code != 0 {
		t.Fatalf("--throttle-burst 100: exit %d\n%s", code, out)
	}
	if code, out := inProcessCombined(t, nil, append(args, "--throttle-burst", "-1")...); code != exitUsage {
		t.Fatalf("--throttle-burst -1: exit %d\n%s", code, out)
	}
}

// TestOnlySelectedScenariosAreSent: the pipelined exchanges are sent ahead
// only for the scenarios the label filter and the focus keep; a filtered
// run sends nothing else to a staging server.
func TestOnlySelectedScenariosAreSent(t *testing.T) {
	url, sent := countingTarget(t, "genesys-ucs")
	code, out := execBinary(t, nil, "run", "--target", url, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--label-filter", "credentials", "--focus", `getProfile \[`, "--concurrency", "16")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	seen := sent()
	want := map[string]int{"reachability": 1, "getProfile credentials.missing": 1, "getProfile credentials.invalid": 1}
	if len(seen) != len(want) {
		t.Fatalf("requests by scenario: %v, want %v", seen, want)
	}
	for id, n := range want {
		if seen[id] != n {
			t.Errorf("scenario %q: %d requests, want %d (all: %v)", id, seen[id], n, seen)
		}
	}
}
