package main

// SIGHUP, the signal of a closed terminal or a dropped SSH session: it ends
// a run as SIGTERM does (interrupt_test.go stops a run with it at every
// instant of a switch), except under nohup, which asked for it to be
// ignored.

import (
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
)

// TestSIGHUPEndsTheRunWithItsReports: a SIGHUP during the checks of the
// maintenance state ends the run, restores the target and writes every
// report, each with every scenario of the plan.
func TestSIGHUPEndsTheRunWithItsReports(t *testing.T) {
	t.Parallel()
	h := &hold{method: http.MethodGet, path: "/cv/profiles", scenario: "maintenance state.refuses", at: onArrival}
	ht := newHeldTarget(t, h)
	dir := t.TempDir()
	junit, html := dir+"/junit.xml", dir+"/report.html"
	run := startRun(t, ht, "--junit-report", junit, "--html-report", html)
	run.reach(t, h, "the checks of the maintenance state")
	if err := run.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	code, out := run.end(t)
	if code != exitFailed || !strings.Contains(out, "the run was stopped early (Interrupted by User)") {
		t.Fatalf("exit %d, want 1 saying the run was stopped:\n%s", code, out)
	}
	for _, want := range []string{"JUnit report: " + junit, "JSON report: " + run.json, "HTML report: " + html} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	rep := readResults(t, run.json)
	if len(rep.Scenarios) == 0 || len(rep.FailedRestores) != 0 {
		t.Errorf("JSON: %d scenarios, failed_restores %q", len(rep.Scenarios), rep.FailedRestores)
	}
	if mode := ht.mode(t); mode != "production" {
		t.Errorf("after the run the target reports %s, want production", mode)
	}
}

// TestSIGHUPIsIgnoredUnderNohup: a run started with SIGHUP ignored keeps
// ignoring it, and runs to its end.
func TestSIGHUPIsIgnoredUnderNohup(t *testing.T) {
	t.Parallel()
	nohup, err := exec.LookPath("nohup")
	if err != nil {
		t.Skip("no nohup here")
	}
	h := &hold{method: http.MethodGet, path: "/cv/profiles", scenario: "maintenance state.refuses", at: afterAnswer}
	ht := newHeldTarget(t, h)
	target, _ := fixtures.Lookup("genesys-ucs")
	run := &stoppedRun{exited: make(chan error, 1), json: t.TempDir() + "/results.json"}
	args := append([]string{binary, "run", "--target", ht.url, "--contract", "genesys-ucs", "--allow-disruptive",
		"--label-filter", "disruptive", "--no-color", "--json-report", run.json}, target.Credentials...)
	run.cmd = exec.Command(nohup, args...)
	binaryRuns.Add(1) // nohup execs the binary, which binaryCommand cannot count
	run.cmd.Env = cleanEnv()
	run.cmd.Stdout, run.cmd.Stderr = &run.out, &run.out
	if err := run.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { run.exited <- run.cmd.Wait() }()
	run.reach(t, h, "the checks of the maintenance state")
	// nohup has exec'd the binary by now: the process is the run
	if err := run.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	code, out := run.end(t)
	if code != 0 || strings.Contains(out, "stopped early") {
		t.Fatalf("exit %d, want the run to go on to its end:\n%s", code, out)
	}
}
