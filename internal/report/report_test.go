package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/contract"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/verdict"
)

// The sample run is shaped like a real one against a Context Services-like
// contract: a few operations, most families, path-level scenarios, one
// failure with two mismatches, one inconclusive scenario, one warning and
// skips. The browser test renders the same book.

var (
	opGetProfile    = &contract.Operation{ID: "getProfile", Method: "GET", Path: "/profiles/{ProfileId}"}
	opCreateProfile = &contract.Operation{ID: "createProfile", Method: "POST", Path: "/profiles"}
	opUpdateProfile = &contract.Operation{ID: "updateProfile", Method: "PUT", Path: "/profiles/{ProfileId}"}
	opGetServices   = &contract.Operation{ID: "getServices", Method: "GET", Path: "/profiles/{ProfileId}/services"}
	opSwitchMode    = &contract.Operation{ID: "switchMode", Method: "POST", Path: "/server/mode"}
)

const (
	failedID   = "getProfile resource.missing-id"
	failedName = "getProfile [resource.missing-id] answers 404 with the error envelope"
	// The transcript is redacted upstream: the report keeps it as given.
	failedTranscript = `> GET http://127.0.0.1:18080/cv/profiles/zzzzzzzzzzzzzzzz
> Authorization: Basic [redacted]
> X-Apiconform-Scenario: getProfile resource.missing-id
< HTTP/1.1 404 Not Found
< Content-Type: application/json
<
< {"http_method":"GET","title":"not found","uri":"http://127.0.0.1:18080/cv/profiles/zzzzzzzzzzzzzzzz"}
`
	failedCurl = `curl -i -X GET 'http://127.0.0.1:18080/cv/profiles/zzzzzzzzzzzzzzzz' -u "$APICONFORM_BASIC_AUTH" -H 'X-Apiconform-Scenario: getProfile resource.missing-id'`

	inconclusiveID     = "getServices params.out-of-range limit"
	inconclusiveReason = "the target throttled the request (429 Too Many Requests)"

	warnedID = "OPTIONS /profiles method.options"
)

func sampleRun() *Run {
	return &Run{
		Tool:    "apiconform",
		Version: "v0.4.0",
		Contract: ContractInfo{
			Name:    "genesys-ucs",
			Title:   "Genesys Context Services",
			Version: "8.5.2",
			SHA256:  "3f9a1c0d5e7b2a4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f",
			Source:  "shipped",
		},
		Target:   "http://127.0.0.1:18080/cv",
		Config:   map[string]string{"target": "http://127.0.0.1:18080", "contract": "genesys-ucs", "basic-auth": "[redacted]", "timeout": "10s"},
		Start:    time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC),
		Duration: 2347 * time.Millisecond,
		Warnings: []string{"TLS certificate verification is disabled (--insecure)"},
	}
}

// scenario makes a scenario the way the planner names them.
func scenario(o *contract.Operation, subject, method, path, family, detail, expectation string) *plan.Scenario {
	if o != nil {
		subject = o.ID
	}
	id := subject + " " + family
	name := subject + " [" + family + "]"
	if detail != "" {
		id += " " + detail
		name += " " + detail
	}
	labels := []string{plan.Label(family)}
	if g, _, ok := strings.Cut(family, "."); ok {
		labels = append(labels, g)
	}
	if o != nil {
		labels = append(labels, plan.Label(o.ID))
	}
	return &plan.Scenario{
		ID: id, Name: name + " " + expectation, Family: family, Subject: subject, Operation: o,
		Request: plan.Request{Method: method, Path: path}, Labels: labels,
	}
}

func passed(s *plan.Scenario, d time.Duration) *Record {
	return &Record{Scenario: s, Result: Passed, Verdict: &verdict.Verdict{}, Duration: d,
		Transcript: "> " + s.Request.Method + " http://127.0.0.1:18080/cv" + s.Request.Path + "\n< HTTP/1.1 200 OK\n"}
}

func skipped(s *plan.Scenario, why string) *Record {
	return &Record{Scenario: s, Result: Skipped, Reason: why}
}

func sampleBook() *Book {
	b := NewBook()
	ms := time.Millisecond
	put := b.Put
	// the happy paths
	put(passed(scenario(opGetProfile, "", "GET", opGetProfile.Path, "success", "", "answers 2xx with a body that matches its schema"), 14*ms))
	put(passed(scenario(opGetServices, "", "GET", opGetServices.Path, "success", "", "answers 2xx with a body that matches its schema"), 11*ms))
	put(skipped(scenario(opCreateProfile, "", "POST", opCreateProfile.Path, "success", "", "answers 2xx"), "a write: runs only with --allow-writes"))
	put(skipped(scenario(opUpdateProfile, "", "PUT", opUpdateProfile.Path, "success", "", "answers 2xx"), "a write: runs only with --allow-writes"))
	put(skipped(scenario(opSwitchMode, "", "POST", opSwitchMode.Path, "success", "", "answers 2xx"), "x-conformance skip: switching the mode is an operational state"))
	// the failure
	put(&Record{
		Scenario: scenario(opGetProfile, "", "GET", opGetProfile.Path, "resource.missing-id", "", "answers 404 with the error envelope"),
		Result:   Failed,
		Verdict: &verdict.Verdict{Mismatches: []verdict.Mismatch{
			{Rule: "envelope.schema", Source: "the contract (the error envelope)", Expected: "a body that matches the schema", Actual: `at /code: property "code" is missing`},
			{Rule: "envelope.echo-uri", Source: "the contract (x-conformance.envelope)", Expected: `"uri" with the path /cv/profiles/zzzzzzzzzzzzzzzz`, Actual: `"/profiles/zzzzzzzzzzzzzzzz"`},
		}},
		Duration:   9 * ms,
		Transcript: failedTranscript,
		Curl:       failedCurl,
	})
	put(passed(scenario(opGetServices, "", "GET", opGetServices.Path, "resource.missing-id", "", "answers 404 with the error envelope"), 6*ms))
	put(passed(scenario(opUpdateProfile, "", "PUT", opUpdateProfile.Path, "resource.missing-id", "", "answers 404 with the error envelope"), 7*ms))
	// the inconclusive one
	put(&Record{
		Scenario:   scenario(opGetServices, "", "GET", opGetServices.Path, "params.out-of-range", "limit", "answers 400 with the error envelope"),
		Result:     Inconclusive,
		Reason:     inconclusiveReason,
		Verdict:    &verdict.Verdict{Inconclusive: inconclusiveReason},
		Duration:   3 * ms,
		Transcript: "> GET http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services?limit=1001\n> Authorization: Basic [redacted]\n< HTTP/1.1 429 Too Many Requests\n< Retry-After: 2\n",
		Curl:       `curl -i -X GET 'http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services?limit=1001' -u "$APICONFORM_BASIC_AUTH"`,
	})
	put(passed(scenario(opGetServices, "", "GET", opGetServices.Path, "params.wrong-type", "limit", "answers 400 with the error envelope"), 5*ms))
	for _, o := range []*contract.Operation{opCreateProfile, opUpdateProfile, opSwitchMode} {
		put(passed(scenario(o, "", o.Method, o.Path, "mediatype.wrong", "", "answers 415 with the error envelope"), 4*ms))
		put(passed(scenario(o, "", o.Method, o.Path, "body.malformed", "", "answers 400 with the error envelope"), 4*ms))
	}
	put(passed(scenario(opCreateProfile, "", "POST", opCreateProfile.Path, "body.missing-property", "without FirstName", "answers 400 with the error envelope"), 5*ms))
	put(passed(scenario(opCreateProfile, "", "POST", opCreateProfile.Path, "body.missing-property", "without LastName", "answers 400 with the error envelope"), 5*ms))
	for _, o := range []*contract.Operation{opGetProfile, opCreateProfile, opUpdateProfile, opGetServices, opSwitchMode} {
		put(passed(scenario(o, "", o.Method, o.Path, "credentials.missing", "", "answers 401 with a Basic challenge"), 3*ms))
		put(passed(scenario(o, "", o.Method, o.Path, "credentials.invalid", "", "answers 401 with a Basic challenge"), 3*ms))
	}
	put(passed(scenario(opGetProfile, "", "HEAD", opGetProfile.Path, "method.head", "", "answers as GET would, with no body"), 4*ms))
	put(skipped(scenario(opGetServices, "", "HEAD", opGetServices.Path, "method.head", "", "answers as GET would, with no body"), "no known value for path parameter ProfileId"))
	// path-level scenarios
	for _, m := range []string{"DELETE", "PATCH"} {
		put(passed(scenario(nil, m+" /profiles/{ProfileId}", m, "/profiles/{ProfileId}", "method.unsupported", "", "answers 405 with Allow: GET, PUT"), 4*ms))
	}
	put(passed(scenario(nil, "PUT /profiles", "PUT", "/profiles", "method.unsupported", "", "answers 405 with Allow: POST"), 4*ms))
	warned := passed(scenario(nil, "OPTIONS /profiles", "OPTIONS", "/profiles", "method.options", "", "answers with Allow listing the declared methods"), 2*ms)
	warned.Verdict.Warnings = []verdict.Mismatch{{Rule: "options.allow", Source: "RFC 9110 section 9.3.7 (SHOULD)", Expected: "an Allow header listing POST", Actual: "no Allow header"}}
	put(warned)
	put(passed(scenario(nil, "OPTIONS /profiles/{ProfileId}", "OPTIONS", "/profiles/{ProfileId}", "method.options", "", "answers with Allow listing the declared methods"), 2*ms))
	put(passed(scenario(nil, "GET /apiconform-no-such-path", "GET", "/apiconform-no-such-path", "resource.unknown-path", "", "answers 404 with the error envelope"), 3*ms))
	return b
}

func writeJSON(t *testing.T, run *Run, b *Book) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, run, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestJSONRoundTrip(t *testing.T) {
	run, book := sampleRun(), sampleBook()
	out := writeJSON(t, run, book)
	if again := writeJSON(t, run, book); !bytes.Equal(out, again) {
		t.Fatal("two writes of the same run differ")
	}
	got, err := ReadJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := NewJSONReport(run, book)
	if !got.Run.Start.Equal(want.Run.Start) {
		t.Errorf("start: got %v, want %v", got.Run.Start, want.Run.Start)
	}
	got.Run.Start, want.Run.Start = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the report:\n got %+v\nwant %+v", got, want)
	}
	if got.Format != "apiconform-results/1" {
		t.Errorf("format %q", got.Format)
	}

	// scenarios in the book's order, with what the records said
	recs := book.Records()
	if len(got.Scenarios) != len(recs) {
		t.Fatalf("%d scenarios, want %d", len(got.Scenarios), len(recs))
	}
	for i, r := range recs {
		if got.Scenarios[i].ID != r.Scenario.ID {
			t.Fatalf("scenario %d is %q, want %q: not the book's order", i, got.Scenarios[i].ID, r.Scenario.ID)
		}
	}
	byID := map[string]JSONScenario{}
	for _, s := range got.Scenarios {
		byID[s.ID] = s
	}
	f := byID[failedID]
	if f.Result != Failed || f.Operation != "getProfile" || f.Family != "resource.missing-id" || f.Name != failedName {
		t.Errorf("failed scenario: %+v", f)
	}
	if f.Transcript != failedTranscript || f.Curl != failedCurl {
		t.Errorf("transcript or curl changed on the way:\n%s\n%s", f.Transcript, f.Curl)
	}
	if len(f.Mismatches) != 2 || f.Mismatches[0] != (JSONMismatch{Rule: "envelope.schema", Source: "the contract (the error envelope)", Expected: "a body that matches the schema", Actual: `at /code: property "code" is missing`}) {
		t.Errorf("mismatches: %+v", f.Mismatches)
	}
	if f.DurationMS != 9 {
		t.Errorf("duration_ms %v, want 9", f.DurationMS)
	}
	if !reflect.DeepEqual(f.Labels, []string{"resource.missing-id", "resource", "getProfile"}) {
		t.Errorf("labels %v", f.Labels)
	}
	if s := byID[inconclusiveID]; s.Result != Inconclusive || s.Reason != inconclusiveReason {
		t.Errorf("inconclusive scenario: %+v", s)
	}
	if s := byID[warnedID]; s.Result != Passed || len(s.Warnings) != 1 || s.Warnings[0].Rule != "options.allow" || s.Operation != "" || s.Subject != "OPTIONS /profiles" {
		t.Errorf("warned path-level scenario: %+v", s)
	}

	// the summary counts what Book.Count counts
	all, _, _ := book.Count()
	wantSum := JSONSummary{Passed: all.Passed, Failed: all.Failed, Skipped: all.Skipped, Inconclusive: all.Inconclusive, Warnings: all.Warnings, Total: all.Total()}
	if got.Summary != wantSum || wantSum.Failed != 1 || wantSum.Inconclusive != 1 || wantSum.Warnings != 1 || wantSum.Skipped != 4 {
		t.Errorf("summary %+v, want %+v", got.Summary, wantSum)
	}
}

// TestJSONFields reads the file as plain JSON, as another tool would: every
// documented field is there, with its JSON type, also where it is empty.
func TestJSONFields(t *testing.T) {
	out := writeJSON(t, sampleRun(), sampleBook())
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(m any) []string {
		var ks []string
		for k := range m.(map[string]any) {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		return ks
	}
	check := func(what string, got, want []string) {
		t.Helper()
		sort.Strings(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s keys %v, want %v", what, got, want)
		}
	}
	check("top-level", keys(doc), []string{"format", "failed_restores", "run", "summary", "scenarios"})
	if r, ok := doc["failed_restores"].([]any); !ok || len(r) != 0 {
		t.Errorf("failed_restores is %v, want []", doc["failed_restores"])
	}
	if doc["format"] != "apiconform-results/1" {
		t.Errorf("format %v", doc["format"])
	}
	check("run", keys(doc["run"]), []string{"tool", "version", "contract", "target", "config", "start", "duration_ns", "warnings"})
	check("summary", keys(doc["summary"]), []string{"passed", "failed", "skipped", "inconclusive", "warnings", "total"})
	if n := doc["summary"].(map[string]any)["total"]; n != float64(len(sampleBook().Records())) {
		t.Errorf("total %v", n)
	}
	scenarioKeys := []string{"id", "name", "operation", "subject", "method", "path", "family", "labels", "result", "reason", "warnings", "mismatches", "duration_ms", "transcript", "curl", "accepted_writes"}
	for _, s := range doc["scenarios"].([]any) {
		m := s.(map[string]any)
		check("scenario "+m["id"].(string), keys(m), scenarioKeys)
		for _, list := range []string{"labels", "warnings", "mismatches", "accepted_writes"} {
			if _, ok := m[list].([]any); !ok {
				t.Errorf("scenario %s: %s is %v, want a list (also when empty)", m["id"], list, m[list])
			}
		}
		if _, ok := m["duration_ms"].(float64); !ok {
			t.Errorf("scenario %s: duration_ms is %T, want a number", m["id"], m["duration_ms"])
		}
		for _, mm := range m["mismatches"].([]any) {
			check("mismatch", keys(mm), []string{"rule", "level", "source", "expected", "actual"})
		}
	}
	// A redacted transcript reaches the file as given, not \u003c-escaped.
	if !bytes.Contains(out, []byte(`\n> Authorization: Basic [redacted]\n> X-Apiconform-Scenario: getProfile resource.missing-id\n< HTTP/1.1 404`)) {
		t.Error("the transcript is not written as given")
	}
	if !bytes.Contains(out, []byte(`"duration_ms": 9,`)) || !bytes.Contains(out, []byte(`"duration_ns": 2347000000,`)) {
		t.Error("durations are not plain numbers")
	}
}

func TestJSONDurationPrecision(t *testing.T) {
	b := NewBook()
	b.Put(&Record{Scenario: &plan.Scenario{ID: "x", Family: "success"}, Result: Passed, Duration: 1234567 * time.Nanosecond})
	rep := NewJSONReport(nil, b)
	if d := rep.Scenarios[0].DurationMS; d != 1.235 {
		t.Errorf("duration_ms %v, want 1.235", d)
	}
	if rep.Scenarios[0].Warnings == nil || rep.Scenarios[0].Mismatches == nil || rep.Scenarios[0].Labels == nil {
		t.Error("a record without a verdict gives null lists")
	}
}

func TestReadJSONRefuses(t *testing.T) {
	good := string(writeJSON(t, sampleRun(), sampleBook()))
	for _, c := range []struct{ name, doc, want string }{
		{"newer version", strings.Replace(good, "apiconform-results/1", "apiconform-results/2", 1), `format "apiconform-results/2" is not supported: this apiconform reads "apiconform-results/1"`},
		{"another format", `{"format": "junit", "scenarios": []}`, `format "junit" is not supported`},
		{"no format", `{"scenarios": []}`, `no "format" field`},
		{"unknown result", strings.Replace(good, `"result": "inconclusive"`, `"result": "maybe"`, 1), `unknown result "maybe"`},
		{"not JSON", `<testsuites/>`, "reading JSON results"},
	} {
		_, err := ReadJSON(strings.NewReader(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func writeHTML(t *testing.T, run *Run, b *Book) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, run, b); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// cellRE finds a matrix cell: its class and its link's title.
var cellRE = regexp.MustCompile(`<td class="cell (\w+)"><a href="#([^"]+)" title="([^"]*)"`)

func TestHTMLMatrixAndDetails(t *testing.T) {
	out := writeHTML(t, sampleRun(), sampleBook())

	for _, want := range []string{
		`<table class="matrix">`,
		// group headings over their families
		`<th colspan="2" scope="colgroup">credentials</th>`,
		`<th scope="col" title="resource.missing-id">missing-id</th>`,
		`<th class="single" rowspan="2" scope="col">success</th>`,
		// rows: operations, then path-level rows named by their path
		`<th scope="row">getProfile<span class="sub">GET /profiles/{ProfileId}</span></th>`,
		`<th scope="row">/profiles<span class="sub">path-level</span></th>`,
		`<th scope="row">/apiconform-no-such-path<span class="sub">path-level</span></th>`,
		// the header
		"Genesys Context Services", "3f9a1c0d5e7b", "http://127.0.0.1:18080/cv", "2026-03-14 09:26:53 UTC", "2.347s", "apiconform v0.4.0",
		"TLS certificate verification is disabled (--insecure)",
		"does not conform",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	// A failed cell: its title lists the scenario, its link opens the details.
	var failedHref string
	for _, m := range cellRE.FindAllStringSubmatch(out, -1) {
		if m[1] == "failed" {
			if failedHref != "" {
				t.Error("more than one failed cell")
			}
			failedHref = m[2]
			if !strings.Contains(m[3], "failed: "+failedName) {
				t.Errorf("the failed cell's title %q does not name the scenario", m[3])
			}
		}
	}
	if failedHref == "" {
		t.Fatal("no failed cell in the matrix")
	}
	details := regexp.MustCompile(`(?s)<details class="case failed" id="` + failedHref + `" open>.*?</details>`).FindString(out)
	if details == "" {
		t.Fatalf("no open details with id %q for the failed cell to link to", failedHref)
	}
	for _, want := range []string{
		html.EscapeString(failedName), "envelope.schema", "envelope.echo-uri",
		html.EscapeString(`at /code: property "code" is missing`), "the contract (the error envelope)",
		html.EscapeString(failedCurl), "&gt; Authorization: Basic [redacted]", `<pre class="curl">`, `<pre class="transcript">`,
	} {
		if !strings.Contains(details, want) {
			t.Errorf("the failure's details lack %s", want)
		}
	}
	inc := regexp.MustCompile(`(?s)<details class="case inconclusive" id="s-\d+" open>.*?</details>`).FindString(out)
	if !strings.Contains(inc, inconclusiveReason) {
		t.Error("the inconclusive scenario has no details with its reason")
	}
	if !strings.Contains(out, "options.allow") || !strings.Contains(out, "an Allow header listing POST") {
		t.Error("the warning is not listed")
	}
	// every link inside the page has its target
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(out, -1) {
		if !strings.Contains(out, `id="`+m[1]+`"`) {
			t.Errorf("link to #%s has no target", m[1])
		}
	}
}

func TestHTMLCellShowsWorst(t *testing.T) {
	mk := func(id, result string, warnings int) JSONScenario {
		s := JSONScenario{ID: id, Name: id, Operation: "op", Family: "f." + id[:1], Result: result}
		for range warnings {
			s.Warnings = append(s.Warnings, JSONMismatch{Rule: "w"})
		}
		return s
	}
	// one family per case; the scenarios' first letter picks the family
	rep := &JSONReport{Format: JSONFormat, Scenarios: []JSONScenario{
		mk("a1", Passed, 0), mk("a2", Passed, 1), mk("a3", Skipped, 0), // passed with warnings
		mk("b1", Failed, 0), mk("b2", Inconclusive, 0), mk("b3", Passed, 1), // failed
		mk("c1", Inconclusive, 0), mk("c2", Passed, 1), mk("c3", Inconclusive, 0), // inconclusive, 2 of 3
		mk("d1", Skipped, 0), mk("d2", Passed, 0), // passed
		mk("e1", Skipped, 0), // skipped
	}}
	rep.Summarize()
	p := newHTMLPage(rep)
	if len(p.Rows) != 1 || len(p.Rows[0].Cells) != 5 {
		t.Fatalf("rows %+v", p.Rows)
	}
	want := []struct{ class, count string }{{"warned", "1/3"}, {"failed", "1/3"}, {"inconclusive", "2/3"}, {"passed", "1/2"}, {"skipped", "1"}}
	for i, c := range p.Rows[0].Cells {
		if c.Class != want[i].class || c.Count != want[i].count {
			t.Errorf("cell %s: %s %s, want %s %s", p.Families[i].Family, c.Class, c.Count, want[i].class, want[i].count)
		}
	}
	if p.Rows[0].Cells[1].Href != "#s-4" {
		t.Errorf("the failed cell links to %s, want the failure's details #s-4", p.Rows[0].Cells[1].Href)
	}
}

// TestHTMLSelfContained checks the report loads nothing: no stylesheet,
// script, font or image from anywhere, and no URL but those of the run's
// own data (the target, transcripts, curl lines).
func TestHTMLSelfContained(t *testing.T) {
	run, book := sampleRun(), sampleBook()
	out := writeHTML(t, run, book)
	lower := strings.ToLower(out)
	for _, bad := range []string{"<link", "<script src", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src=", "srcset", "@font-face"} {
		if strings.Contains(lower, bad) {
			t.Errorf("the report holds %q: an external asset", bad)
		}
	}
	if n := strings.Count(lower, "<script"); n != 1 {
		t.Errorf("%d script elements, want only the inline print helper", n)
	}
	// Take out every piece of the run's own data; no URL may remain.
	var data []string
	data = append(data, run.Target)
	for _, v := range run.Config {
		data = append(data, v)
	}
	for _, s := range NewJSONReport(run, book).Scenarios {
		data = append(data, s.Curl, s.Reason, s.Name)
		data = append(data, strings.Split(s.Transcript, "\n")...)
		for _, m := range append(s.Mismatches, s.Warnings...) {
			data = append(data, m.Expected, m.Actual, m.Source)
		}
	}
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) })
	rest := out
	for _, d := range data {
		if d != "" {
			rest = strings.ReplaceAll(rest, html.EscapeString(d), "")
		}
	}
	for _, scheme := range []string{"http://", "https://", "//fonts.", "//cdn"} {
		if i := strings.Index(rest, scheme); i >= 0 {
			t.Errorf("the report refers to %q outside the run's data: ...%s...", scheme, rest[max(0, i-80):min(len(rest), i+80)])
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	b := NewBook()
	evil := `getProfile [success] <script>alert("x")</script> & "quotes"`
	b.Put(&Record{
		Scenario:   &plan.Scenario{ID: "evil", Name: evil, Family: "success", Subject: `<b>op</b>`, Operation: &contract.Operation{ID: `<b>op</b>`}},
		Result:     Failed,
		Verdict:    &verdict.Verdict{Mismatches: []verdict.Mismatch{{Rule: "body.schema", Expected: "<i>json</i>", Actual: `</pre><script>alert(2)</script>`}}},
		Transcript: "< HTTP/1.1 200 OK\n<\n< <html><script>alert(3)</script></html>\n",
		Curl:       `curl -i 'http://x/?a=<script>'`,
	})
	run := sampleRun()
	run.Contract.Title = "</title><script>alert(4)</script>"
	out := writeHTML(t, run, b)
	for _, raw := range []string{"<script>alert", "</title><script>", "</pre><script>", "<b>op", "<i>json", "<html><script>"} {
		if strings.Contains(out, raw) {
			t.Errorf("the report holds %q unescaped", raw)
		}
	}
	if strings.Count(strings.ToLower(out), "<script") != 1 {
		t.Error("a script element from the data reached the report")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;quotes&#34;") {
		t.Error("the scenario name is not shown escaped")
	}
}

// TestFailedRestores: a change the suite could not undo comes first in
// both reports, and fails the run in the HTML's verdict.
func TestFailedRestores(t *testing.T) {
	const msg = "could not switch /server/mode back to production: 503 Service Unavailable"
	run, book := sampleRun(), sampleBook()
	book.RestoreFailed(msg)

	out := writeJSON(t, run, book)
	if i, j := bytes.Index(out, []byte(`"failed_restores"`)), bytes.Index(out, []byte(`"run"`)); i < 0 || i > j {
		t.Error("failed_restores does not come before the run in the JSON")
	}
	rep, err := ReadJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.FailedRestores, []string{msg}) {
		t.Errorf("failed_restores %v", rep.FailedRestores)
	}

	page := writeHTML(t, run, book)
	i, j := strings.Index(page, html.EscapeString(msg)), strings.Index(page, `<table class="matrix">`)
	if i < 0 || i > j || !strings.Contains(page, `role="alert"`) {
		t.Error("the HTML does not show the failed restore before the matrix")
	}
	if !strings.Contains(page, `<div class="verdict failed" role="status"><span aria-hidden="true">✗</span> run failed: target not restored</div>`) {
		t.Error("the HTML's verdict does not say the run failed")
	}
	if p := writeHTML(t, run, sampleBook()); strings.Contains(p, `role="alert"`) {
		t.Error("a run whose restores all worked shows a failed restore")
	}
}

// TestHTMLOpensFewFailures: a few failures are all open; of many, only the
// first, so that the page stays a list a person can scan.
func TestHTMLOpensFewFailures(t *testing.T) {
	open := func(n int) []bool {
		rep := &JSONReport{Format: JSONFormat}
		for i := range n {
			rep.Scenarios = append(rep.Scenarios, JSONScenario{ID: fmt.Sprint(i), Operation: "op", Family: "success", Result: Failed})
		}
		var out []bool
		for _, c := range newHTMLPage(rep).Cases {
			out = append(out, c.Open)
		}
		return out
	}
	if got := open(3); !reflect.DeepEqual(got, []bool{true, true, true}) {
		t.Errorf("3 failures: open %v", got)
	}
	if got := open(5); !reflect.DeepEqual(got, []bool{true, false, false, false, false}) {
		t.Errorf("5 failures: open %v", got)
	}
}
