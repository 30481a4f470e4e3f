package main

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/audit"
)

var (
	sampleLog = filepath.Join("..", "..", "fixtures", "logs", "ucs-sample.log")
	badLog    = filepath.Join("..", "..", "fixtures", "logs", "ucs-bad-lines.log")
)

// execWithStdin runs the built command with a standard input.
func execWithStdin(t *testing.T, stdin io.Reader, args ...string) (int, string) {
	t.Helper()
	cmd := binaryCommand(args...)
	cmd.Env = cleanEnv()
	cmd.Stdin = stdin
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

func readJSONReport(t *testing.T, path string) audit.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no JSON report: %v", err)
	}
	var r audit.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	if r.Format != "apiconform-audit/1" {
		t.Fatalf("format %q", r.Format)
	}
	return r
}

func TestAuditOfTheReferenceTargetsLogPasses(t *testing.T) {
	for _, log := range []string{sampleLog, sampleLog + ".gz"} {
		code, out := inProcessCombined(t, nil, "audit", "--contract", "genesys-ucs", log)
		if code != exitOK || !strings.Contains(out, "result: passed") || !strings.Contains(out, " 0 unparsed") {
			t.Fatalf("audit %s: exit %d\n%s", log, code, out)
		}
	}
	// Standard input, plain and gzip.
	for _, log := range []string{sampleLog, sampleLog + ".gz"} {
		f, err := os.Open(log)
		if err != nil {
			t.Fatal(err)
		}
		code, out := execWithStdin(t, f, "audit", "--contract", "genesys-ucs", "-")
		f.Close()
		if code != exitOK || !strings.Contains(out, "read from stdin") || !strings.Contains(out, "result: passed") {
			t.Fatalf("audit - < %s: exit %d\n%s", log, code, out)
		}
	}
}

func TestAuditOfABadLogFailsAndNamesWhy(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "reports", "audit.xml")
	jsonPath := filepath.Join(dir, "reports", "audit.json")
	code, out := inProcessCombined(t, nil, "audit", "--contract", "genesys-ucs", "--slow", "500ms",
		"--junit-report", junit, "--json-report", jsonPath, badLog)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		"[status.declared] 418: 2 requests", "ucs-bad-lines.log:3 ", "GET /cv/admin/console (no such path)",
		"DELETE /cv/server/status (the path does not declare the method)", "slow requests (over 500 ms): 2",
		"unparsed lines: 5", "JUnit report: " + junit, "JSON report: " + jsonPath,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var report junitSuites
	if err := xml.Unmarshal(data, &report); err != nil {
		t.Fatalf("JUnit does not parse: %v", err)
	}
	if len(report.Suites) != 1 || report.Suites[0].Tests != 14 || report.Suites[0].Failures != 4 {
		t.Fatalf("JUnit: want 14 testcases (13 operations and unknown routes), 4 failed: %+v", report.Suites)
	}
	f := strings.Join(failures(report), "\n")
	for _, want := range []string{"getProfile GET /profiles/{ProfileId}", "418 (2)", audit.UnknownRoutesCase, "GET /cv/admin/console"} {
		if !strings.Contains(f, want) {
			t.Errorf("JUnit failures lack %q:\n%s", want, f)
		}
	}
	r := readJSONReport(t, jsonPath)
	if r.Passed || r.Undeclared != 4 || r.UnknownRoutes.Requests != 3 || r.Lines.Unparsed != 5 || r.Slow.Requests != 2 {
		t.Errorf("JSON report: %+v", r)
	}
}

func TestAuditFlagsEnvironmentAndFilesInAnyOrder(t *testing.T) {
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "a.json")
	// Files before flags, two files, flags from the environment.
	env := []string{"APICONFORM_CONTRACT=genesys-ucs", "APICONFORM_AUDIT_JSON_REPORT=" + jsonPath, "APICONFORM_AUDIT_SLOW=1s"}
	code, out := inProcessCombined(t, env, "audit", sampleLog, badLog, "--slow", "5s")
	if code != exitFailed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	r := readJSONReport(t, jsonPath)
	if len(r.Files) != 2 || r.Files[1] != badLog || r.SlowMs != 5000 || r.Slow.Requests != 1 {
		t.Errorf("files %v, slow threshold %d (the flag should win over APICONFORM_AUDIT_SLOW), slow %d", r.Files, r.SlowMs, r.Slow.Requests)
	}
	// "--" ends the flags: what follows is a file, even if it looks like a flag.
	odd := filepath.Join(dir, "-odd.log")
	data, _ := os.ReadFile(sampleLog)
	os.WriteFile(odd, data, 0o644)
	code, out = inProcessCombined(t, nil, "audit", "--contract", "genesys-ucs", "--", odd)
	if code != exitOK {
		t.Fatalf("after --: exit %d\n%s", code, out)
	}
}

func TestAuditBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.log.gz")
	os.WriteFile(broken, []byte("\x1f\x8bnot gzip"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no contract", []string{"audit", sampleLog}, "--contract is required"},
		{"no log", []string{"audit", "--contract", "genesys-ucs"}, "no LOGFILE"},
		{"unknown format", []string{"audit", "--contract", "genesys-ucs", "--format", "nginx", sampleLog}, `--format "nginx"`},
		{"bad duration", []string{"audit", "--contract", "genesys-ucs", "--slow", "soon", sampleLog}, "-slow"},
		{"negative duration", []string{"audit", "--contract", "genesys-ucs", "--slow", "-1s", sampleLog}, "must not be negative"},
		{"below a ms", []string{"audit", "--contract", "genesys-ucs", "--slow", "500us", sampleLog}, "at least 1ms"},
		{"unknown flag", []string{"audit", "--contract", "genesys-ucs", "--colour", sampleLog}, "-colour"},
		{"missing file", []string{"audit", "--contract", "genesys-ucs", sampleLog, filepath.Join(dir, "none.log")}, "none.log"},
		{"directory", []string{"audit", "--contract", "genesys-ucs", dir}, "is a directory"},
		{"stdin twice", []string{"audit", "--contract", "genesys-ucs", "-", "-"}, "given twice"},
		{"unknown contract", []string{"audit", "--contract", "genesys", sampleLog}, "no shipped contract"},
		{"broken gzip", []string{"audit", "--contract", "genesys-ucs", broken}, "broken.log.gz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := inProcessCombined(t, nil, tc.args...)
			if code != exitUsage || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d, want 2 and %q:\n%s", code, tc.want, out)
			}
			if strings.Contains(out, "panic:") || strings.Contains(out, "result:") {
				t.Errorf("a stack trace, or a result despite the bad input:\n%s", out)
			}
		})
	}
	if code, out := inProcessCombined(t, nil, "audit", "--help"); code != exitOK || !strings.Contains(out, "APICONFORM_AUDIT_SLOW") || !strings.Contains(out, "LOGFILE") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}

// TestServeAccessLogAuditsAWholeRun starts a reference target with
// --access-log, runs the whole suite against it and audits what it logged:
// every status the conforming target answered is declared, and the only
// unknown routes are the suite's own probes of undeclared methods and paths.
func TestServeAccessLogAuditsAWholeRun(t *testing.T) {
	dir := t.TempDir()
	logPath := filepath.Join(dir, "access.log")
	cmd := binaryCommand("serve", "--contract", "genesys-ucs", "--addr", "127.0.0.1:0", "--access-log", logPath)
	cmd.Env = cleanEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	target := ""
	sc := bufio.NewScanner(stdout)
	for i := 0; i < 10 && target == "" && sc.Scan(); i++ {
		if rest, ok := strings.CutPrefix(sc.Text(), "serving "); ok {
			target = rest[strings.LastIndex(rest, " at ")+4:]
		}
	}
	go io.Copy(io.Discard, stdout)
	if !strings.HasPrefix(target, "http://127.0.0.1:") {
		t.Fatalf("no address from serve (got %q)", target)
	}
	if code, out := execBinary(t, nil, "run", "--target", target, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--allow-writes", "--no-color"); code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, out)
	}
	jsonPath := filepath.Join(dir, "audit.json")
	code, out := inProcessCombined(t, nil, "audit", "--contract", "genesys-ucs", "--json-report", jsonPath, logPath)
	r := readJSONReport(t, jsonPath)
	if code != exitFailed || r.Undeclared != 0 || r.Lines.Unparsed != 0 || r.Lines.Parsed < 100 {
		t.Fatalf("exit %d, undeclared %d, lines %+v\n%s", code, r.Undeclared, r.Lines, out)
	}
	for _, rt := range r.UnknownRoutes.Routes {
		probe := (rt.Reason == "method" && rt.Statuses["405"] == rt.Count) || (rt.Reason == "path" && rt.Statuses["404"] == rt.Count)
		if !probe {
			t.Errorf("unknown route %s %s (%s) is not one of the suite's probes: %v", rt.Method, rt.Path, rt.Reason, rt.Statuses)
		}
	}
	if r.UnknownRoutes.Requests == 0 || r.Options == 0 {
		t.Errorf("the run's method and OPTIONS probes are missing from the log: %+v, options %d", r.UnknownRoutes, r.Options)
	}
}
