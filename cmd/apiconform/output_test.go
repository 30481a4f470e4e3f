package main

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/probe"
	"github.com/apiconform/apiconform/internal/report"
)

// TestNoReportNamesTheSuitesSource runs the binary with -v, its output a
// pipe, and every report, against targets with faults that fail specs, warn,
// stop a lifecycle and skip: no output and no report may carry a colour
// code or a place in apiconform's own Go code.
func TestNoReportNamesTheSuitesSource(t *testing.T) {
	t.Parallel()
	leaks := []string{"suites/conformance", ".go:", "github.com/apiconform/apiconform", "\x1b", "goroutine ", "Running Suite"}
	for _, tc := range []struct {
		contract, fault string
		extra           []string
	}{
		{"plain-pets", "bad-path-id-400", []string{"--strict"}},
		{"genesys-ucs", "no-location", []string{"--allow-writes"}},
		{"genesys-ucs", "options-no-allow", nil},
	} {
		t.Run(tc.contract+" "+tc.fault, func(t *testing.T) {
			target, srv := serveFault(t, tc.contract, tc.fault)
			dir := t.TempDir()
			files := map[string]string{"--junit-report": "junit.xml", "--json-report": "results.json", "--html-report": "report.html"}
			args := append([]string{"run", "--target", srv.URL, "--contract", tc.contract, "-v"}, target.Credentials...)
			for flag, name := range files {
				files[flag] = filepath.Join(dir, name)
				args = append(args, flag, files[flag])
			}
			code, stdout, stderr := execSplit(t, noProxyEnv(), append(args, tc.extra...)...)
			if code != exitOK && code != exitFailed || !strings.Contains(stdout, "\nFAIL ") && !strings.Contains(stdout, "  WARN ") {
				t.Fatalf("exit %d, want a failure or a warning:\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "\nPASS ") || !strings.Contains(stdout, "\nSKIP ") {
				t.Errorf("-v should show each scenario as it finishes:\n%s", stdout)
			}
			outputs := map[string]string{"stdout": stdout, "stderr": stderr}
			for _, path := range files {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				outputs[filepath.Base(path)] = string(data)
			}
			for what, text := range outputs {
				for _, leak := range leaks {
					if i := strings.Index(text, leak); i >= 0 {
						t.Errorf("%s carries %q: ...%s...", what, leak, text[max(0, i-200):min(len(text), i+200)])
					}
				}
			}
		})
	}
}

// summaryBlock is the summary's account of one scenario: from its tag line
// to the next blank line.
func summaryBlock(t *testing.T, out, tagLine string) string {
	t.Helper()
	i := strings.LastIndex(out, "\n"+tagLine+"\n")
	if i < 0 {
		t.Fatalf("the summary has no %q:\n%s", tagLine, out)
	}
	rest := out[i+1:]
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestTheSummaryIsActionable: without -v, the summary lists every failed
// scenario of the JSON report with each of its mismatches and its curl line,
// says where the transcripts are and what to export, shows no secret; and
// the curl line, run as printed with the variable exported, gets the
// answer the run got.
func TestTheSummaryIsActionable(t *testing.T) {
	srv := ucsServer(t, "envelope-wrong-uri")
	dir := t.TempDir()
	jsonFile, htmlFile := filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")
	env := noProxyEnv("APICONFORM_BASIC_AUTH=demo:demo")
	code, stdout, stderr := execSplit(t, env, "run", "--target", srv.URL, "--contract", "genesys-ucs",
		"--label-filter", "resource || method", "--json-report", jsonFile, "--html-report", htmlFile)
	if code != exitFailed {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	rep := readResults(t, jsonFile)
	var failed []report.JSONScenario
	for _, s := range rep.Scenarios {
		if s.Result == report.Failed {
			failed = append(failed, s)
		}
	}
	if len(failed) == 0 {
		t.Fatalf("the fault failed nothing:\n%s", stdout)
	}
	for _, s := range failed {
		b := summaryBlock(t, stdout, "  FAIL "+s.Name)
		for _, m := range s.Mismatches {
			level := m.Level
			if level == "contract" {
				level = "the contract"
			}
			for _, want := range []string{"[" + m.Rule + "] " + level, "expected: " + m.Expected, "because:  " + m.Source, "got:      " + m.Actual} {
				if !strings.Contains(b, want) {
					t.Errorf("%s: the summary lacks %q:\n%s", s.ID, want, b)
				}
			}
		}
		if !strings.Contains(b, "reproduce:\n      "+s.Curl+"\n") && !strings.HasSuffix(b, "reproduce:\n      "+s.Curl) {
			t.Errorf("%s: the summary lacks the curl line %s:\n%s", s.ID, s.Curl, b)
		}
		if !regexp.MustCompile(`\n    answer: HTTP/1\.1 \d{3} `).MatchString(b) {
			t.Errorf("%s: the summary does not say what came back:\n%s", s.ID, b)
		}
	}
	for _, want := range []string{
		"The full request and response of each are in the JSON report " + jsonFile + " and the HTML report " + htmlFile + ".",
		"export APICONFORM_BASIC_AUTH (USER:PASS, as --basic-auth takes it) first.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, "ZGVtbzpkZW1v") || strings.Contains(stdout+stderr, "demo:demo") {
		t.Error("the credentials show in the output")
	}

	// The printed line, as a person would paste it.
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl to run the line with")
	}
	s := failed[0]
	status := regexp.MustCompile(`< HTTP/1\.1 (\d{3})`).FindStringSubmatch(s.Transcript)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", s.Curl)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil || status == nil || !strings.HasPrefix(string(out), "HTTP/1.1 "+status[1]+" ") {
		t.Errorf("the curl line %s: %v\n%s\nwant the status of\n%s", s.Curl, err, out, s.Transcript)
	}

	// With no report, the summary says which flag keeps the transcripts.
	code, stdout, _ = execSplit(t, env, "run", "--target", srv.URL, "--contract", "genesys-ucs", "--label-filter", "resource")
	if code != exitFailed || !strings.Contains(stdout, "not kept: run again with --json-report FILE or --html-report FILE to keep them, or -v to print them.") {
		t.Errorf("exit %d; the summary should name the flags that keep the transcripts:\n%s", code, stdout)
	}
}

// TestCurlLinesOfHeaderCredentials: a --header credential is read from
// $APICONFORM_HEADER in the curl line, and the summary says to export it.
func TestCurlLinesOfHeaderCredentials(t *testing.T) {
	srv := ucsServer(t, "envelope-wrong-uri")
	const secret = "hdr-s3cret-value-42"
	jsonFile := filepath.Join(t.TempDir(), "results.json")
	code, stdout, stderr := execSplit(t, noProxyEnv("APICONFORM_HEADER=X-Tenant-Key: "+secret), "run", "--target", srv.URL, "--contract", "genesys-ucs",
		"--basic-auth", "demo:demo", "--label-filter", "resource", "--json-report", jsonFile)
	if code != exitFailed {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, secret) {
		t.Fatalf("the header's value shows:\n%s", stdout)
	}
	for _, want := range []string{`-H "$APICONFORM_HEADER"`, `-u "$APICONFORM_BASIC_AUTH"`,
		"export APICONFORM_BASIC_AUTH (USER:PASS, as --basic-auth takes it) and APICONFORM_HEADER (the --header values, 'Name: value', one a line) first."} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
	for _, s := range readResults(t, jsonFile).Scenarios {
		if s.Curl != "" && !strings.Contains(s.Curl, `-H "$APICONFORM_HEADER"`) {
			t.Errorf("%s: the curl line does not send the header: %s", s.ID, s.Curl)
		}
	}
}

// readmeInconclusive reads, from the documentation (the README and
// docs/), the messages it says the JUnit report gives an inconclusive
// scenario: the skip's and the first line after the name of a --strict
// failure, each up to "REASON".
func readmeInconclusive(t *testing.T) (skip, strict string) {
	t.Helper()
	var data []byte
	for _, f := range []string{"README.md", "docs/scenarios.md", "docs/reports.md"} {
		text, err := os.ReadFile("../../" + f)
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, text...)
	}
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`]*inconclusive[^`]*)REASON`").FindAllStringSubmatch(string(data), -1) {
		seen[m[1]] = true
	}
	for p := range seen {
		if strings.HasPrefix(p, "skipped") {
			if skip != "" {
				t.Fatalf("the README states two skip messages: %q and %q", skip, p)
			}
			skip = p
		} else {
			if strict != "" {
				t.Fatalf("the README states two strict messages: %q and %q", strict, p)
			}
			strict = p
		}
	}
	if skip == "" || strict == "" {
		t.Fatalf("the README does not state the JUnit messages of an inconclusive scenario (`... REASON`): %v", seen)
	}
	return skip, strict
}

// TestJUnitInconclusiveMessagesAreAsTheREADMESays: a target that answers
// one scenario with something that is not HTTP makes it inconclusive; its
// JUnit testcase says so in the very words the README gives.
func TestJUnitInconclusiveMessagesAreAsTheREADMESays(t *testing.T) {
	skip, strict := readmeInconclusive(t)
	h := ucsHandler(t)
	const broken = "getServerStatus success"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(probe.ScenarioHeader) != broken {
			h.ServeHTTP(w, r)
			return
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Write([]byte("SSH-2.0-OpenSSH_9.6 this is not HTTP\r\n\r\n"))
		conn.Close()
	}))
	defer srv.Close()
	junit := filepath.Join(t.TempDir(), "junit.xml")
	args := []string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo",
		"--focus", `getServerStatus \[success\]`, "--junit-report", junit}
	for _, strictRun := range []bool{false, true} {
		a := args
		if strictRun {
			a = append(a, "--strict")
		}
		code, stdout, stderr := execSplit(t, noProxyEnv(), a...)
		if code != exitFailed || !strings.Contains(stdout, "1 inconclusive") {
			t.Fatalf("strict %v: exit %d\n%s%s", strictRun, code, stdout, stderr)
		}
		var found bool
		for _, tc := range junitCases(t, junit) {
			if !strings.HasPrefix(tc.Name, "getServerStatus [success]") {
				continue
			}
			found = true
			switch {
			case !strictRun && (tc.Skipped == nil || !strings.HasPrefix(tc.Skipped.Message, skip+"no answer")):
				t.Errorf("the skip message should start %q: %+v", skip, tc.Skipped)
			case strictRun && (tc.Failure == nil || !strings.HasPrefix(tc.Failure.Message, tc.Name+"\n"+strict+"no answer")):
				t.Errorf("the failure message should be the name, then %q: %+v", strict, tc.Failure)
			}
		}
		if !found {
			t.Fatalf("no testcase of %s in the JUnit report", broken)
		}
	}
}

type junitCase struct {
	Name    string `xml:"name,attr"`
	Failure *struct {
		Message string `xml:"message,attr"`
	} `xml:"failure"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
}

func junitCases(t *testing.T, path string) []junitCase {
	t.Helper()
	var doc struct {
		Suites []struct {
			Cases []junitCase `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []junitCase
	for _, s := range doc.Suites {
		out = append(out, s.Cases...)
	}
	return out
}
