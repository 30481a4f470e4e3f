package main

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/apiconform/apiconform/internal/report"
)

// execIn runs the built command in a directory, with extra environment
// variables.
func execIn(t *testing.T, dir string, env []string, args ...string) (int, string) {
	t.Helper()
	cmd := binaryCommand(args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, string(out)
}

func writeText(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// configValue is a key's line of `apiconform config`: its value and its
// source.
func configValue(t *testing.T, out, key string) (value, source string) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `: (.*?) # (.*)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no line for %s in:\n%s", key, out)
	}
	return m[1], m[2]
}

// TestConfigPrecedence: a flag wins over its variable, the variable over
// the file, the file over the default; `apiconform config` says which.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeText(t, filepath.Join(dir, "apiconform.yaml"), "# the pipeline's settings\ntimeout: 3s\nrun-timeout: 20m\nmax-body: 4096\nstrict: true\n")
	env := []string{"APICONFORM_TIMEOUT=4s", "APICONFORM_RUN_TIMEOUT=30m"}
	code, out := inProcessIn(t, dir, env, "config", "--timeout", "5s")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, c := range []struct{ key, value, source string }{
		{"timeout", "5s", "flag"},
		{"run-timeout", "30m0s", "env APICONFORM_RUN_TIMEOUT"},
		{"max-body", "4096", "file apiconform.yaml"},
		{"strict", "true", "file apiconform.yaml"},
		{"allow-writes", "false", "default"},
		{"concurrency", "8", "default"},
	} {
		if v, src := configValue(t, out, c.key); v != c.value || src != c.source {
			t.Errorf("%s: %s from %q, want %s from %q", c.key, v, src, c.value, c.source)
		}
	}
	if !strings.Contains(out, "configuration file: apiconform.yaml") {
		t.Errorf("the file read is not named:\n%s", out)
	}
	// A flag given false wins over a file's true.
	_, out = inProcessIn(t, dir, nil, "config", "--strict=false")
	if v, src := configValue(t, out, "strict"); v != "false" || src != "flag" {
		t.Errorf("strict: %s from %s", v, src)
	}
}

// TestRunReadsTheConfigFile: run takes its options from the file in the
// working directory, or the one --config or $APICONFORM_CONFIG names, and
// the environment still wins over the file.
func TestRunReadsTheConfigFile(t *testing.T) {
	t.Parallel()
	srv := ucsServer(t, "")
	dir := t.TempDir()
	junit := filepath.Join(dir, "reports", "junit.xml")
	cfg := "target: " + srv.URL + "\ncontract: genesys-ucs\nbasic-auth: demo:wrong\nlabel-filter: success && !writes\njunit-report: " + junit + "\nheader:\n  - 'X-Trace: 1'\n  - 'X-Team: qa'\n"
	writeText(t, filepath.Join(dir, "apiconform.yaml"), cfg)
	// The file's wrong credentials fail the happy paths...
	code, out := execIn(t, dir, nil, "run")
	if code != exitFailed || !strings.Contains(out, "401") {
		t.Fatalf("run with the file's credentials: exit %d, want 1 with 401s\n%s", code, out)
	}
	if _, err := os.Stat(junit); err != nil {
		t.Errorf("the file's junit-report was not written: %v", err)
	}
	// ...the environment's right ones win over them.
	if code, out := execIn(t, dir, []string{"APICONFORM_BASIC_AUTH=demo:demo"}, "run"); code != 0 {
		t.Fatalf("APICONFORM_BASIC_AUTH should win over the file: exit %d\n%s", code, out)
	}
	// --config and $APICONFORM_CONFIG name a file elsewhere.
	other := t.TempDir()
	named := writeText(t, filepath.Join(other, "ci.yaml"), strings.Replace(cfg, "demo:wrong", "demo:demo", 1))
	if code, out := execIn(t, dir, nil, "run", "--config", named); code != 0 {
		t.Fatalf("--config %s: exit %d\n%s", named, code, out)
	}
	if code, out := execIn(t, other, []string{"APICONFORM_CONFIG=" + named}, "run"); code != 0 {
		t.Fatalf("APICONFORM_CONFIG: exit %d\n%s", code, out)
	}
}

// TestConfigFileErrors: an unknown key, a bad value, a missing named file
// are usage errors that name the file, the line and the key.
func TestConfigFileErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file string
		args, env  []string
		want       []string
	}{
		{"unknown key", "target: http://127.0.0.1:9\ncolour: red\n", nil, nil, []string{"apiconform.yaml:2", `unknown key "colour"`, "target"}},
		{"a flag that is no option", "version: true\n", nil, nil, []string{`unknown key "version"`}},
		{"bad duration", "timeout: soon\n", nil, nil, []string{"apiconform.yaml:1", "timeout", `"soon"`}},
		{"bad shard", "shard: 3/2\n", nil, nil, []string{"apiconform.yaml:1", "shard", "numbered from 1 to 2"}},
		// the file is wrong even where the environment overrides it
		{"bad overridden value", "timeout: soon\n", nil, []string{"APICONFORM_TIMEOUT=5s"}, []string{"apiconform.yaml:1", "timeout", `"soon"`}},
		{"a list for a single value", "focus: [a, b]\n", nil, nil, []string{"apiconform.yaml:1", "focus", "a single value"}},
		{"unquoted header", "header:\n  - X-Key: v\n", nil, nil, []string{"apiconform.yaml:1", "header", "quote it"}},
		{"not a mapping", "- target\n", nil, nil, []string{"apiconform.yaml:1", "mapping"}},
		{"not YAML", "target: [\n", nil, nil, []string{"apiconform.yaml"}},
		{"key twice", "focus: a\nfocus: b\n", nil, nil, []string{"apiconform.yaml:2", `"focus" is given twice`}},
		{"missing --config", "", []string{"--config", filepath.Join(dir, "nope.yaml")}, nil, []string{"--config", "nope.yaml"}},
		{"endless --config", "", []string{"--config", "/dev/zero"}, nil, []string{"--config", "not a configuration file"}},
		{"missing $APICONFORM_CONFIG", "", nil, []string{"APICONFORM_CONFIG=" + filepath.Join(dir, "nope.yaml")}, []string{"$APICONFORM_CONFIG", "nope.yaml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wd := t.TempDir()
			if tc.file != "" {
				writeText(t, filepath.Join(wd, "apiconform.yaml"), tc.file)
			}
			for _, cmd := range [][]string{{"run"}, {"config"}, {"list", "--contract", "genesys-ucs"}} {
				code, out := inProcessIn(t, wd, tc.env, append(cmd, tc.args...)...)
				if code != exitUsage {
					t.Fatalf("%v: exit %d, want 2:\n%s", cmd, code, out)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("%v: the message lacks %q:\n%s", cmd, w, out)
					}
				}
			}
		})
	}
}

// TestConfigRedactsSecrets: credentials and header values from a flag, a
// variable or the file never show; the header's name does.
func TestConfigRedactsSecrets(t *testing.T) {
	dir := t.TempDir()
	writeText(t, filepath.Join(dir, "apiconform.yaml"), "basic-auth: 'user:file-s3cret'\nheader:\n  - 'X-Api-Key: hdr-s3cret'\n")
	code, out := inProcessIn(t, dir, []string{"APICONFORM_BEARER_TOKEN=env-s3cret"}, "config", "--value", "ProfileId=00027a5C4T0R001E")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if strings.Contains(out, "s3cret") {
		t.Fatalf("a secret shows:\n%s", out)
	}
	for _, want := range []string{"basic-auth: '[redacted]' # file apiconform.yaml", "bearer-token: '[redacted]' # env APICONFORM_BEARER_TOKEN", "- 'X-Api-Key: [redacted]'", "- ProfileId=00027a5C4T0R001E"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	// Flags redact just the same.
	_, out = inProcessIn(t, t.TempDir(), nil, "config", "--basic-auth", "u:flag-s3cret", "--header", "X-K: flag-s3cret")
	if strings.Contains(out, "s3cret") {
		t.Fatalf("a secret from a flag shows:\n%s", out)
	}
}

// TestConfigOutputIsAConfigFile: what `apiconform config` prints, read back
// as a configuration file, gives the same configuration: every key it
// prints is one the file takes, with a value the flag takes.
func TestConfigOutputIsAConfigFile(t *testing.T) {
	args := []string{"config", "--target", "https://staging.example.com", "--contract", "genesys-ucs", "--value", "a=1", "--value", "b: 2",
		"--label-filter", "credentials && !writes", "--focus", "true", "--timeout", "3s", "--max-body", "2048", "--strict", "--shard", "2/3", "-v"}
	code, first := inProcessIn(t, t.TempDir(), nil, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, first)
	}
	dir := t.TempDir()
	writeText(t, filepath.Join(dir, "apiconform.yaml"), first)
	code, second := inProcessIn(t, dir, nil, "config")
	if code != 0 {
		t.Fatalf("the printed configuration is not a valid file: exit %d\n%s\n%s", code, second, first)
	}
	strip := regexp.MustCompile(`(?m) # .*$|^#.*\n`)
	if a, b := strip.ReplaceAllString(first, ""), strip.ReplaceAllString(second, ""); a != b {
		t.Errorf("read back, the configuration differs:\n%s\nvs\n%s", a, b)
	}
	if v, src := configValue(t, second, "focus"); v != `"true"` || src != "file apiconform.yaml" {
		t.Errorf("a string that looks like a boolean must stay a string: focus %s from %s", v, src)
	}
}

// TestEveryRunFlagIsAConfigKey: the keys are run's flags, found by walking
// its flag set, so a flag added later is a key without more work.
func TestEveryRunFlagIsAConfigKey(t *testing.T) {
	_, e := runFlags(io.Discard)
	keys := runFileKeys()
	n := 0
	e.fs.VisitAll(func(f *flag.Flag) {
		if notInFile[f.Name] {
			if keys[f.Name] {
				t.Errorf("%s asks for an action and must not be a key", f.Name)
			}
			return
		}
		n++
		if !keys[f.Name] {
			t.Errorf("run's flag --%s is not a key of the configuration file", f.Name)
		}
	})
	if n < 20 || len(keys) != n {
		t.Errorf("%d keys for %d flags", len(keys), n)
	}
	for _, k := range []string{"target", "contract", "basic-auth", "bearer-token", "header", "value", "junit-report", "json-report", "html-report",
		"label-filter", "focus", "timeout", "run-timeout", "max-body", "strict", "allow-writes", "allow-disruptive", "v", "no-color", "shard"} {
		if !keys[k] {
			t.Errorf("%s is not a key", k)
		}
	}
}

// TestShardFlagIsChecked: a bad shard is a usage error naming where it
// came from, before anything else.
func TestShardFlagIsChecked(t *testing.T) {
	for _, bad := range []string{"0/3", "4/3", "1/1001", "x", "1/", "2/0"} {
		code, out := inProcessCombined(t, nil, "run", "--target", "http://127.0.0.1:9", "--contract", "genesys-ucs", "--shard", bad)
		if code != exitUsage || !strings.Contains(out, "shard") {
			t.Errorf("--shard %s: exit %d\n%s", bad, code, out)
		}
	}
	code, out := inProcessCombined(t, []string{"APICONFORM_SHARD=5/2"}, "list", "--contract", "genesys-ucs")
	if code != exitUsage || !strings.Contains(out, "$APICONFORM_SHARD") {
		t.Errorf("APICONFORM_SHARD=5/2: exit %d\n%s", code, out)
	}
	code, out = inProcessCombined(t, nil, "list", "--contract", "genesys-ucs", "--shard", "1000/1000")
	if code != 0 || !strings.Contains(out, "in shard 1000/1000 (the whole plan has") {
		t.Errorf("--shard 1000/1000 is allowed: exit %d\n%s", code, out)
	}
}

// TestMergeRefusesWhatIsNotOneRun: merging reports that cannot make one
// run is a usage error that says why, and writes nothing.
func TestMergeRefusesWhatIsNotOneRun(t *testing.T) {
	dir := t.TempDir()
	srv := ucsServer(t, "")
	shard := func(name string, extra ...string) string {
		path := filepath.Join(dir, name+".json")
		args := append([]string{"run", "--target", srv.URL, "--contract", "genesys-ucs", "--basic-auth", "demo:demo", "--json-report", path}, extra...)
		if code, out := execBinary(t, nil, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, out)
		}
		return path
	}
	s13, s23, s33 := shard("s13", "--shard", "1/3"), shard("s23", "--shard", "2/3"), shard("s33", "--shard", "3/3")
	s12 := shard("s12", "--shard", "1/2")
	whole := shard("whole")
	// another contract: the same report with another digest
	rep := loadShardResults(t, s33)
	rep.Run.Contract.SHA256 = strings.Repeat("0", 64)
	data, _ := json.Marshal(rep)
	otherContract := writeText(t, filepath.Join(dir, "other.json"), string(data))
	otherFormat := writeText(t, filepath.Join(dir, "v2.json"), strings.Replace(string(data), report.JSONFormat, "apiconform-results/2", 1))
	out := filepath.Join(dir, "merged.json")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a shard missing", []string{s13, s33}, "shard 2/3 is missing"},
		{"a shard twice", []string{s13, s23, s33, s13}, "both of shard 1/3"},
		{"two splits", []string{s13, s23, s33, s12}, "merge the shards of one split"},
		{"shards and a whole run", []string{s13, s23, s33, whole}, "the report of a whole run"},
		{"a scenario twice", []string{whole, whole}, "is in both"},
		{"another contract", []string{s13, s23, otherContract}, "merge reports of one contract"},
		{"another format", []string{s13, s23, otherFormat}, "apiconform-results/2"},
		{"no input", nil, "no report given"},
		{"no such file", []string{filepath.Join(dir, "nope.json")}, "nope.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := inProcessCombined(t, nil, append([]string{"merge", "--json-report", out}, tc.args...)...)
			if code != exitUsage || !strings.Contains(msg, tc.want) {
				t.Errorf("exit %d, want 2 saying %q:\n%s", code, tc.want, msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a merged report was written")
			}
		})
	}
	if code, msg := inProcessCombined(t, nil, "merge", s13, s23, s33); code != exitUsage || !strings.Contains(msg, "nothing to write") {
		t.Errorf("no output: exit %d\n%s", code, msg)
	}
	// The three shards, named in any order, with the flags last: one run.
	code, msg := inProcessCombined(t, nil, "merge", s33, s13, s23, "--json-report", out)
	if code != 0 || !strings.Contains(msg, "3 reports") {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	if got, want := loadShardResults(t, out).Summary, loadShardResults(t, whole).Summary; got != want {
		t.Errorf("merged summary %+v, whole run %+v", got, want)
	}
}

func TestVersion(t *testing.T) {
	var lines []string
	for _, args := range [][]string{{"version"}, {"--version"}, {"run", "--version"}} {
		code, out := inProcessCombined(t, nil, args...)
		if code != 0 || !regexp.MustCompile(`^apiconform \S+\n$`).MatchString(out) {
			t.Fatalf("%v: exit %d: %q", args, code, out)
		}
		lines = append(lines, out)
	}
	if lines[0] != lines[1] || lines[1] != lines[2] {
		t.Errorf("the version commands disagree: %q", lines)
	}
	// The Makefile stamps the version.
	bin := filepath.Join(t.TempDir(), "apiconform")
	if out, err := exec.Command("go", "build", "-ldflags", "-X main.version=v1.2.3-test", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || string(out) != "apiconform v1.2.3-test\n" {
		t.Errorf("stamped build: %q, %v", out, err)
	}
}

func TestResolveVersion(t *testing.T) {
	info := func(v string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: v}}, true }
	}
	for _, c := range []struct{ stamped, module, want string }{
		{"v1.0.0", "v2.0.0", "v1.0.0"}, // the Makefile's stamp wins
		{"dev", "v0.9.1", "v0.9.1"},    // go install module@v0.9.1
		{"dev", "(devel)", "dev"},
		{"dev", "", "dev"},
	} {
		if got := resolveVersion(c.stamped, info(c.module)); got != c.want {
			t.Errorf("resolveVersion(%q, %q) = %q, want %q", c.stamped, c.module, got, c.want)
		}
	}
	if got := resolveVersion("dev", func() (*debug.BuildInfo, bool) { return nil, false }); got != "dev" {
		t.Errorf("without build info: %q", got)
	}
}

// TestListLabels: run and list print the plan's labels, one per line.
func TestListLabels(t *testing.T) {
	p, err := loadPlan("genesys-ucs", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(p.Labels(), "\n") + "\n"
	for _, args := range [][]string{{"run", "--contract", "genesys-ucs", "--list-labels"}, {"list", "--contract", "genesys-ucs", "--list-labels"}} {
		code, out := inProcessCombined(t, nil, args...)
		if code != 0 || out != want {
			t.Errorf("%v: exit %d:\n%s\nwant:\n%s", args, code, out, want)
		}
	}
	for _, l := range []string{"disruptive", "writes", "credentials.missing", "getProfile", "maintenance"} {
		if !strings.Contains(want, "\n"+l+"\n") {
			t.Errorf("label %s missing", l)
		}
	}
	if code, out := inProcessCombined(t, nil, "run", "--list-labels"); code != exitUsage || !strings.Contains(out, "--contract") {
		t.Errorf("without a contract: exit %d\n%s", code, out)
	}
}
