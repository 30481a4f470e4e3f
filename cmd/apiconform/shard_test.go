package main

import (
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/internal/plan"
	"github.com/apiconform/apiconform/internal/report"
)

// listNames runs `apiconform list` and returns the scenario names it prints.
func listNames(t *testing.T, args ...string) []string {
	t.Helper()
	code, out, stderr := inProcessApart(t, nil, append([]string{"list", "--contract", "genesys-ucs"}, args...)...)
	if code != exitOK {
		t.Fatalf("list %v: exit %d\n%s", args, code, stderr)
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, _, ok := strings.Cut(line, "  [")
		if !ok {
			t.Fatalf("list %v: a line without labels: %q", args, line)
		}
		names = append(names, name)
	}
	return names
}

// TestShardedListsPartitionThePlan: for 1 to 4 shards, the shards' lists
// together are the plan, no scenario twice, and each lifecycle, state flow
// and the throttling flow lies in one shard.
func TestShardedListsPartitionThePlan(t *testing.T) {
	p, err := loadPlan("genesys-ucs", nil)
	if err != nil {
		t.Fatal(err)
	}
	whole := listNames(t)
	var planNames []string
	for _, s := range p.All() {
		planNames = append(planNames, s.Name)
	}
	if !reflect.DeepEqual(whole, planNames) {
		t.Fatalf("list without --shard is not the plan")
	}
	// The flows whose steps depend on each other.
	var flows [][]*plan.Scenario
	for _, l := range p.Lifecycles {
		flows = append(flows, append(append([]*plan.Scenario{l.Create}, l.Steps...), l.Delete, l.Gone))
	}
	for _, f := range p.States {
		flows = append(flows, f.Scenarios())
	}
	flows = append(flows, []*plan.Scenario{p.Throttle.Burst, p.Throttle.Recover})
	if len(flows) < 3 {
		t.Fatalf("genesys-ucs should have lifecycles, states and throttling; %d flows", len(flows))
	}
	for n := 1; n <= 4; n++ {
		shardOf := map[string]int{}
		for i := 1; i <= n; i++ {
			names := listNames(t, "--shard", fmt.Sprintf("%d/%d", i, n))
			if n > 1 && len(names) == len(whole) {
				t.Errorf("shard %d/%d holds the whole plan", i, n)
			}
			for _, name := range names {
				if prev, dup := shardOf[name]; dup {
					t.Errorf("n=%d: %q is in shard %d and shard %d", n, name, prev, i)
				}
				shardOf[name] = i
			}
		}
		if len(shardOf) != len(whole) {
			t.Errorf("n=%d: the shards list %d scenarios, the plan has %d", n, len(shardOf), len(whole))
		}
		for _, name := range whole {
			if shardOf[name] == 0 {
				t.Errorf("n=%d: %q is in no shard", n, name)
			}
		}
		for _, flow := range flows {
			for _, s := range flow {
				if s != nil && shardOf[s.Name] != shardOf[flow[0].Name] {
					t.Errorf("n=%d: %q is in shard %d, but its flow starts in shard %d", n, s.Name, shardOf[s.Name], shardOf[flow[0].Name])
				}
			}
		}
	}
}

// shardRun is one run of the binary against a reference target of its own.
type shardRun struct {
	code        int
	out         string
	json, junit string
	target      string
	// created are the ids of the resources the lifecycles created.
	created []string
}

// createdLocation is the Location of a created resource in a transcript.
var createdLocation = regexp.MustCompile(`(?m)^< Location: \S*/([^/\s]+)$`)

// readCreated finds the ids of the resources a run's lifecycles created.
func (r *shardRun) readCreated(t *testing.T) {
	for _, s := range loadShardResults(t, r.json).Scenarios {
		if strings.HasSuffix(s.ID, " create") {
			for _, m := range createdLocation.FindAllStringSubmatch(s.Transcript, -1) {
				r.created = append(r.created, m[1])
			}
		}
	}
}

// runAgainstOwnTarget runs apiconform against a fresh genesys-ucs reference
// target with the fault; it reports problems as errors, being called from
// several goroutines.
func runAgainstOwnTarget(dir, name, fault string, args []string) (shardRun, error) {
	target, err := fixtures.Lookup("genesys-ucs")
	if err != nil {
		return shardRun{}, err
	}
	h, err := target.Handler(fault)
	if err != nil {
		return shardRun{}, err
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	r := shardRun{json: filepath.Join(dir, name+".json"), junit: filepath.Join(dir, name+".xml"), target: srv.URL}
	all := append([]string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--no-color",
		"--json-report", r.json, "--junit-report", r.junit}, target.Credentials...)
	cmd := binaryCommand(append(all, args...)...)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	r.out = string(out)
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		return r, err
	}
	if r.code > exitFailed {
		return r, fmt.Errorf("%s: exit %d\n%s", name, r.code, out)
	}
	return r, nil
}

// stable is a scenario's result without what differs between two runs of
// the same scenario: the duration, the target's address, Date headers and
// the ids the target gave the resources the suite created.
func stable(s report.JSONScenario, r shardRun) report.JSONScenario {
	s.DurationMS = 0
	s.Transcript = stableText(s.Transcript, r)
	s.Curl = stableText(s.Curl, r)
	return s
}

func stableText(text string, r shardRun) string {
	text = strings.ReplaceAll(text, r.target, "TARGET")
	for _, id := range r.created {
		text = strings.ReplaceAll(text, id, "CREATED")
	}
	lines := strings.Split(text, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.HasPrefix(l, "< Date: ") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func loadShardResults(t *testing.T, path string) *report.JSONReport {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := report.ReadJSON(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rep
}

func readJUnit(t *testing.T, path string) reporters.JUnitTestSuites {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(doc.TestSuites) != 1 {
		t.Fatalf("%s: %d testsuites", path, len(doc.TestSuites))
	}
	return doc
}

// TestShardedRunsMergeIntoTheUnshardedRun runs the plan in N shards, each
// against a reference target of its own, merges their JSON reports and
// compares the merged JSON and JUnit reports with those of one unsharded
// run: the same scenarios with the same results, reasons, mismatches,
// warnings, transcripts and failure messages. A conforming target, a
// target that fails many scenarios, one that only warns, and --strict.
func TestShardedRunsMergeIntoTheUnshardedRun(t *testing.T) {
	xmllint, _ := exec.LookPath("xmllint")
	if xmllint == "" && os.Getenv("CI") == "true" {
		t.Fatal("xmllint is missing: .ci/run installs libxml2-utils")
	}
	noDisruptive := []string{"--allow-writes", "--label-filter", "!disruptive"}
	cases := []struct {
		fault  string
		shards []int
		args   []string
	}{
		{"", []int{1, 2, 3, 4}, noDisruptive},
		// The disruptive flows take seconds: one split only.
		{"", []int{2}, []string{"--allow-writes", "--allow-disruptive"}},
		{"envelope-missing-code", []int{3}, noDisruptive},
		{"envelope-missing-code", []int{2}, append([]string{"--strict"}, noDisruptive...)},
		{"options-no-allow", []int{3}, noDisruptive},
	}
	for _, tc := range cases {
		for _, n := range tc.shards {
			t.Run(fmt.Sprintf("%s/%d shards/%s", tc.fault, n, strings.Join(tc.args, " ")), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				// the unsharded run and the shards, all at once
				runs := make([]shardRun, n+1)
				errs := make([]error, n+1)
				var wg sync.WaitGroup
				for i := 0; i <= n; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if i == 0 {
							runs[0], errs[0] = runAgainstOwnTarget(dir, "whole", tc.fault, tc.args)
							return
						}
						args := append([]string{"--shard", fmt.Sprintf("%d/%d", i, n)}, tc.args...)
						runs[i], errs[i] = runAgainstOwnTarget(dir, fmt.Sprintf("shard%d", i), tc.fault, args)
					}()
				}
				wg.Wait()
				for _, err := range errs {
					if err != nil {
						t.Fatal(err)
					}
				}
				for i := range runs {
					runs[i].readCreated(t)
				}
				whole := runs[0]
				// The merge takes the shards in any order.
				mergeArgs := []string{"merge", "--json-report", filepath.Join(dir, "merged.json"), "--junit-report", filepath.Join(dir, "merged.xml"),
					"--html-report", filepath.Join(dir, "merged.html")}
				for i := n; i >= 1; i-- {
					mergeArgs = append(mergeArgs, runs[i].json)
				}
				code, out := execBinary(t, nil, mergeArgs...)
				if code != whole.code {
					t.Fatalf("merge exited %d, the unsharded run %d:\n%s\nunsharded:\n%s", code, whole.code, out, whole.out)
				}
				if tc.fault != "" && code != exitFailed && !strings.Contains(strings.Join(tc.args, " "), "--strict") && tc.fault != "options-no-allow" {
					t.Fatalf("the fault %s should fail the run", tc.fault)
				}
				compareJSON(t, loadShardResults(t, whole.json), loadShardResults(t, filepath.Join(dir, "merged.json")), runs, n)
				compareJUnit(t, whole, filepath.Join(dir, "merged.xml"), runs[1:])
				if xmllint != "" {
					if out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", filepath.Join(dir, "merged.xml")).CombinedOutput(); err != nil {
						t.Errorf("the merged JUnit report is not valid:\n%s", out)
					}
				}
				if html, err := os.ReadFile(filepath.Join(dir, "merged.html")); err != nil || !strings.Contains(string(html), "genesys-ucs") {
					t.Errorf("no merged HTML report: %v", err)
				}
			})
		}
	}
}

func compareJSON(t *testing.T, whole, merged *report.JSONReport, runs []shardRun, n int) {
	t.Helper()
	if merged.Summary != whole.Summary {
		t.Errorf("merged summary %+v, unsharded %+v", merged.Summary, whole.Summary)
	}
	if merged.Summary.Total == 0 {
		t.Fatal("nothing ran")
	}
	if !reflect.DeepEqual(merged.Run.Contract, whole.Run.Contract) || merged.Run.Version != whole.Run.Version || !reflect.DeepEqual(merged.FailedRestores, whole.FailedRestores) {
		t.Errorf("merged run %+v, unsharded %+v", merged.Run, whole.Run)
	}
	for k, v := range whole.Run.Config {
		if k != "shard" && merged.Run.Config[k] != v {
			t.Errorf("config %s: merged %q, unsharded %q", k, merged.Run.Config[k], v)
		}
	}
	var wantShard []string
	for i := 1; i <= n; i++ {
		wantShard = append(wantShard, fmt.Sprintf("%d/%d", i, n))
	}
	if got := merged.Run.Config["shard"]; got != strings.Join(wantShard, ", ") {
		t.Errorf("merged config shard %q", got)
	}
	// Each shard ran against its own target: a scenario is compared with
	// its target's address taken out.
	runOf := map[string]shardRun{}
	for _, r := range runs[1:] {
		for _, s := range loadShardResults(t, r.json).Scenarios {
			runOf[s.ID] = r
		}
	}
	byID := map[string]report.JSONScenario{}
	for _, s := range whole.Scenarios {
		byID[s.ID] = stable(s, runs[0])
	}
	if len(merged.Scenarios) != len(whole.Scenarios) {
		t.Errorf("merged %d scenarios, unsharded %d", len(merged.Scenarios), len(whole.Scenarios))
	}
	for _, s := range merged.Scenarios {
		want, ok := byID[s.ID]
		if !ok {
			t.Errorf("merged scenario %q is not in the unsharded run", s.ID)
			continue
		}
		if got := stable(s, runOf[s.ID]); !reflect.DeepEqual(got, want) {
			t.Errorf("scenario %q differs:\nmerged    %+v\nunsharded %+v", s.ID, got, want)
		}
	}
	// In the order of the plan.
	p, err := loadPlan("genesys-ucs", nil)
	if err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{}
	for i, id := range planIDs(p) {
		rank[id] = i
	}
	for k := 1; k < len(merged.Scenarios); k++ {
		if rank[merged.Scenarios[k-1].ID] > rank[merged.Scenarios[k].ID] {
			t.Fatalf("merged scenarios are not in plan order at %q", merged.Scenarios[k].ID)
		}
	}
}

// compareJUnit compares the merged JUnit report with Ginkgo's report of the
// unsharded run, testcase by testcase. Ginkgo also lists the specs a label
// filter left out, as plainly "skipped"; no JSON results hold them, and the
// merged report leaves them out.
func compareJUnit(t *testing.T, whole shardRun, mergedPath string, shards []shardRun) {
	t.Helper()
	w, m := readJUnit(t, whole.junit), readJUnit(t, mergedPath)
	type testcase struct{ status, failure, skipped, out string }
	cases := func(doc reporters.JUnitTestSuites, runOf map[string]shardRun) (map[string]testcase, []string) {
		out := map[string]testcase{}
		var warnings []string
		for _, c := range doc.TestSuites[0].TestCases {
			if c.Skipped != nil && c.Skipped.Message == "skipped" {
				continue
			}
			tc := testcase{status: c.Status, out: c.SystemOut}
			if c.Failure != nil {
				tc.failure = stableText(c.Failure.Message, runOf[c.Name])
			}
			if c.Skipped != nil {
				tc.skipped = c.Skipped.Message
			}
			out[c.Name] = tc
		}
		for _, p := range doc.TestSuites[0].Properties.Properties {
			if strings.HasPrefix(p.Name, "apiconform.warning.") {
				warnings = append(warnings, p.Value)
			}
		}
		sort.Strings(warnings)
		return out, warnings
	}
	wholeRun := map[string]shardRun{}
	shardRunOf := map[string]shardRun{}
	for _, c := range w.TestSuites[0].TestCases {
		wholeRun[c.Name] = whole
	}
	for _, s := range shards {
		for _, c := range readJUnit(t, s.junit).TestSuites[0].TestCases {
			if c.Skipped == nil || c.Skipped.Message != "skipped" {
				shardRunOf[c.Name] = s
			}
		}
	}
	wc, ww := cases(w, wholeRun)
	mc, mw := cases(m, shardRunOf)
	if len(wc) == 0 || len(mc) != len(wc) {
		t.Errorf("the merged JUnit report has %d testcases, the unsharded %d (not counting the filtered)", len(mc), len(wc))
	}
	for name, want := range wc {
		if got, ok := mc[name]; !ok {
			t.Errorf("testcase %q is missing from the merged report", name)
		} else if got != want {
			t.Errorf("testcase %q differs:\nmerged    %+v\nunsharded %+v", name, got, want)
		}
	}
	if !reflect.DeepEqual(mw, ww) {
		t.Errorf("warning properties differ:\nmerged    %q\nunsharded %q", mw, ww)
	}
	ws, ms := w.TestSuites[0], m.TestSuites[0]
	if ms.Failures != ws.Failures || ms.Name != ws.Name || ms.TestCases[0].Classname != ws.TestCases[0].Classname {
		t.Errorf("merged suite %q: %d failures; unsharded %q: %d", ms.Name, ms.Failures, ws.Name, ws.Failures)
	}
	props := func(s reporters.JUnitTestSuite) map[string]string {
		out := map[string]string{}
		for _, p := range s.Properties.Properties {
			switch {
			case !strings.HasPrefix(p.Name, "apiconform."), strings.HasPrefix(p.Name, "apiconform.warning."),
				p.Name == "apiconform.start", p.Name == "apiconform.target", p.Name == "apiconform.config.shard":
			default:
				out[p.Name] = p.Value
			}
		}
		return out
	}
	if got, want := props(ms), props(ws); !reflect.DeepEqual(got, want) || len(want) < 10 {
		t.Errorf("suite properties differ:\nmerged    %v\nunsharded %v", got, want)
	}
}
