package main

// Hostile text on the console: a contract and a target that hold escape
// sequences a terminal would obey, and line breaks that would forge lines.

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"
)

// evilContract has escape sequences in its title, version and operation id
// (which names scenarios), a line break that would forge a PASS line, and
// a right-to-left override in a path.
const evilContract = `openapi: 3.0.3
info:
  title: "Evil \e]0;pwned\a title \u202eolleh"
  version: "1\e[2J"
paths:
  "/items\u202e/{id}":
    get:
      operationId: "get\e[5mItem\nPASS forged"
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
        "404": {description: not found, content: {application/json: {schema: {type: object, required: [code], properties: {code: {type: string}}}}}}
`

// evilBody is what the target answers: OSC 52 (write the clipboard), clear
// the screen, an 8-bit CSI, a carriage return and a new window title.
const evilBody = "{\"msg\":\"\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b31m\rover\x1b]0;owned\x07\"}"

// terminalSafe fails the test for any character of out a terminal would
// act on: C0 controls but line feed and tab, DEL, C1 controls, the marks
// that reorder text.
func terminalSafe(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		bad := (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
			(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
		if bad {
			lo := max(0, i-60)
			t.Errorf("%s holds %U at byte %d: %q", what, r, i, out[lo:min(len(out), i+20)])
			return
		}
	}
}

func TestHostileTextIsEscapedOnTheConsole(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "evil.yaml")
	if err := os.WriteFile(file, []byte(evilContract), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<16))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, evilBody)
	}))
	defer srv.Close()
	junit, jsonFile, htmlFile := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")

	t.Run("run -v", func(t *testing.T) {
		code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", file, "-v",
			"--junit-report", junit, "--json-report", jsonFile, "--html-report", htmlFile)
		if code != exitFailed {
			t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
		}
		terminalSafe(t, "stdout", stdout)
		terminalSafe(t, "stderr", stderr)
		for _, want := range []string{
			`apiconform dev: contract evil (Evil \x1b]0;pwned\x07 title \u202eolleh 1\x1b[2J), `,
			`FAIL get\x1b[5mItem\nPASS forged [resource.missing-id] answers 404 with the error envelope`,
			`INCONCLUSIVE POST /items\u202e/{id} [method.unsupported]`,
			`< {"msg":"\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b31m\rover\x1b]0;owned\x07"}`,
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, stdout)
			}
		}
		for _, line := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(line, "PASS forged") {
				t.Errorf("a line break of the contract forged a line: %q", line)
			}
		}
	})
	t.Run("the reports keep the text", func(t *testing.T) {
		rep := readResults(t, jsonFile)
		if want := "Evil \x1b]0;pwned\a title \u202eolleh"; rep.Run.Contract.Title != want {
			t.Errorf("JSON title %q, want %q", rep.Run.Contract.Title, want)
		}
		var body bool
		for _, s := range rep.Scenarios {
			body = body || strings.Contains(s.Transcript, evilBody)
		}
		if !body {
			t.Error("no JSON transcript keeps the body as it came")
		}
		data, err := os.ReadFile(junit)
		if err != nil {
			t.Fatal(err)
		}
		// XML 1.0 allows no control character but tab, line feed and
		// carriage return, not even escaped.
		for i, c := range data {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				t.Fatalf("the JUnit report holds byte %#x at %d: not XML 1.0", c, i)
			}
		}
		var suites reporters.JUnitTestSuites
		if err := xml.Unmarshal(data, &suites); err != nil || suites.Tests == 0 {
			t.Errorf("the JUnit report does not read (%d tests): %v", suites.Tests, err)
		}
		if !bytes.Contains(data, []byte("Evil \uFFFD]0;pwned\uFFFD title")) {
			t.Error("the JUnit report should keep the title, its control characters replaced")
		}
	})
	t.Run("list", func(t *testing.T) {
		code, stdout, stderr := inProcessApart(t, nil, "list", "--contract", file)
		if code != 0 || !strings.Contains(stdout, `get\x1b[5mItem\nPASS forged [success]`) {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		terminalSafe(t, "list", stdout+stderr)
	})
	t.Run("merge", func(t *testing.T) {
		mergedJUnit := filepath.Join(dir, "merged.xml")
		code, stdout, stderr := inProcessApart(t, nil, "merge", "--json-report", filepath.Join(dir, "merged.json"), "--junit-report", mergedJUnit, jsonFile)
		if code != exitFailed || !strings.Contains(stdout, "contract evil") {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		terminalSafe(t, "merge", stdout+stderr)
		data, _ := os.ReadFile(mergedJUnit)
		for i, c := range data {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				t.Fatalf("the merged JUnit report holds byte %#x at %d: not XML 1.0", c, i)
			}
		}
		var suites reporters.JUnitTestSuites
		if err := xml.Unmarshal(data, &suites); err != nil || suites.Tests == 0 {
			t.Errorf("the merged JUnit report does not read (%d tests): %v", suites.Tests, err)
		}
	})
	t.Run("errors quoting the contract", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.yaml")
		doc := strings.Replace(evilContract, `"/items\u202e/{id}":`, `"items\e]0;owned\a/{id}":`, 1)
		if err := os.WriteFile(bad, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out := inProcessCombined(t, nil, "list", "--contract", bad)
		if code != exitUsage || !strings.Contains(out, `items\x1b]0;owned\x07`) {
			t.Fatalf("exit %d, want 2 quoting the path escaped:\n%s", code, out)
		}
		terminalSafe(t, "the error", out)
		code, out = execBinary(t, nil, "serve", "--contract", "evil\x1b]0;owned\x07")
		if code != exitUsage || !strings.Contains(out, `evil\x1b]0;owned`) {
			t.Fatalf("serve: exit %d, want 2 quoting the name escaped:\n%s", code, out)
		}
		terminalSafe(t, "serve", out)
	})
}
