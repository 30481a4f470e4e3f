package main

// Report paths that cannot work: found before the run sends anything.

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apiconform/apiconform/specs"
)

// countingUCS is the genesys-ucs reference target, counting the requests
// it gets.
func countingUCS(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	h := ucsHandler(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestReportPathsAreCheckedBeforeTheRun(t *testing.T) {
	t.Parallel()
	srv, requests := countingUCS(t)
	dir := t.TempDir()
	contractFile := filepath.Join(dir, "contract.yaml")
	data, _, ok := specs.Read("genesys-ucs")
	if !ok {
		t.Fatal("no shipped genesys-ucs")
	}
	os.WriteFile(contractFile, data, 0o644)
	overlayFile := filepath.Join(dir, "overlay.yaml")
	os.WriteFile(overlayFile, []byte("overlay: 1.0.0\ninfo: {title: o, version: '1'}\nactions: []\n"), 0o644)
	report := filepath.Join(dir, "report.json")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(report, link); err != nil {
		t.Fatal(err)
	}
	notADir := filepath.Join(dir, "file")
	os.WriteFile(notADir, []byte("a file"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"two reports, one file", []string{"--junit-report", report, "--json-report", report},
			"apiconform run: --junit-report and --json-report both name " + report + ": each report needs a file of its own"},
		{"the same file by another name", []string{"--json-report", report, "--html-report", dir + "/./sub/../report.json"},
			"apiconform run: --json-report " + report + " and --html-report " + dir + "/./sub/../report.json" + " are the same file"},
		{"the same file through a link", []string{"--json-report", link, "--junit-report", report},
			"apiconform run: --junit-report " + report + " and --json-report " + link + " are the same file: each report needs a file of its own"},
		{"the contract", []string{"--html-report", contractFile},
			"apiconform run: --html-report " + contractFile + " is the contract: the report would write over it"},
		{"an overlay", []string{"--overlay", overlayFile, "--junit-report", overlayFile},
			"apiconform run: --junit-report " + overlayFile + " is the file of --overlay: the report would write over it"},
		{"a directory", []string{"--json-report", dir},
			"apiconform run: --json-report " + dir + ": the report cannot be written there: it is a directory"},
		{"under a file", []string{"--junit-report", filepath.Join(notADir, "junit.xml")},
			"apiconform run: --junit-report " + filepath.Join(notADir, "junit.xml") + ": the report cannot be written there: mkdir " + notADir + ": not a directory"},
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"a full device", []string{"--json-report", "/dev/full"},
			"apiconform run: --json-report /dev/full: the report cannot be written there: it is a device that is always full, as /dev/full is"})
	}
	if os.Geteuid() != 0 { // root writes anywhere
		locked := filepath.Join(dir, "locked")
		os.Mkdir(locked, 0o555)
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"a directory not writable", []string{"--html-report", filepath.Join(locked, "report.html")},
			"apiconform run: --html-report " + filepath.Join(locked, "report.html") + ": the report cannot be written there: open " + filepath.Join(locked, "report.html") + ": permission denied"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := requests.Load()
			args := append([]string{"run", "--target", srv.URL, "--contract", contractFile, "--basic-auth", "demo:demo"}, tc.args...)
			code, stdout, stderr := execSplit(t, noProxyEnv(), args...)
			if code != exitUsage || !strings.HasPrefix(stderr, tc.want) {
				t.Fatalf("exit %d, want 2 and %q:\n%s%s", code, tc.want, stdout, stderr)
			}
			if n := requests.Load() - before; n != 0 {
				t.Errorf("the target got %d requests before the run ended", n)
			}
			if _, err := os.Stat(report); err == nil {
				t.Errorf("%s was left behind", report)
			}
		})
	}
	if got, _ := os.ReadFile(contractFile); string(got) != string(data) {
		t.Error("the contract was written over")
	}
}

// TestReportCheckLeavesNothingBehind: the check creates a report file that
// is not there yet and removes it; one that is there keeps its content
// when the run does not start (here: another report cannot be written).
func TestReportCheckLeavesNothingBehind(t *testing.T) {
	srv, requests := countingUCS(t)
	dir := t.TempDir()
	fresh, old := filepath.Join(dir, "new", "results.json"), filepath.Join(dir, "old.xml")
	os.WriteFile(old, []byte("the last run's report"), 0o644)
	code, stdout, stderr := execSplit(t, noProxyEnv(), "run", "--target", srv.URL, "--contract", "genesys-ucs",
		"--json-report", fresh, "--junit-report", old, "--html-report", dir)
	if code != exitUsage || !strings.Contains(stderr, "--html-report "+dir+": the report cannot be written there: it is a directory") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("the check left %s behind", fresh)
	}
	if got, _ := os.ReadFile(old); string(got) != "the last run's report" {
		t.Errorf("the existing report was changed: %q", got)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the target got %d requests", n)
	}
}

// TestMergeRefusesToWriteOverItsInputs: an output named like an input, or
// two outputs on one file, is exit 2 and the input is left as it was.
func TestMergeRefusesToWriteOverItsInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "shard.json")
	content := []byte(`{"format":"apiconform-results/1","failed_restores":[],"run":{},"summary":{},"scenarios":[]}`)
	os.WriteFile(in, content, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--json-report", in, in}, "apiconform merge: --json-report " + in + " is one of the reports to merge: the report would write over it"},
		{[]string{"--junit-report", filepath.Join(dir, "m.xml"), "--html-report", filepath.Join(dir, "m.xml"), in}, "apiconform merge: --junit-report and --html-report both name " + filepath.Join(dir, "m.xml")},
	} {
		code, out := inProcessCombined(t, nil, append([]string{"merge"}, tc.args...)...)
		if code != exitUsage || !strings.HasPrefix(out, tc.want) {
			t.Errorf("exit %d, want 2 and %q:\n%s", code, tc.want, out)
		}
	}
	if got, _ := os.ReadFile(in); string(got) != string(content) {
		t.Error("the input was written over")
	}
}

// TestAuditRefusesToWriteOverItsLogs: a report named like a log it reads,
// or two reports on one file, is exit 2 and the log is left as it was.
func TestAuditRefusesToWriteOverItsLogs(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "access.log")
	os.WriteFile(log, []byte(""), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--json-report", log, log}, "apiconform audit: --json-report " + log + " is one of the access logs to audit: the report would write over it"},
		{[]string{"--junit-report", filepath.Join(dir, "r"), "--json-report", filepath.Join(dir, "r"), log}, "apiconform audit: --junit-report and --json-report both name " + filepath.Join(dir, "r")},
	} {
		code, out := inProcessCombined(t, nil, append([]string{"audit", "--contract", "genesys-ucs"}, tc.args...)...)
		if code != exitUsage || !strings.HasPrefix(out, tc.want) {
			t.Errorf("exit %d, want 2 and %q:\n%s", code, tc.want, out)
		}
	}
	if st, _ := os.Stat(log); st.Size() != 0 {
		t.Error("the log was written over")
	}
}
