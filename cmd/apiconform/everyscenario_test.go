package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/reporters"

	"github.com/apiconform/apiconform/internal/report"
)

// tally is what every report of a run must count alike.
type tally struct{ total, passed, failed, skipped, inconclusive int }

var (
	plannedLine = regexp.MustCompile(`(\d+) scenarios planned`)
	summaryLine = regexp.MustCompile(`apiconform: (\d+) scenarios in \S+: (\d+) passed, (\d+) failed, (\d+) inconclusive, (\d+) skipped`)
	htmlTile    = regexp.MustCompile(`class="tile (\w+)"><div class="n">(\d+)<`)
)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// terminalTally reads the counts of the terminal summary, and how many
// scenarios the run said it planned.
func terminalTally(t *testing.T, stdout string) (tally, int) {
	t.Helper()
	m, p := summaryLine.FindStringSubmatch(stdout), plannedLine.FindStringSubmatch(stdout)
	if m == nil || p == nil {
		t.Fatalf("no summary or plan line in the output:\n%s", stdout)
	}
	return tally{atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[5]), atoi(m[4])}, atoi(p[1])
}

func jsonTally(rep *report.JSONReport) tally {
	s := rep.Summary
	return tally{s.Total, s.Passed, s.Failed, s.Skipped, s.Inconclusive}
}

// junitTally counts the testcases by what they show (an inconclusive
// scenario is a skip whose message says so) and checks that the testsuite's
// attributes say the same. It returns the testcase names too.
func junitTally(t *testing.T, path string) (tally, []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc reporters.JUnitTestSuites
	if err := xml.Unmarshal(data, &doc); err != nil || len(doc.TestSuites) != 1 {
		t.Fatalf("%s: %v, %d testsuites", path, err, len(doc.TestSuites))
	}
	suite := doc.TestSuites[0]
	var c tally
	var names []string
	for _, tc := range suite.TestCases {
		names = append(names, tc.Name)
		c.total++
		switch {
		case tc.Failure != nil || tc.Error != nil:
			c.failed++
		case tc.Skipped != nil && strings.HasPrefix(tc.Skipped.Message, "skipped - inconclusive: "):
			c.inconclusive++
		case tc.Skipped != nil:
			c.skipped++
		default:
			c.passed++
		}
	}
	if suite.Tests != c.total || suite.Failures+suite.Errors != c.failed || suite.Skipped != c.skipped+c.inconclusive || suite.Disabled != 0 ||
		doc.Tests != c.total || doc.Failures+doc.Errors != c.failed || doc.Disabled != c.skipped+c.inconclusive {
		t.Errorf("%s: the testsuite counts %d tests, %d failures, %d errors, %d skipped, %d disabled; its testcases %+v",
			path, suite.Tests, suite.Failures, suite.Errors, suite.Skipped, suite.Disabled, c)
	}
	return c, names
}

func htmlTally(t *testing.T, path string) tally {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, m := range htmlTile.FindAllStringSubmatch(string(data), -1) {
		n[m[1]] = atoi(m[2])
	}
	return tally{n["total"], n["passed"], n["failed"], n["skipped"], n["inconclusive"]}
}

// checkReports checks that the terminal summary (when given), the JSON,
// the JUnit and the HTML reports count the same, and that JSON and JUnit
// list the same scenarios, once each. It returns the JSON results.
func checkReports(t *testing.T, term *tally, jsonFile, junitFile, htmlFile string) *report.JSONReport {
	t.Helper()
	rep := readResults(t, jsonFile)
	j := jsonTally(rep)
	if j.total != len(rep.Scenarios) || j.total != j.passed+j.failed+j.skipped+j.inconclusive {
		t.Errorf("the JSON summary %+v does not add up to its %d scenarios", j, len(rep.Scenarios))
	}
	x, names := junitTally(t, junitFile)
	h := htmlTally(t, htmlFile)
	if term != nil && *term != j {
		t.Errorf("the terminal counts %+v, the JSON %+v", *term, j)
	}
	if x != j || h != j {
		t.Errorf("the JUnit report counts %+v, the HTML %+v, the JSON %+v", x, h, j)
	}
	inJSON := map[string]int{}
	for _, s := range rep.Scenarios {
		inJSON[s.Name]++
	}
	seen := map[string]bool{}
	for _, name := range names {
		switch {
		case seen[name]:
			t.Errorf("JUnit testcase %q is in the JUnit report twice", name)
		case inJSON[name] != 1:
			t.Errorf("JUnit testcase %q is %d times in the JSON report", name, inJSON[name])
		}
		seen[name] = true
	}
	return rep
}

// TestEveryScenarioInEveryReport runs a writes lifecycle whose create fails
// (the target leaves out the Location the contract requires): the steps
// after it are not run, and every report still has them, skipped, saying
// why. The terminal summary, the JSON, JUnit and HTML reports count alike
// and list what was planned; so does the merge of a sharded run of it. A
// label filter leaves scenarios out of the run, not out of the reports.
func TestEveryScenarioInEveryReport(t *testing.T) {
	srv := ucsServer(t, "no-location")
	run := func(t *testing.T, dir string, extra ...string) (int, string, [3]string) {
		t.Helper()
		files := [3]string{filepath.Join(dir, "results.json"), filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.html")}
		args := append([]string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--allow-writes", "--no-color",
			"--json-report", files[0], "--junit-report", files[1], "--html-report", files[2]}, extra...)
		code, stdout, stderr := execSplit(t, noProxyEnv(), args...)
		if code != exitOK && code != exitFailed {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		return code, stdout, files
	}
	stoppedSteps := func(t *testing.T, rep *report.JSONReport) int {
		t.Helper()
		n := 0
		for _, s := range rep.Scenarios {
			if strings.Contains(s.Reason, "lifecycle stopped after") {
				n++
				if s.Result != report.Skipped || !strings.HasPrefix(s.Reason, "not run: the profiles lifecycle stopped after \"profiles: createProfile [success] create") {
					t.Errorf("%s: %s, %q", s.Name, s.Result, s.Reason)
				}
			}
		}
		return n
	}

	t.Run("a stopped lifecycle", func(t *testing.T) {
		code, stdout, files := run(t, t.TempDir())
		if code != exitFailed {
			t.Fatalf("exit %d, want 1: the create fails\n%s", code, stdout)
		}
		term, planned := terminalTally(t, stdout)
		rep := checkReports(t, &term, files[0], files[1], files[2])
		if term.total != planned || term.failed != 1 {
			t.Errorf("%d scenarios in the reports, %d failed; %d planned, 1 failure wanted\n%s", term.total, term.failed, planned, stdout)
		}
		if n := stoppedSteps(t, rep); n < 2 {
			t.Errorf("%d scenarios skipped after the failed create, want the lifecycle's later steps", n)
		}

		// The same run in two shards, merged.
		dir := t.TempDir()
		var shards []string
		for _, shard := range []string{"1/2", "2/2"} {
			sub := filepath.Join(dir, strings.ReplaceAll(shard, "/", "-"))
			_, _, sf := run(t, sub, "--shard", shard)
			checkReports(t, nil, sf[0], sf[1], sf[2])
			shards = append(shards, sf[0])
		}
		merged := [3]string{filepath.Join(dir, "merged.json"), filepath.Join(dir, "merged.xml"), filepath.Join(dir, "merged.html")}
		code, out := inProcessCombined(t, nil, append([]string{"merge", "--json-report", merged[0], "--junit-report", merged[1], "--html-report", merged[2]}, shards...)...)
		if code != exitFailed {
			t.Fatalf("merge: exit %d, want 1\n%s", code, out)
		}
		m := checkReports(t, nil, merged[0], merged[1], merged[2])
		if jsonTally(m) != term || stoppedSteps(t, m) != stoppedSteps(t, rep) {
			t.Errorf("the merged reports count %+v, the unsharded run %+v", jsonTally(m), term)
		}
	})

	t.Run("a label filter", func(t *testing.T) {
		_, stdout, files := run(t, t.TempDir(), "--label-filter", "writes || credentials.missing")
		term, planned := terminalTally(t, stdout)
		rep := checkReports(t, &term, files[0], files[1], files[2])
		if term.total != planned {
			t.Errorf("%d scenarios in the reports, %d planned", term.total, planned)
		}
		left := 0
		for _, s := range rep.Scenarios {
			if s.Reason == `not run: left out by --label-filter "writes || credentials.missing"` {
				left++
				if s.Result != report.Skipped {
					t.Errorf("%s: %s", s.Name, s.Result)
				}
			}
		}
		if left == 0 || left > term.skipped || stoppedSteps(t, rep) < 2 {
			t.Errorf("%d scenarios left out by the filter of %d skipped", left, term.skipped)
		}
	})
}
