package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/verdict"
)

// stoppedShards are the JSON reports of two shards of one run. Shard 1 ran
// a writes lifecycle whose create failed: its later steps are skipped
// records that say so, as the suite settles them, and its cleanup failed
// on a scenario that had passed. Shard 2 ran with a label filter, so it
// has scenarios the filter left out, and an inconclusive one.
func stoppedShards() (lifecycle []*plan.Scenario, ins []MergeInput) {
	ms := time.Millisecond
	create := scenario(opCreateProfile, "profiles: createProfile", "POST", opCreateProfile.Path, "success", "create", "answers a declared 2xx")
	read := scenario(opGetProfile, "profiles: getProfile", "GET", opGetProfile.Path, "success", "read back", "answers a declared 2xx")
	update := scenario(opUpdateProfile, "profiles: updateProfile", "PUT", opUpdateProfile.Path, "success", "update", "answers a declared 2xx")
	gone := scenario(opGetProfile, "profiles: getProfile", "GET", opGetProfile.Path, "success", "after delete", "answers 404")
	lifecycle = []*plan.Scenario{create, read, update, gone}
	stopped := `not run: the profiles lifecycle stopped after "` + create.Name + `" failed`

	b1 := NewBook()
	b1.Put(passed(scenario(opGetProfile, "", "GET", opGetProfile.Path, "credentials.missing", "", "answers 401"), 3*ms))
	b1.Put(&Record{Scenario: create, Result: Failed, Duration: 5 * ms, Transcript: "> POST /profiles\n< HTTP/1.1 201 Created\n", Curl: "curl -i -X POST",
		Verdict: &verdict.Verdict{Mismatches: []verdict.Mismatch{{Rule: "header.required", Level: "contract", Source: "the contract", Expected: "a Location header on 201", Actual: "no Location header"}}}})
	b1.Put(skipped(read, stopped))
	b1.Put(skipped(update, stopped))
	b1.Put(skipped(gone, stopped))
	// a pass the cleanup after it turned into a failure
	b1.Put(&Record{Scenario: scenario(opSwitchMode, "", "POST", opSwitchMode.Path, "success", "", "answers 2xx"), Result: Failed,
		Reason: "cleanup: the resource 42 the suite created could not be deleted", Verdict: &verdict.Verdict{}, Duration: 2 * ms})

	b2 := NewBook()
	b2.Put(passed(scenario(opGetServices, "", "GET", opGetServices.Path, "credentials.missing", "", "answers 401"), 3*ms))
	b2.Put(skipped(scenario(opGetServices, "", "GET", opGetServices.Path, "success", "", "answers 2xx"), `not run: left out by --label-filter "credentials"`))
	b2.Put(&Record{Scenario: scenario(opGetServices, "", "GET", opGetServices.Path, "credentials.invalid", "", "answers 401"), Result: Inconclusive,
		Reason: inconclusiveReason, Verdict: &verdict.Verdict{Inconclusive: inconclusiveReason}, Duration: ms})

	for i, b := range []*Book{b1, b2} {
		run := sampleRun()
		run.Config["shard"] = strconv.Itoa(i+1) + "/2"
		ins = append(ins, MergeInput{Name: "shard" + strconv.Itoa(i+1) + ".json", Report: NewJSONReport(run, b)})
	}
	return lifecycle, ins
}

// TestMergeKeepsStoppedLifecycles: a merge keeps every scenario of every
// shard, the steps of a lifecycle that stopped after a failed create
// among them, each with its reason; and the merged JSON summary, JUnit
// report and HTML report count the same.
func TestMergeKeepsStoppedLifecycles(t *testing.T) {
	lifecycle, ins := stoppedShards()
	// read back as a merge reads the shards' files
	for i := range ins {
		var buf bytes.Buffer
		if err := EncodeJSON(&buf, ins[i].Report); err != nil {
			t.Fatal(err)
		}
		rep, err := ReadJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		ins[i].Report = rep
	}
	merged, err := Merge(ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := len(ins[0].Report.Scenarios) + len(ins[1].Report.Scenarios)
	want := JSONSummary{Passed: 2, Failed: 2, Skipped: 4, Inconclusive: 1, Total: n}
	if merged.Summary != want || len(merged.Scenarios) != n {
		t.Fatalf("merged summary %+v of %d scenarios; want %+v", merged.Summary, len(merged.Scenarios), want)
	}
	byID := map[string]JSONScenario{}
	for _, s := range merged.Scenarios {
		byID[s.ID] = s
	}
	for _, s := range lifecycle[1:] {
		got, ok := byID[s.ID]
		if !ok {
			t.Errorf("the merge dropped %q, a step of the stopped lifecycle", s.ID)
			continue
		}
		if got.Result != Skipped || !strings.Contains(got.Reason, "stopped after") || !strings.Contains(got.Reason, lifecycle[0].Name) {
			t.Errorf("%q: %s, reason %q; want skipped, naming the failed create", s.ID, got.Result, got.Reason)
		}
	}

	// JUnit: one testcase per scenario, counted alike.
	doc := JUnitOfJSON(merged)
	suite := doc.TestSuites[0]
	c := merged.Summary
	if suite.Tests != c.Total || suite.Failures != c.Failed || suite.Errors != 0 || suite.Skipped != c.Skipped+c.Inconclusive ||
		doc.Tests != c.Total || doc.Failures != c.Failed || doc.Disabled != c.Skipped+c.Inconclusive {
		t.Errorf("JUnit counts %d tests, %d failures, %d errors, %d skipped; the JSON %+v", suite.Tests, suite.Failures, suite.Errors, suite.Skipped, c)
	}
	cases := map[string]bool{}
	for _, tc := range suite.TestCases {
		cases[tc.Name] = true
		if tc.Name == lifecycle[1].Name && (tc.Skipped == nil || !strings.HasPrefix(tc.Skipped.Message, "skipped - not run: the profiles lifecycle stopped after")) {
			t.Errorf("the skipped step's testcase: %+v", tc.Skipped)
		}
		// the rule's level goes through the JSON into the failure text
		if tc.Name == lifecycle[0].Name && (tc.Failure == nil || !strings.Contains(tc.Failure.Message, "(source: the contract; contract)")) {
			t.Errorf("the create's failure should name its rule's level: %+v", tc.Failure)
		}
		if strings.HasPrefix(tc.Name, "switchMode [success]") && (tc.Failure == nil || !strings.Contains(tc.Failure.Message, "\ncleanup: the resource 42")) {
			t.Errorf("a failure with no mismatch should carry its reason: %+v", tc.Failure)
		}
	}
	for _, s := range merged.Scenarios {
		if !cases[s.Name] {
			t.Errorf("no JUnit testcase for %q", s.Name)
		}
	}

	// HTML: the tiles count alike.
	var page bytes.Buffer
	if err := RenderHTML(&page, merged); err != nil {
		t.Fatal(err)
	}
	tiles := map[string]int{}
	for _, m := range regexp.MustCompile(`class="tile (\w+)"><div class="n">(\d+)<`).FindAllStringSubmatch(page.String(), -1) {
		tiles[m[1]], _ = strconv.Atoi(m[2])
	}
	if tiles["passed"] != c.Passed || tiles["failed"] != c.Failed || tiles["skipped"] != c.Skipped || tiles["inconclusive"] != c.Inconclusive {
		t.Errorf("HTML tiles %v; the JSON %+v", tiles, c)
	}
	for _, s := range lifecycle[1:] {
		if !strings.Contains(page.String(), s.Name) {
			t.Errorf("the HTML report lacks %q", s.Name)
		}
	}
}

// TestArrange: the book lists its records in the order the reports list
// the scenarios, those not named after, in their own order.
func TestArrange(t *testing.T) {
	b := NewBook()
	for _, id := range []string{"a", "b", "c", "d"} {
		b.Put(skipped(&plan.Scenario{ID: id}, "x"))
	}
	b.Arrange([]string{"c", "a", "zz", "c"})
	var got []string
	for _, r := range b.Records() {
		got = append(got, r.Scenario.ID)
	}
	if strings.Join(got, " ") != "c a b d" {
		t.Errorf("order %v, want c a b d", got)
	}
}
