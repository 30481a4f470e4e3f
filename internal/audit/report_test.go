package audit

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func badLinesReport(t *testing.T) *Report {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "fixtures", "logs", "ucs-bad-lines.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := New(loadShipped(t, "genesys-ucs"), Options{Slow: 500 * time.Millisecond})
	if err := a.Read("ucs-bad-lines.log", f); err != nil {
		t.Fatal(err)
	}
	return a.Report()
}

type junitDoc struct {
	XMLName xml.Name `xml:"testsuites"`
	Tests   int      `xml:"tests,attr"`
	Fails   int      `xml:"failures,attr"`
	Suites  []struct {
		Tests      int `xml:"tests,attr"`
		Failures   int `xml:"failures,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitHasACasePerOperationAndOneForUnknownRoutes(t *testing.T) {
	r := badLinesReport(t)
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the JUnit report does not parse: %v\n%s", err, buf.String())
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d testsuites, want 1", len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Tests != len(r.Operations)+1 || len(s.Cases) != s.Tests || doc.Tests != s.Tests {
		t.Fatalf("%d testcases for %d operations", len(s.Cases), len(r.Operations))
	}
	props := map[string]string{}
	for _, p := range s.Properties {
		props[p.Name] = p.Value
	}
	if props["contract"] != "genesys-ucs" || len(props["contract.sha256"]) != 64 || props["contract.sha256"] != r.Contract.SHA256 || props["file"] != "ucs-bad-lines.log" {
		t.Errorf("properties: %v", props)
	}
	failed := map[string]string{}
	for _, c := range s.Cases {
		if c.Failure != nil {
			failed[c.Name] = c.Failure.Message + "\n" + c.Failure.Text
		} else if c.SystemOut == "" {
			t.Errorf("passing testcase %q says nothing of its requests", c.Name)
		}
	}
	want := map[string][]string{
		"getProfile GET /profiles/{ProfileId}": {"418 (2)", "[status.declared] 418", "ucs-bad-lines.log:3 ", "ucs-bad-lines.log:20 "},
		"createProfile POST /profiles":         {"502 (1)", "ucs-bad-lines.log:5 "},
		"getServerStatus GET /server/status":   {"303 (1)", "ucs-bad-lines.log:6 ", "declares 200, 500, 503"},
		UnknownRoutesCase:                      {"3 requests", "GET /cv/admin/console", "ucs-bad-lines.log:10 ", "DELETE /cv/server/status", "does not declare the method", "GET /server/status", "lacks the base path"},
	}
	if len(failed) != len(want) || s.Failures != len(want) || doc.Fails != len(want) {
		t.Errorf("failed testcases: %v", keys(failed))
	}
	for name, parts := range want {
		for _, p := range parts {
			if !strings.Contains(failed[name], p) {
				t.Errorf("failure of %q lacks %q:\n%s", name, p, failed[name])
			}
		}
	}
	// A clean audit: nothing fails, unknown routes included.
	clean := New(loadShipped(t, "genesys-ucs"), Options{}).Report()
	buf.Reset()
	WriteJUnit(&buf, clean)
	if strings.Contains(buf.String(), "<failure") {
		t.Errorf("an empty audit has failures:\n%s", buf.String())
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestJSONReportIsVersionedAndComplete(t *testing.T) {
	r := badLinesReport(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, r) {
		t.Errorf("the JSON report does not read back as written")
	}
	var raw map[string]any
	json.Unmarshal(buf.Bytes(), &raw)
	if raw["format"] != "apiconform-audit/1" || raw["passed"] != false {
		t.Errorf("format %v passed %v", raw["format"], raw["passed"])
	}
	for _, k := range []string{"contract", "files", "slow_threshold_ms", "lines", "operations", "unknown_routes", "options_requests", "slow", "undeclared_requests"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in the JSON report", k)
		}
	}
	// Empty lists are [] rather than null, in an empty audit too.
	buf.Reset()
	WriteJSON(&buf, New(loadShipped(t, "genesys-ucs"), Options{}).Report())
	if strings.Contains(buf.String(), "null") {
		t.Errorf("null in the JSON report:\n%s", buf.String())
	}
}

func TestSummaryShowsEveryFinding(t *testing.T) {
	var buf bytes.Buffer
	WriteSummary(&buf, badLinesReport(t))
	out := buf.String()
	for _, want := range []string{
		"contract genesys-ucs", "base path /cv", "21 lines read from ucs-bad-lines.log: 15 parsed, 5 unparsed, 1 blank",
		"getServerStatus", "200:2 303!:1 500:1", "25.0%",
		"undeclared statuses (4 requests)", "[status.declared] 418: 2 requests", "ucs-bad-lines.log:3  2010-04-02 14:33:40  GET /cv/profiles/00027a5C4T0R001F -> 418 (3 ms)",
		"unknown routes (3 requests)", "GET /cv/admin/console (no such path)",
		"slow requests (over 500 ms): 2", "POST /cv/profiles -> 502 (30001 ms)",
		"unparsed lines: 5", "ucs-bad-lines.log:15: the line ends before",
		"OPTIONS on paths that do not declare it (counted, not judged): 1",
		"result: failed: 4 requests answered a status the operation does not declare; 3 requests went to routes the contract does not have",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestShownNeutralisesWhatALogCanCarry(t *testing.T) {
	for in, want := range map[string]string{
		"/cv/a b":                "/cv/a b",
		"/cv/\x1b[31mred":        "/cv/\uFFFD[31mred",
		"/cv/\xff\xfe":           "/cv/\uFFFD\uFFFD",
		"/cv/caf\u00e9":          "/cv/caf\u00e9",
		strings.Repeat("x", 300): strings.Repeat("x", maxShown) + "...",
	} {
		if got := shown([]byte(in)); got != want {
			t.Errorf("shown(%q) = %q, want %q", in, got, want)
		}
	}
}
