package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/catalog"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/verdict"
)

// block is the part of a summary about one scenario: from its tag line to
// the next blank line.
func block(t *testing.T, out, tagLine string) string {
	t.Helper()
	i := strings.Index(out, "\n"+tagLine+"\n")
	if i < 0 {
		t.Fatalf("no %q in the summary:\n%s", tagLine, out)
	}
	rest := out[i+1:]
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestSummaryListsEveryMismatchAndTheCurlLine(t *testing.T) {
	book := sampleBook()
	var out bytes.Buffer
	Summary(&out, book, time.Second, SummaryOptions{JSON: "out/results.json", HTML: "out/report.html"})
	s := out.String()
	rec := book.Get(failedID)
	b := block(t, s, "  FAIL "+rec.Scenario.Name)
	for _, m := range rec.Verdict.Mismatches {
		for _, want := range []string{"[" + m.Rule + "]", "expected: " + m.Expected, "because:  " + m.Source, "got:      " + m.Actual} {
			if !strings.Contains(b, want) {
				t.Errorf("the failure lacks %q:\n%s", want, b)
			}
		}
	}
	for _, want := range []string{"answer: HTTP/1.1 404 Not Found, Content-Type: application/json", "reproduce:\n      " + failedCurl} {
		if !strings.Contains(b, want) {
			t.Errorf("the failure lacks %q:\n%s", want, b)
		}
	}
	inc := block(t, s, "  INCONCLUSIVE "+book.Get(inconclusiveID).Scenario.Name)
	if !strings.Contains(inc, inconclusiveReason) || !strings.Contains(inc, "answer: HTTP/1.1 429 Too Many Requests") || !strings.Contains(inc, "curl -i -X GET") {
		t.Errorf("the inconclusive scenario lacks its reason, answer or curl line:\n%s", inc)
	}
	for _, want := range []string{
		"The full request and response of each are in the JSON report out/results.json and the HTML report out/report.html.",
		"The curl lines read the run's credentials from the environment: export APICONFORM_BASIC_AUTH (USER:PASS, as --basic-auth takes it) first.",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("the summary lacks %q:\n%s", want, s)
		}
	}
	// The failures come last, where a terminal leaves the eye.
	if strings.Index(s, "failures (1):") < strings.Index(s, "warnings (") || strings.Index(s, "failures (1):") < strings.Index(s, "inconclusive (") {
		t.Errorf("the failures should follow the warnings and the inconclusive scenarios:\n%s", s)
	}

	out.Reset()
	Summary(&out, book, time.Second, SummaryOptions{})
	if !strings.Contains(out.String(), "not kept: run again with --json-report FILE or --html-report FILE") {
		t.Errorf("a run with no report should name the flags that keep the transcripts:\n%s", out.String())
	}
}

func TestSummaryOfAStrictFailureOnWarnings(t *testing.T) {
	book := NewBook()
	s := scenario(opGetProfile, "", "GET", opGetProfile.Path, "params.wrong-type", "", "answers 400")
	book.Put(&Record{Scenario: s, Result: Failed, Verdict: &verdict.Verdict{Warnings: []verdict.Mismatch{
		{Rule: "status.explicit", Level: catalog.Should, Source: "OpenAPI 3 Responses Object", Expected: "400 declared", Actual: "only default covers it"},
	}}, Curl: "curl -I 'http://h/x'"})
	var out bytes.Buffer
	Summary(&out, book, time.Second, SummaryOptions{Strict: true})
	b := block(t, out.String(), "  FAIL "+s.Name)
	if !strings.Contains(b, "[status.explicit] SHOULD: a failure, since --strict is set") || !strings.Contains(b, "curl -I 'http://h/x'") {
		t.Errorf("a strict failure should say why a SHOULD fails it:\n%s", b)
	}
	if strings.Contains(out.String(), "export ") {
		t.Errorf("a curl line with no variable needs no export:\n%s", out.String())
	}
}

// TestSummaryBounds: a target that fails everything still gets a summary a
// person can read, and every bound says what it left out and where it is.
func TestSummaryBounds(t *testing.T) {
	book := NewBook()
	long := strings.Repeat("x", valueShown+50)
	n := shownInFull + 5
	for i := 0; i < n; i++ {
		s := scenario(nil, fmt.Sprintf("GET /p%02d", i), "GET", "/p", "resource.unknown-path", "", "answers 404")
		v := &verdict.Verdict{}
		for j := 0; j < mismatchesShown+2; j++ {
			v.Mismatches = append(v.Mismatches, verdict.Mismatch{Rule: fmt.Sprintf("rule.%d", j), Level: catalog.Must, Source: "RFC 9110", Expected: "e" + long, Actual: "a"})
		}
		book.Put(&Record{Scenario: s, Result: Failed, Verdict: v, Curl: "curl -i -X GET 'http://h/p'"})
	}
	var out bytes.Buffer
	Summary(&out, book, time.Second, SummaryOptions{JSON: "r.json"})
	s := out.String()
	first := block(t, s, "  FAIL "+book.Records()[0].Scenario.Name)
	if c := strings.Count(first, "expected: "); c != mismatchesShown {
		t.Errorf("%d mismatches shown, want %d:\n%s", c, mismatchesShown, first)
	}
	if !strings.Contains(first, "... 2 more (rule.5, rule.6): all in the JSON report r.json") {
		t.Errorf("the left-out mismatches are not named:\n%s", first)
	}
	if !strings.Contains(first, fmt.Sprintf("... (%d characters in all)", valueShown+51)) || strings.Contains(first, long) {
		t.Errorf("a long value is not cut, or not said to be:\n%s", first)
	}
	if !strings.Contains(s, "\n  5 more, a line each: their mismatches and curl lines are in the JSON report r.json\n") {
		t.Errorf("the failures beyond %d are not announced:\n%s", shownInFull, s)
	}
	last := book.Records()[n-1].Scenario.Name
	if !strings.Contains(s, "  FAIL "+last+" [rule.0, rule.1, rule.2, rule.3, rule.4, rule.5, rule.6]\n") {
		t.Errorf("a failure beyond the bound lacks its line:\n%s", s)
	}
	if c := strings.Count(s, "reproduce:"); c != shownInFull {
		t.Errorf("%d curl lines, want %d", c, shownInFull)
	}
}

func TestExplainSaysWhatTheCurlLineNeeds(t *testing.T) {
	s := JSONScenario{Name: "n", ID: "i", Curl: `curl -i -X GET 'http://h/x' -H "$APICONFORM_HEADER"`}
	got := Explain(&s, "")
	if !strings.HasSuffix(got, "reproduce:\n  "+s.Curl+"\n  # export APICONFORM_HEADER (the --header values, 'Name: value', one a line) first\n") {
		t.Errorf("explain:\n%s", got)
	}
	s.Curl = "curl -i -X GET 'http://h/x'"
	if got := Explain(&s, ""); strings.Contains(got, "#") {
		t.Errorf("a line that runs as it is needs no note:\n%s", got)
	}
}

// Scenarios made inconclusive by one cause are listed with the cause once;
// a reason of its own stays beside its scenario, in full.
func TestSummaryGroupsInconclusiveScenariosByReason(t *testing.T) {
	const wrong = "404 Not Found, not judged: the base path is probably wrong"
	b := NewBook()
	put := func(id, reason string) {
		b.Put(&Record{Scenario: &plan.Scenario{ID: id, Name: id + " answers"}, Result: Inconclusive, Reason: reason})
	}
	put("a", wrong)
	put("b", "no answer within the timeout")
	put("c", wrong)
	put("d", wrong)
	var out bytes.Buffer
	Summary(&out, b, time.Second, SummaryOptions{})
	got := out.String()
	if n := strings.Count(got, wrong); n != 1 {
		t.Fatalf("the shared reason is said %d times, want once:\n%s", n, got)
	}
	want := "  INCONCLUSIVE a answers\n  INCONCLUSIVE c answers\n  INCONCLUSIVE d answers\n       these 3: " + wrong + "\n"
	if !strings.Contains(got, want) {
		t.Fatalf("summary:\n%s\nwant the block:\n%s", got, want)
	}
	if !strings.Contains(got, "  INCONCLUSIVE b answers\n    no answer within the timeout\n") {
		t.Fatalf("the scenario with a reason of its own is not listed with it:\n%s", got)
	}
}
