package main

import (
	"encoding/xml"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/report"
	"github.com/apiconform/apiconform/internal/testnet"
)

// reachReports are the report files of a run, in a fresh directory.
type reachReports struct{ junit, json, html string }

func newReachReports(t *testing.T) reachReports {
	dir := filepath.Join(t.TempDir(), "reports") // not there yet: run makes it
	return reachReports{filepath.Join(dir, "junit.xml"), filepath.Join(dir, "results.json"), filepath.Join(dir, "report.html")}
}

func (r reachReports) flags() []string {
	return []string{"--junit-report", r.junit, "--json-report", r.json, "--html-report", r.html}
}

// checkReachReports checks that every report of a run stopped at the
// reachability check says why: the check failed with msg, every planned
// scenario skipped, and the formats count alike.
func checkReachReports(t *testing.T, r reachReports, msg string) {
	t.Helper()
	rep := checkReports(t, nil, r.json, r.junit, r.html)
	check := scenarioByID(t, rep, "reachability")
	if check.Result != report.Failed || check.Reason != msg || check.Family != "reachability" ||
		!strings.Contains(check.Transcript, "> HEAD ") || !strings.HasPrefix(check.Curl, "curl -I ") {
		t.Errorf("JSON: the reachability check: %+v", check)
	}
	if s := rep.Summary; s.Failed != 1 || s.Skipped != s.Total-1 || s.Total < 100 {
		t.Errorf("JSON: summary %+v; want the check failed and every planned scenario skipped", s)
	}
	for _, s := range rep.Scenarios {
		if s.ID != check.ID && s.Reason != "not run: the reachability check failed: "+msg {
			t.Errorf("JSON: %s: %s %q", s.ID, s.Result, s.Reason)
			break
		}
	}
	if len(rep.Run.Warnings) != 1 || rep.Run.Warnings[0] != msg || rep.Run.Contract.Name != "genesys-ucs" {
		t.Errorf("JSON: run %+v", rep.Run)
	}
	junit, _ := os.ReadFile(r.junit)
	var x junitSuites
	if err := xml.Unmarshal(junit, &x); err != nil {
		t.Fatalf("JUnit: %v", err)
	}
	fs := failures(x)
	if len(fs) != 1 || !strings.HasPrefix(fs[0], "target [reachability] answers HEAD within --timeout ") || !strings.Contains(fs[0], msg) {
		t.Errorf("JUnit: failures %q", fs)
	}
	if xmllint, err := exec.LookPath("xmllint"); err == nil {
		if out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", r.junit).CombinedOutput(); err != nil {
			t.Errorf("the JUnit report is not valid:\n%s", out)
		}
	}
	page, _ := os.ReadFile(r.html)
	if !strings.Contains(string(page), "run failed: the target did not answer") || !strings.Contains(string(page), "run warning:</strong> "+html.EscapeString(msg)) {
		t.Errorf("HTML: no verdict or run warning saying why")
	}
}

// TestASilentTargetIsTheTargetsFailure: a target that takes the connection
// and never answers is there, not unreachable: exit 1, a message that says
// what happened and what helps, and every report written, saying so.
func TestASilentTargetIsTheTargetsFailure(t *testing.T) {
	t.Parallel()
	target := "http://" + testnet.Silent(t)
	r := newReachReports(t)
	code, stdout, stderr := execSplit(t, cleanEnv(), append([]string{"run", "--target", target, "--contract", "genesys-ucs", "--timeout", "300ms"}, r.flags()...)...)
	msg := "the target " + target + "/cv connected, but sent no answer within 300ms; raise --timeout if it is slow"
	if code != exitFailed || stderr != "apiconform run: "+msg+"\n" {
		t.Fatalf("exit %d, want 1 and %q:\n%s%s", code, msg, stdout, stderr)
	}
	if stdout != "JUnit report: "+r.junit+"\nJSON report: "+r.json+"\nHTML report: "+r.html+"\n" {
		t.Errorf("stdout:\n%s", stdout)
	}
	checkReachReports(t, r, msg)

	// Without reports, one line.
	code, stdout, stderr = execSplit(t, cleanEnv(), "run", "--target", target, "--contract", "genesys-ucs", "--timeout", "300ms")
	if code != exitFailed || stdout != "" || stderr != "apiconform run: "+msg+"\n" {
		t.Errorf("without reports: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestAnUnreachableTargetStillWritesTheReports: connection refused is exit
// 3 as before, and the reports asked for are written, so that a CI job
// that publishes them finds a file saying why.
func TestAnUnreachableTargetStillWritesTheReports(t *testing.T) {
	target := "http://" + testnet.Closed(t)
	r := newReachReports(t)
	code, stdout, stderr := execSplit(t, cleanEnv(), append([]string{"run", "--target", target, "--contract", "genesys-ucs", "--timeout", "2s"}, r.flags()...)...)
	prefix := "the target " + target + "/cv cannot be reached: "
	if code != exitUnreachable || !strings.HasPrefix(stderr, "apiconform run: "+prefix) || !strings.Contains(stderr, "connection refused") ||
		strings.Count(stderr, "\n") != 1 {
		t.Fatalf("exit %d, want 3 and %q:\n%s%s", code, prefix, stdout, stderr)
	}
	if !strings.Contains(stdout, "JUnit report: "+r.junit+"\n") {
		t.Errorf("stdout:\n%s", stdout)
	}
	checkReachReports(t, r, strings.TrimSuffix(strings.TrimPrefix(stderr, "apiconform run: "), "\n"))
}

// TestShardsThatCouldNotReachTheTargetMerge: each shard reports its own
// check, so a merge keeps both, every planned scenario once, and fails.
func TestShardsThatCouldNotReachTheTargetMerge(t *testing.T) {
	target := "http://" + testnet.Closed(t)
	dir := t.TempDir()
	var shards []string
	for _, shard := range []string{"1/2", "2/2"} {
		file := filepath.Join(dir, "shard"+shard[:1]+".json")
		code, out := execBinary(t, nil, "run", "--target", target, "--contract", "genesys-ucs", "--shard", shard, "--json-report", file)
		if code != exitUnreachable {
			t.Fatalf("shard %s: exit %d\n%s", shard, code, out)
		}
		shards = append(shards, file)
	}
	merged := newReachReports(t)
	code, out := inProcessCombined(t, nil, append([]string{"merge", "--json-report", merged.json, "--junit-report", merged.junit, "--html-report", merged.html}, shards...)...)
	if code != exitFailed {
		t.Fatalf("merge: exit %d, want 1\n%s", code, out)
	}
	rep := checkReports(t, nil, merged.json, merged.junit, merged.html)
	checks := 0
	for _, s := range rep.Scenarios {
		if s.Family == "reachability" {
			checks++
		}
	}
	if checks != 2 || rep.Summary.Failed != 2 {
		t.Errorf("merged: %d checks, summary %+v", checks, rep.Summary)
	}
	whole := readResults(t, shards[0]).Run.Config["shard"]
	if whole != "1/2" || scenarioByID(t, rep, "reachability shard 2/2").Result != report.Failed {
		t.Errorf("the shards' checks are not told apart")
	}
}
