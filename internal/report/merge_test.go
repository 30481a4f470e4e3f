package report

import (
	"bytes"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/apiconform/apiconform/internal/verdict"
)

// split deals the sample run's scenarios to n reports, as n shards would
// have written them: scenario k goes to report k%n, each report with the
// run's description and its own shard, start and duration.
func split(t *testing.T, n int) (*JSONReport, []MergeInput) {
	t.Helper()
	whole := NewJSONReport(sampleRun(), sampleBook())
	var ins []MergeInput
	for i := 0; i < n; i++ {
		r := NewJSONReport(sampleRun(), NewBook())
		r.Run.Config = map[string]string{}
		for k, v := range whole.Run.Config {
			r.Run.Config[k] = v
		}
		r.Run.Config["shard"] = string(rune('1'+i)) + "/" + string(rune('0'+n))
		r.Run.Start = whole.Run.Start.Add(time.Duration(i) * time.Second)
		r.Run.Duration = time.Second
		ins = append(ins, MergeInput{Name: "shard" + string(rune('1'+i)) + ".json", Report: r})
	}
	for k, s := range whole.Scenarios {
		r := ins[k%n].Report
		r.Scenarios = append(r.Scenarios, s)
		r.Summarize()
	}
	return whole, ins
}

func ids(r *JSONReport) []string {
	var out []string
	for _, s := range r.Scenarios {
		out = append(out, s.ID)
	}
	return out
}

func TestMergeOfShardsIsTheWholeRun(t *testing.T) {
	whole, ins := split(t, 3)
	// the inputs in another order than the shards: the order of the IDs
	// given decides
	ins[0], ins[2] = ins[2], ins[0]
	got, err := Merge(ins, ids(whole))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Scenarios, whole.Scenarios) {
		t.Errorf("merged scenarios differ from the whole run's:\n got %v\nwant %v", ids(got), ids(whole))
	}
	if got.Summary != whole.Summary {
		t.Errorf("summary %+v, want %+v", got.Summary, whole.Summary)
	}
	if !got.Run.Start.Equal(whole.Run.Start) || got.Run.Duration != 3*time.Second {
		t.Errorf("the merged run spans %v from %v; want 3s from the first shard's start", got.Run.Duration, got.Run.Start)
	}
	if got.Run.Config["shard"] != "3/3, 2/3, 1/3" || got.Run.Config["contract"] != "genesys-ucs" {
		t.Errorf("config %v: a value the shards differ on lists each, one they share stays", got.Run.Config)
	}
	if got.Run.Target != whole.Run.Target || !reflect.DeepEqual(got.Run.Warnings, whole.Run.Warnings) {
		t.Errorf("target %q, warnings %v", got.Run.Target, got.Run.Warnings)
	}
	// Without an order, by ID.
	got, err = Merge(ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(got.Scenarios); k++ {
		if got.Scenarios[k-1].ID > got.Scenarios[k].ID {
			t.Fatalf("without a plan the scenarios must be sorted by id: %v", ids(got))
		}
	}
	// An ID the plan does not have: the reports are not of that plan.
	if _, err := Merge(ins, []string{failedID}); err == nil || !strings.Contains(err.Error(), "is not in the plan of the contract genesys-ucs") {
		t.Errorf("a scenario not in the plan: %v", err)
	}
}

func TestMergeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(ins []MergeInput)
		want  string
	}{
		{"another contract", func(ins []MergeInput) { ins[1].Report.Run.Contract.SHA256 = "0000" }, "merge reports of one contract"},
		{"another version", func(ins []MergeInput) { ins[1].Report.Run.Version = "v9" }, "merge reports of one version"},
		{"another format", func(ins []MergeInput) { ins[1].Report.Format = "apiconform-results/2" }, "apiconform-results/2"},
		{"a scenario twice", func(ins []MergeInput) {
			ins[1].Report.Scenarios = append(ins[1].Report.Scenarios, ins[0].Report.Scenarios[0])
		}, "is in both shard1.json and shard2.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ins := split(t, 2)
			tc.spoil(ins)
			_, err := Merge(ins, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	if _, err := Merge(nil, nil); err == nil {
		t.Error("merging nothing must be an error")
	}
}

// TestMergeKeepsFailedRestores: a restore that failed in one shard fails
// the merged run.
func TestMergeKeepsFailedRestores(t *testing.T) {
	_, ins := split(t, 2)
	ins[1].Report.FailedRestores = []string{"RESTORE FAILED: maintenance"}
	got, err := Merge(ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.FailedRestores, []string{"RESTORE FAILED: maintenance"}) {
		t.Errorf("failed restores %v", got.FailedRestores)
	}
}

func TestExplain(t *testing.T) {
	book := sampleBook()
	rec := book.Get(failedID)
	got := ExplainRecord(rec, "")
	want := failedName + "\n2 mismatches:\n" +
		"  - " + rec.Verdict.Mismatches[0].String() + "\n" +
		"  - " + rec.Verdict.Mismatches[1].String() + "\n" +
		"exchange (scenario id \"" + failedID + "\"):\n" + failedTranscript + "\n" +
		"reproduce:\n  " + failedCurl + "\n" +
		"  # export APICONFORM_BASIC_AUTH (USER:PASS, as --basic-auth takes it) first\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A strict failure on warnings alone lists the warnings; a headline
	// comes second.
	w := &Record{Scenario: book.Get(warnedID).Scenario, Result: Failed, Verdict: &verdict.Verdict{Warnings: book.Get(warnedID).Verdict.Warnings}}
	got = ExplainRecord(w, StrictInconclusive("why"))
	if !strings.HasPrefix(got, w.Scenario.Name+"\ninconclusive, and --strict is set: why\n1 mismatch:\n  - [options.allow] expected an Allow header listing POST; got no Allow header (source: RFC 9110 section 9.3.7 (SHOULD))\n") {
		t.Errorf("warnings and headline:\n%s", got)
	}
}

// TestJUnitOfJSON: the JUnit report of JSON results names, fails, skips and
// annotates each testcase as the run's own JUnit report does (see
// WriteJUnit and the suite's conclude).
func TestJUnitOfJSON(t *testing.T) {
	run, book := sampleRun(), sampleBook()
	rep := NewJSONReport(run, book)
	var buf bytes.Buffer
	if err := WriteJUnitJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc reporters.JUnitTestSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if len(doc.TestSuites) != 1 {
		t.Fatalf("%d suites", len(doc.TestSuites))
	}
	s := doc.TestSuites[0]
	if s.Name != "apiconform genesys-ucs" || s.Tests != len(book.Records()) || s.Failures != 1 || s.Skipped != 5 || doc.Failures != 1 || doc.Disabled != 5 {
		t.Errorf("suite %q: %d tests, %d failures, %d skipped", s.Name, s.Tests, s.Failures, s.Skipped)
	}
	if s.Timestamp != "2026-03-14T09:26:53" || s.Time != 2.347 {
		t.Errorf("timestamp %q, time %v", s.Timestamp, s.Time)
	}
	props := map[string]string{}
	for _, p := range s.Properties.Properties {
		props[p.Name] = p.Value
	}
	for k, v := range JUnitProperties(run) {
		if props[k] != v {
			t.Errorf("property %s = %q, want %q", k, props[k], v)
		}
	}
	if props["apiconform.run.warning.1"] != run.Warnings[0] || props["apiconform.config.basic-auth"] != "[redacted]" {
		t.Errorf("run warning or redacted config missing: %v", props)
	}
	byName := map[string]reporters.JUnitTestCase{}
	for _, tc := range s.TestCases {
		byName[tc.Name] = tc
	}
	f := byName[failedName]
	if f.Failure == nil || f.Failure.Message != ExplainRecord(book.Get(failedID), "") || f.Status != "failed" || f.Time != 0.009 {
		t.Errorf("failed testcase: %+v", f)
	}
	inc := byName[book.Get(inconclusiveID).Scenario.Name]
	if inc.Skipped == nil || inc.Skipped.Message != "skipped - inconclusive: "+inconclusiveReason || inc.Status != "skipped" {
		t.Errorf("inconclusive testcase: %+v", inc)
	}
	for _, r := range book.Records() {
		if r.Result == Skipped {
			if tc := byName[r.Scenario.Name]; tc.Skipped == nil || tc.Skipped.Message != "skipped - "+r.Reason {
				t.Errorf("skipped testcase %q: %+v", r.Scenario.Name, tc.Skipped)
			}
		}
	}
	warned := book.Get(warnedID)
	wline := warned.Verdict.Warnings[0].String()
	if tc := byName[warned.Scenario.Name]; tc.SystemOut != "warning: "+wline+"\n" || tc.Status != "passed" {
		t.Errorf("warned testcase: %+v", tc)
	}
	if props["apiconform.warning.1"] != warned.Scenario.Name+": "+wline {
		t.Errorf("the warning is not a suite property: %q", props["apiconform.warning.1"])
	}

	// A strict run fails its inconclusive scenarios, with the headline.
	rep.Run.Config = map[string]string{"strict": "true"}
	doc = JUnitOfJSON(rep)
	for _, tc := range doc.TestSuites[0].TestCases {
		if tc.Name == inc.Name {
			want := ExplainRecord(book.Get(inconclusiveID), StrictInconclusive(inconclusiveReason))
			if tc.Failure == nil || tc.Failure.Message != want || tc.Skipped != nil {
				t.Errorf("strict inconclusive testcase: %+v", tc)
			}
		}
	}
	if doc.Failures != 2 {
		t.Errorf("strict: %d failures, want 2", doc.Failures)
	}
}

// TestMergeTakesTheReachabilityChecks: the check a shard that could not
// reach its target reports is in no plan, and is merged all the same.
func TestMergeTakesTheReachabilityChecks(t *testing.T) {
	whole, ins := split(t, 2)
	ins[1].Report.Scenarios = append(ins[1].Report.Scenarios, JSONScenario{ID: "reachability shard 2/2", Family: ReachFamily, Result: Failed})
	got, err := Merge(ins, ids(whole))
	if err != nil {
		t.Fatal(err)
	}
	if last := got.Scenarios[len(got.Scenarios)-1]; last.ID != "reachability shard 2/2" {
		t.Errorf("the check should come after the plan's scenarios, got %q last", last.ID)
	}
	ins[1].Report.Scenarios[len(ins[1].Report.Scenarios)-1].Family = "success"
	if _, err := Merge(ins, ids(whole)); err == nil {
		t.Error("a scenario of another family named like the check was merged")
	}
}
