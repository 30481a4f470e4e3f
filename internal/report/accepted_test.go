package report

import (
	"bytes"
	"html"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/verdict"
)

// acceptedBook is the sample book with two writes the target accepted where
// it should have refused: one the suite deleted again, one it could not
// undo (listed among the failed restores, as the suite does).
func acceptedBook() (*Book, *Record, *Record) {
	b := sampleBook()
	status := func(got string) *verdict.Verdict {
		return &verdict.Verdict{Mismatches: []verdict.Mismatch{{Rule: "body.wrong-type.status", Expected: "400 Bad Request", Actual: got}}}
	}
	undone := &Record{
		Scenario: scenario(opCreateProfile, "", "POST", opCreateProfile.Path, "body.wrong-type", "FirstName as a number", "answers 400 with the error envelope"),
		Result:   Failed, Verdict: status("201 Created"), Duration: time.Millisecond,
		Transcript: "> POST http://127.0.0.1:18080/cv/profiles\n< HTTP/1.1 201 Created",
		Curl:       "curl -i -X POST 'http://127.0.0.1:18080/cv/profiles'",
		Accepted: &AcceptedWrite{
			Method: "POST", URL: "http://127.0.0.1:18080/cv/profiles", Status: 201, Location: "/cv/profiles/AAAABBBBCCCCDDDD",
			Undone:     true,
			Undo:       "DELETE http://127.0.0.1:18080/cv/profiles/AAAABBBBCCCCDDDD answered 204, and GET http://127.0.0.1:18080/cv/profiles/AAAABBBBCCCCDDDD answered 404",
			Commands:   []string{"curl -i -X POST 'http://127.0.0.1:18080/cv/profiles'", "curl -i -X DELETE 'http://127.0.0.1:18080/cv/profiles/AAAABBBBCCCCDDDD'"},
			Transcript: "> DELETE http://127.0.0.1:18080/cv/profiles/AAAABBBBCCCCDDDD\n< HTTP/1.1 204 No Content",
		},
	}
	stuck := &Record{
		Scenario: scenario(opGetServices, "", "POST", opGetServices.Path, "body.wrong-type", "service_type as a number", "answers 400 with the error envelope"),
		Result:   Failed, Verdict: status("201 Created"), Duration: time.Millisecond,
		Transcript: "> POST http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services\n< HTTP/1.1 201 Created",
		Curl:       "curl -i -X POST 'http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services'",
		Accepted: &AcceptedWrite{
			Method: "POST", URL: "http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services", Status: 201,
			Undo:     "the contract has no DELETE for what a POST to /profiles/{ProfileId}/services makes, so the suite cannot remove it",
			Commands: []string{"curl -i -X POST 'http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services'"},
		},
	}
	b.Put(undone)
	b.Put(stuck)
	b.RestoreFailed(stuck.Accepted.FailedRestore(stuck.Scenario.Name))
	return b, undone, stuck
}

// TestAcceptedWriteSentences: the sentence every report says an accepted
// write with, and the failed restore of one the suite could not undo.
func TestAcceptedWriteSentences(t *testing.T) {
	_, undone, stuck := acceptedBook()
	if got, want := undone.Accepted.Accepted(), "the target accepted POST http://127.0.0.1:18080/cv/profiles (201, Location: /cv/profiles/AAAABBBBCCCCDDDD); data may have changed"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := stuck.Accepted.Accepted(); got != "the target accepted POST http://127.0.0.1:18080/cv/profiles/00027a5C4T0R001E/services (201); data may have changed" {
		t.Errorf("without a Location: %s", got)
	}
	if got := undone.Accepted.Outcome(); !strings.HasPrefix(got, "undone: DELETE ") {
		t.Errorf("outcome %s", got)
	}
	msg := stuck.Accepted.FailedRestore(stuck.Scenario.Name)
	for _, want := range []string{
		"RESTORE FAILED: in \"" + stuck.Scenario.Name + "\" the target accepted POST ",
		"and the suite could not undo it: the contract has no DELETE",
		"\nCheck and undo it by hand; the request the target accepted:\n  curl -i -X POST ",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failed restore lacks %q:\n%s", want, msg)
		}
	}
}

// TestAcceptedWritesInEveryReport: the terminal summary, the JSON (read
// back), the HTML and the failure message JUnit carries all say what the
// target accepted and what the suite did about it.
func TestAcceptedWritesInEveryReport(t *testing.T) {
	book, undone, stuck := acceptedBook()
	run := sampleRun()

	var sum bytes.Buffer
	Summary(&sum, book, time.Second, SummaryOptions{})
	for _, r := range []*Record{undone, stuck} {
		if !strings.Contains(sum.String(), "  ACCEPTED "+r.Scenario.Name+"\n       "+r.Accepted.Accepted()+"\n       "+r.Accepted.Outcome()+"\n") {
			t.Errorf("the summary does not list %q:\n%s", r.Scenario.Name, sum.String())
		}
	}
	if !strings.Contains(sum.String(), "!!!!!!!!!!\nRESTORE FAILED: ") {
		t.Errorf("the summary does not show the failed restore first:\n%s", sum.String())
	}

	rep, err := ReadJSON(bytes.NewReader(writeJSON(t, run, book)))
	if err != nil {
		t.Fatal(err)
	}
	var withWrites int
	for _, s := range rep.Scenarios {
		switch s.ID {
		case undone.Scenario.ID:
			withWrites++
			if !reflect.DeepEqual(s.AcceptedWrites, []AcceptedWrite{*undone.Accepted}) {
				t.Errorf("accepted_writes %+v", s.AcceptedWrites)
			}
		case stuck.Scenario.ID:
			withWrites++
			if len(s.AcceptedWrites) != 1 || s.AcceptedWrites[0].Undone || s.AcceptedWrites[0].Location != "" {
				t.Errorf("accepted_writes %+v", s.AcceptedWrites)
			}
		default:
			if s.AcceptedWrites == nil || len(s.AcceptedWrites) != 0 {
				t.Errorf("scenario %s: accepted_writes %v, want []", s.ID, s.AcceptedWrites)
			}
		}
	}
	if withWrites != 2 || len(rep.FailedRestores) != 1 {
		t.Errorf("%d scenarios with writes, %d failed restores", withWrites, len(rep.FailedRestores))
	}

	page := writeHTML(t, run, book)
	for _, want := range []string{
		`<section class="accepted"`,
		"The target accepted 2 writes it should have refused: data may have changed",
		html.EscapeString(undone.Accepted.Accepted()),
		"<strong>NOT UNDONE:</strong> " + html.EscapeString(stuck.Accepted.Undo),
		"<h3>Data</h3>",
		html.EscapeString(undone.Accepted.Transcript),
		"run failed: target not restored",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML lacks %q", want)
		}
	}
	if p := writeHTML(t, run, sampleBook()); strings.Contains(p, `<section class="accepted"`) {
		t.Error("a run with no accepted write shows the section")
	}

	// JUnit carries the failure message, of a run and of JSON results
	for _, r := range []*Record{undone, stuck} {
		msg := ExplainRecord(r, "")
		if !strings.Contains(msg, "\n"+r.Accepted.Accepted()+"\n"+r.Accepted.Outcome()+"\n") {
			t.Errorf("the failure message does not say it:\n%s", msg)
		}
	}
	if msg := ExplainRecord(undone, ""); !strings.Contains(msg, "undo:\n"+undone.Accepted.Transcript+"\n") || strings.Contains(msg, "by hand") {
		t.Errorf("an undone write's message:\n%s", msg)
	}
	if msg := ExplainRecord(stuck, ""); !strings.Contains(msg, "check and undo it by hand (the request the target accepted, then what the suite sent to undo it):\n  curl -i -X POST") {
		t.Errorf("a write not undone lacks the curl lines:\n%s", msg)
	}
	for _, tc := range JUnitOfJSON(rep).TestSuites[0].TestCases {
		if tc.Name == stuck.Scenario.Name && (tc.Failure == nil || !strings.Contains(tc.Failure.Message, "NOT UNDONE: ")) {
			t.Errorf("the JUnit testcase of the write not undone: %+v", tc.Failure)
		}
	}
}
