package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/report"
)

// diagnosedRun is what a run of the built binary left: its exit code, its
// stdout and stderr apart (a diagnosis must come first on stderr), and its
// JSON and JUnit reports.
type diagnosedRun struct {
	code           int
	stdout, stderr string
	json           report.JSONReport
	junit          []byte
}

// runSplit runs apiconform against a URL with JSON and JUnit reports.
func runSplit(t *testing.T, env []string, url, contract string, extra ...string) diagnosedRun {
	t.Helper()
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "junit.xml")
	args := append([]string{"run", "--target", url, "--contract", contract, "--no-color", "--json-report", jsonPath, "--junit-report", junitPath}, extra...)
	cmd := binaryCommand(args...)
	cmd.Env = append(cleanEnv(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := diagnosedRun{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatalf("no JSON report (exit %d): %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if err := json.Unmarshal(data, &r.json); err != nil {
		t.Fatal(err)
	}
	if r.junit, err = os.ReadFile(junitPath); err != nil {
		t.Fatal(err)
	}
	return r
}

// mounted serves a reference target's paths under another base path, as
// a gateway in front of a staging server does.
func mounted(t *testing.T, contract, base string) (*fixtures.Target, *httptest.Server) {
	t.Helper()
	target, err := fixtures.Lookup(contract)
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(target.Mount(h, base))
	t.Cleanup(srv.Close)
	return target, srv
}

// diagnosedFirst checks that the run's diagnosis is its one line on
// stderr, that it is the first run warning of the JSON report and of the
// JUnit properties, and returns it.
func diagnosedFirst(t *testing.T, r diagnosedRun, want ...string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "apiconform run: ") {
		t.Fatalf("want the diagnosis as the one line on stderr, got:\n%s", r.stderr)
	}
	line := strings.TrimPrefix(lines[0], "apiconform run: ")
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("the diagnosis lacks %q:\n%s", w, line)
		}
	}
	if len(r.json.Run.Warnings) == 0 || r.json.Run.Warnings[0] != line {
		t.Errorf("the JSON report's first run warning is not the diagnosis: %q", r.json.Run.Warnings)
	}
	if !bytes.Contains(r.junit, []byte(`name="apiconform.run.warning.1" value="`+xmlEscape(line)+`"`)) {
		t.Errorf("the JUnit report's first run warning is not the diagnosis")
	}
	return line
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#34;", "&quot;")
}

// results counts a JSON report's scenarios by result, and checks that
// every inconclusive one is so for the diagnosis.
func results(t *testing.T, r diagnosedRun, diagnosis string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, s := range r.json.Scenarios {
		n[s.Result]++
		if s.Result == "failed" {
			t.Errorf("a scenario failed though the run's setup explains it: %s: %v", s.Name, s.Mismatches)
		}
		if s.Result == "inconclusive" && !strings.Contains(s.Reason, diagnosis) {
			t.Errorf("%s is inconclusive for another reason: %s", s.Name, s.Reason)
		}
	}
	return n
}

func TestWrongBasePathIsDiagnosedAndBasePathFixesIt(t *testing.T) {
	t.Parallel()
	// plain-pets says servers: /api; the target serves its paths at the root
	_, root := mounted(t, "plain-pets", "/")
	r := runSplit(t, nil, root.URL, "plain-pets")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want 1:\n%s%s", r.code, r.stdout, r.stderr)
	}
	line := diagnosedFirst(t, r, "every GET of a known resource answered 404 under "+root.URL+"/api",
		"the base path is probably wrong", "set --base-path / (GET "+root.URL+"/pets answered 200", "the contract's servers say /api")
	n := results(t, r, line)
	if n["inconclusive"] == 0 || n["passed"] != 0 {
		t.Fatalf("under a wrong base path every scenario that ran is inconclusive: %v", n)
	}
	// The summary says the shared reason once.
	if c := strings.Count(r.stdout, line); c != 1 {
		t.Errorf("the summary repeats the diagnosis %d times:\n%s", c, r.stdout)
	}

	// The fix the line names passes clean, by flag, variable or file.
	fixed := runSplit(t, nil, root.URL, "plain-pets", "--base-path", "/")
	if fixed.code != exitOK || fixed.stderr != "" || fixed.json.Summary.Passed == 0 {
		t.Fatalf("--base-path /: exit %d, summary %+v:\n%s%s", fixed.code, fixed.json.Summary, fixed.stdout, fixed.stderr)
	}
	if got := fixed.json.Run.Config["base-path"]; got != "/" {
		t.Errorf("the report's configuration has base-path %q", got)
	}
	if fixed.json.Run.Target != root.URL {
		t.Errorf("the report's target is %s, want %s", fixed.json.Run.Target, root.URL)
	}
	if r := runSplit(t, []string{"APICONFORM_BASE_PATH=/"}, root.URL, "plain-pets"); r.code != exitOK {
		t.Fatalf("APICONFORM_BASE_PATH=/: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// Under a prefix neither the contract nor the root has, the line says
	// what to set without guessing it; the prefix passes clean.
	_, gw := mounted(t, "plain-pets", "/gateway/pets-api")
	r = runSplit(t, nil, gw.URL, "plain-pets")
	diagnosedFirst(t, r, "answered 404 under "+gw.URL+"/api", "set --base-path to the path the target serves the contract's paths under", "the contract's servers say /api")
	if r = runSplit(t, nil, gw.URL, "plain-pets", "--base-path", "/gateway/pets-api/"); r.code != exitOK || r.stderr != "" {
		t.Fatalf("--base-path /gateway/pets-api/: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A target URL that already ends with the base path is not doubled.
	if r = runSplit(t, nil, gw.URL+"/gateway/pets-api", "plain-pets", "--base-path", "/gateway/pets-api"); r.code != exitOK {
		t.Fatalf("target ending with --base-path: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A wrong --base-path over a right contract names the contract's.
	_, own := serveFault(t, "plain-pets", "")
	r = runSplit(t, nil, own.URL, "plain-pets", "--base-path", "/v9")
	diagnosedFirst(t, r, "set --base-path /api", "--base-path /v9 was given; the contract's servers say /api")
}

func TestRefusedCredentialsAreDiagnosedFirstAndNotBlamedOnTheTarget(t *testing.T) {
	for _, tc := range []struct {
		contract string
		wrong    []string
		want     string
	}{
		{"problem-details", []string{"--bearer-token", "not-the-token"}, "the credentials were refused: GET /widgets answered 401 with the --bearer-token given"},
		{"genesys-ucs", []string{"--basic-auth", "demo:wrong"}, "answered 401 with the --basic-auth given"},
		// oracle-chat answers 403 to a token that fails validation
		{"oracle-chat", []string{"--bearer-token", "not-the-token"}, "answered 403 with the --bearer-token given"},
	} {
		t.Run(tc.contract, func(t *testing.T) {
			t.Parallel()
			_, srv := serveFault(t, tc.contract, "")
			r := runSplit(t, nil, srv.URL, tc.contract, tc.wrong...)
			if r.code != exitFailed {
				t.Fatalf("exit %d, want 1 (inconclusive):\n%s%s", r.code, r.stdout, r.stderr)
			}
			line := diagnosedFirst(t, r, tc.want)
			n := results(t, r, line)
			if n["inconclusive"] == 0 {
				t.Fatalf("no scenario depends on the credentials? %v", n)
			}
			// The credentials families send none or wrong ones on purpose:
			// judged, and passed (those aimed at an existing resource wait
			// for --allow-writes, which this run does not give).
			for _, s := range r.json.Scenarios {
				existing := s.Result == "skipped" && strings.HasPrefix(s.Reason, "aimed at the existing resource")
				if strings.HasPrefix(s.Family, "credentials.") && s.Result != "passed" && !existing {
					t.Errorf("%s: %s %s", s.Name, s.Result, s.Reason)
				}
			}
		})
	}
}

func TestMissingCredentialsAreDiagnosedFirst(t *testing.T) {
	target, srv := serveFault(t, "problem-details", "")
	r := runSplit(t, nil, srv.URL, "problem-details")
	if r.code != exitFailed {
		t.Fatalf("exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	line := diagnosedFirst(t, r, "no credentials for 5 secured operations: give --bearer-token TOKEN")
	if n := results(t, r, line); n["inconclusive"] == 0 || n["passed"] == 0 {
		t.Fatalf("want the scenarios that need credentials inconclusive and the rest judged: %v", n)
	}
	// With the credentials it lists, nothing is diagnosed.
	ok := runSplit(t, nil, srv.URL, "problem-details", target.Credentials...)
	if ok.code != exitOK || ok.stderr != "" || len(ok.json.Run.Warnings) != 0 {
		t.Fatalf("with working credentials: exit %d, warnings %q:\n%s%s", ok.code, ok.json.Run.Warnings, ok.stdout, ok.stderr)
	}
}

// The reference target served under another prefix, and the run command
// serve prints for it, which must work as printed.
func TestServeUnderAnotherBasePath(t *testing.T) {
	got, args := servePrinted(t, "--contract", "plain-pets", "--addr", "127.0.0.1:0", "--base-path", "/")
	line := strings.Join(args, " ")
	var url string
	for _, l := range strings.Split(got, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "serving the plain-pets reference target, conforming, at "); ok {
			url = rest
		}
	}
	if line == "" || !strings.Contains(line, "--base-path /") || url == "" || strings.HasSuffix(url, "/api") {
		t.Fatalf("serve --base-path / should serve at the root and print a run command with --base-path /:\n%s", got)
	}
	if code, out := execBinary(t, nil, args...); code != 0 {
		t.Fatalf("the printed command %q exited %d\n%s", line, code, out)
	}
	// without --base-path, the same target gets the diagnosis
	r := runSplit(t, nil, url, "plain-pets")
	diagnosedFirst(t, r, "the base path is probably wrong; set --base-path /")
}

func TestUnknownValueNameIsAUsageError(t *testing.T) {
	_, srv := serveFault(t, "problem-details", "")
	want := `apiconform %s: --value widgetid=...: no operation of contract problem-details has a parameter "widgetid"; did you mean widgetId? (parameters: colour, limit, widgetId)`
	for _, tc := range []struct {
		cmd  string
		args []string
	}{
		{"run", []string{"run", "--target", srv.URL, "--contract", "problem-details", "--bearer-token", "demo", "--value", "widgetid=w-1"}},
		{"list", []string{"list", "--contract", "problem-details", "--value", "widgetid=w-1"}},
		{"run", []string{"run", "--list-labels", "--contract", "problem-details", "--value", "widgetid=w-1"}},
	} {
		code, out := inProcessCombined(t, nil, tc.args...)
		line := strings.TrimSpace(out)
		if code != exitUsage || strings.Contains(line, "\n") || !strings.HasSuffix(line, strings.Replace(want, "%s", tc.cmd, 1)[len("apiconform "+tc.cmd+": "):]) {
			t.Errorf("%v: exit %d, want 2 and the one line\n%s\ngot:\n%s", tc.args, code, strings.Replace(want, "%s", tc.cmd, 1), out)
		}
	}
	// far from every name: no guess, the names all the same
	code, out := inProcessCombined(t, nil, "list", "--contract", "problem-details", "--value", "customer=1")
	if code != exitUsage || strings.Contains(out, "did you mean") || !strings.Contains(out, "(parameters: colour, limit, widgetId)") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	// a known name is taken, and used
	code, out = inProcessCombined(t, nil, "list", "--contract", "problem-details", "--value", "widgetId=w-404", "--focus", "getWidget.*success")
	if code != exitOK || !strings.Contains(out, "getWidget [success]") {
		t.Errorf("a known --value name: exit %d\n%s", code, out)
	}
}

// --base-path is a key of the configuration file like every run flag, and
// apiconform config shows it with its source.
func TestBasePathInTheConfiguration(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		file string
		env  []string
		args []string
		want string
	}{
		{"", nil, []string{"config", "--base-path", "/gw"}, "base-path: /gw # flag"},
		{"", []string{"APICONFORM_BASE_PATH=/"}, []string{"config"}, "base-path: / # env APICONFORM_BASE_PATH"},
		{"base-path: /api/v3\n", nil, []string{"config"}, "base-path: /api/v3 # file apiconform.yaml"},
		{"", nil, []string{"config"}, `base-path: "" # default`},
	} {
		path := filepath.Join(dir, "apiconform.yaml")
		os.Remove(path)
		if tc.file != "" {
			writeText(t, path, tc.file)
		}
		if code, out := execIn(t, dir, tc.env, tc.args...); code != exitOK || !strings.Contains(out, tc.want) {
			t.Errorf("%v %v: exit %d, want %q in:\n%s", tc.env, tc.args, code, tc.want, out)
		}
	}
	writeText(t, filepath.Join(dir, "apiconform.yaml"), "base-path: api\n")
	if code, out := execIn(t, dir, nil, "config"); code != exitUsage || !strings.Contains(out, `apiconform config: apiconform.yaml:1: base-path: invalid value "api": must start with /`) {
		t.Errorf("a bad base-path in the file: exit %d\n%s", code, out)
	}
}

// The pre-flight sends the run's own happy paths, whose answers the suite
// then judges: no scenario is sent twice, and a focused run sends nothing
// else.
func TestPreflightSendsNothingTwice(t *testing.T) {
	t.Parallel()
	url, sent := countingTarget(t, "genesys-ucs")
	r := runSplit(t, nil, url, "genesys-ucs", "--basic-auth", "demo:demo")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	successes, seen := 0, sent()
	for id, n := range seen {
		if strings.HasSuffix(id, " success") {
			successes++
		}
		if n != 1 && !strings.Contains(id, "method.head") {
			t.Errorf("scenario %q was sent %d times", id, n)
		}
	}
	if successes < 3 {
		t.Fatalf("the happy paths were not sent: %v", seen)
	}
	// a focused run, against a fresh count
	url, sent = countingTarget(t, "genesys-ucs")
	r = runSplit(t, nil, url, "genesys-ucs", "--basic-auth", "demo:demo", "--focus", `getProfile \[success`)
	if seen = sent(); r.code != exitOK || len(seen) != 2 || seen["getProfile success"] != 1 || seen["reachability"] != 1 {
		t.Fatalf("a focused run sent %v (exit %d)", seen, r.code)
	}
}

// 404s of known ids alone may be stale ids rather than a wrong base path:
// without a collection among them, the run says so only when the same GET
// finds its resource under another base path.
func TestBasePathIsNotBlamedForStaleIds(t *testing.T) {
	focus := []string{"--focus", `getPet \[success`}
	// under a gateway prefix the run cannot guess, one id GET: no diagnosis,
	// the 404 is judged
	_, gw := mounted(t, "plain-pets", "/gw")
	r := runSplit(t, nil, gw.URL, "plain-pets", focus...)
	if r.code != exitFailed || r.stderr != "" || r.json.Summary.Failed != 1 {
		t.Fatalf("a 404 of a known id alone: exit %d, summary %+v\n%s%s", r.code, r.json.Summary, r.stdout, r.stderr)
	}
	// at the root, the same GET finds the pet without the base path
	_, root := mounted(t, "plain-pets", "/")
	r = runSplit(t, nil, root.URL, "plain-pets", focus...)
	line := diagnosedFirst(t, r, "set --base-path / (GET "+root.URL+"/pets/1 answered 200")
	if n := results(t, r, line); n["inconclusive"] != 1 {
		t.Fatalf("results %v", n)
	}
}
