package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apiconform/apiconform/fixtures"
	"github.com/apiconform/apiconform/specs"
)

// binary is the apiconform command built once for the end-to-end tests:
// they judge the tool a vendor runs, not a function of it.
var binary string

func TestMain(m *testing.M) {
	// Tests started under nohup would hand SIGHUP, ignored, on to every
	// run they start (an ignored signal survives exec), and the runs would
	// rightly keep it so: the tests of SIGHUP would then fail for the
	// machine's sake. Taken here and dropped, SIGHUP is back to its
	// default in each run, as in a terminal; the nohup test asks for nohup
	// itself.
	if signal.Ignored(syscall.SIGHUP) {
		signal.Notify(make(chan os.Signal, 1), syscall.SIGHUP)
	}
	dir, err := os.MkdirTemp("", "apiconform-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "apiconform")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("building apiconform: " + err.Error())
	}
	code := m.Run()
	if testing.Verbose() {
		fmt.Printf("apiconform tests: the binary was executed %d times, commands ran in-process %d times\n", binaryRuns.Load(), inProcessRuns.Load())
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// binaryRuns counts the executions of the binary, the slow part of these
// tests: -v prints it, to keep an eye on tests that could run in-process.
var binaryRuns atomic.Int64

// binaryCommand is the command running the built binary; every test that
// executes it goes through here.
func binaryCommand(args ...string) *exec.Cmd {
	binaryRuns.Add(1)
	return exec.Command(binary, args...)
}

// binaryCommandContext is binaryCommand killed when ctx ends.
func binaryCommandContext(ctx context.Context, args ...string) *exec.Cmd {
	binaryRuns.Add(1)
	return exec.CommandContext(ctx, binary, args...)
}

type junitSuites struct {
	Suites []struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Cases    []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// runBinary runs apiconform against a reference target with a fault and
// returns its exit code, its output and the parsed JUnit report.
func runBinary(t *testing.T, target *fixtures.Target, fault string, extra ...string) (int, string, junitSuites) {
	t.Helper()
	return runTriggered(t, target, fault, "", extra...)
}

// runTriggered is runBinary with the target put into a state first
// (STATE:DURATION, see fixtures.Target.Trigger).
func runTriggered(t *testing.T, target *fixtures.Target, fault, trigger string, extra ...string) (int, string, junitSuites) {
	t.Helper()
	h, err := target.Handler(fault)
	if err != nil {
		t.Fatal(err)
	}
	if trigger != "" {
		state, dur, _ := strings.Cut(trigger, ":")
		d, err := time.ParseDuration(dur)
		if err != nil {
			t.Fatalf("trigger %q: %v", trigger, err)
		}
		if err := target.Trigger(h, state, d); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	junit := filepath.Join(t.TempDir(), "junit.xml")
	args := append([]string{"run", "--target", srv.URL, "--contract", target.Contract, "--junit-report", junit, "--no-color"}, target.Credentials...)
	args = append(args, extra...)
	cmd := binaryCommand(args...)
	cmd.Env = cleanEnv()
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var report junitSuites
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatalf("no JUnit report: %v\n%s", err, out)
	}
	if err := xml.Unmarshal(data, &report); err != nil {
		t.Fatalf("JUnit report does not parse: %v", err)
	}
	return code, string(out), report
}

// quickWaits is the --overlay that shortens the contract's maxWait values
// for the fault catalogue, where the reference target's own timings allow:
// a fault that keeps the target in a state is then caught in seconds
// rather than at the contract's wait. The runs of the clean targets keep
// the contracts as published.
func quickWaits(t *testing.T, contract string) []string {
	t.Helper()
	file := filepath.Join("testdata", "quick", contract+".yaml")
	if _, err := os.Stat(file); err != nil {
		return nil
	}
	return []string{"--overlay", file}
}

// cleanEnv keeps the variables of the developer's shell out of the run.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "APICONFORM_") && !strings.HasPrefix(kv, "NO_COLOR=") {
			env = append(env, kv)
		}
	}
	return env
}

func failures(r junitSuites) []string {
	var out []string
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				out = append(out, c.Name+"\n"+c.Failure.Message+"\n"+c.Failure.Text)
			}
		}
	}
	return out
}

// inconclusiveIn counts the testcases of a family that a run could not
// judge: skipped as inconclusive.
func inconclusiveIn(r junitSuites, family string) int {
	n := 0
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if c.Skipped != nil && strings.Contains(c.Skipped.Message, "inconclusive: ") && strings.Contains(c.Name, "["+family+"]") {
				n++
			}
		}
	}
	return n
}

func TestReferenceTargetsPassClean(t *testing.T) {
	for _, name := range fixtures.Names() {
		target, _ := fixtures.Lookup(name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, extra := range [][]string{nil, {"--allow-writes", "--allow-disruptive", "--strict"}} {
				code, out, report := runBinary(t, target, "", extra...)
				if code != 0 {
					t.Fatalf("apiconform run %v exited %d against the conforming target:\n%s", extra, code, out)
				}
				if f := failures(report); len(f) > 0 {
					t.Fatalf("JUnit has failures for a conforming target:\n%s", strings.Join(f, "\n\n"))
				}
				if len(report.Suites) != 1 || report.Suites[0].Tests == 0 {
					t.Fatalf("JUnit report holds no testcases")
				}
			}
			// States the suite can only observe are observed on a target
			// put into them: it must pass clean there too.
			for _, state := range target.States {
				// 3s: long enough for the run to start on a busy machine
				code, out, report := runTriggered(t, target, "", state+":3s", "--allow-disruptive", "--strict", "--label-filter", "disruptive")
				if code != 0 || len(failures(report)) > 0 {
					t.Fatalf("in state %s the conforming target fails (exit %d):\n%s", state, code, out)
				}
				observed := 0
				for _, s := range report.Suites {
					for _, c := range s.Cases {
						if strings.Contains(c.Name, "[state.") && c.Skipped == nil {
							observed++
						}
					}
				}
				if observed == 0 {
					t.Fatalf("in state %s nothing was observed:\n%s", state, out)
				}
			}
		})
	}
}

func TestEveryFaultIsCaughtAndNamed(t *testing.T) {
	for _, name := range fixtures.Names() {
		target, _ := fixtures.Lookup(name)
		for _, f := range target.Faults {
			t.Run(name+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				var extra []string
				if f.Writes {
					extra = append(extra, "--allow-writes")
				}
				if f.Disruptive || f.Trigger != "" {
					extra = append(extra, "--allow-disruptive")
				}
				if f.Trigger != "" {
					// the outage would fail the stateless scenarios too
					extra = append(extra, "--label-filter", "disruptive")
				}
				extra = append(extra, quickWaits(t, name)...)
				run := func(extra ...string) (int, string, junitSuites) {
					return runTriggered(t, target, f.Name, f.Trigger, extra...)
				}
				if f.Inconclusive {
					// No rule is broken: nothing fails, and a scenario of
					// the rule's family could not be judged, saying why.
					code, out, report := run(extra...)
					if code != 1 || len(failures(report)) > 0 {
						t.Fatalf("fault %s: exit %d, want 1 with no failure:\n%s", f.Name, code, out)
					}
					if n := inconclusiveIn(report, f.Rule); n == 0 {
						t.Fatalf("fault %s: no [%s] scenario is inconclusive in the JUnit report:\n%s", f.Name, f.Rule, out)
					}
					return
				}
				if f.Warning {
					// Without --strict a SHOULD-level rule only warns.
					code, out, _ := run(extra...)
					if code != 0 || !strings.Contains(out, "["+f.Rule+"]") || !strings.Contains(out, "WARN") {
						t.Fatalf("without --strict, fault %s should pass with a warning naming [%s]; exit %d:\n%s", f.Name, f.Rule, code, out)
					}
					extra = append(extra, "--strict")
				}
				code, out, report := run(extra...)
				if code != 1 {
					t.Fatalf("fault %s: exit %d, want 1:\n%s", f.Name, code, out)
				}
				fs := failures(report)
				if len(fs) == 0 {
					t.Fatalf("fault %s: no failure in the JUnit report", f.Name)
				}
				for _, msg := range fs {
					if !strings.Contains(msg, "["+f.Rule+"]") {
						t.Errorf("fault %s breaks only %s, but this failure does not name it:\n%s", f.Name, f.Rule, msg)
					}
					for _, line := range strings.Split(msg, "\n") {
						if rule, ok := strings.CutPrefix(line, "  - ["); ok {
							if rule, _, _ = strings.Cut(rule, "]"); rule != f.Rule {
								t.Errorf("fault %s should break only %s, but the run also reports %s:\n%s", f.Name, f.Rule, rule, line)
							}
						}
					}
					if !strings.Contains(msg, "reproduce:\n  curl -") {
						t.Errorf("failure without a curl line:\n%s", msg)
					}
				}
			})
		}
	}
}

func TestEveryShippedContractHasATargetWithFaults(t *testing.T) {
	for _, name := range specs.Names() {
		target, err := fixtures.Lookup(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(target.Faults) == 0 {
			t.Errorf("%s: the reference target takes no fault", name)
		}
		seen := map[string]bool{}
		for _, f := range target.Faults {
			if seen[f.Name] || f.Rule == "" || f.Description == "" {
				t.Errorf("%s: fault %q is duplicated or lacks a rule or description", name, f.Name)
			}
			seen[f.Name] = true
		}
	}
}
