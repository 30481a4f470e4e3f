package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// execApart runs the built command and keeps stdout and stderr apart.
func execApart(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := binaryCommand(args...)
	cmd.Env = append(cleanEnv(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

// A mistake on the command line is one line on stderr, exit 2: not the
// usage, which buries it.
func TestFlagMistakesAreOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--taget", "http://127.0.0.1:1"}, "apiconform run: unknown flag --taget; did you mean --target? (apiconform run --help lists the flags)"},
		{[]string{"run", "--contract", "plain-pets", "-taget=x"}, "apiconform run: unknown flag --taget; did you mean --target? (apiconform run --help lists the flags)"},
		{[]string{"run", "--base-pth", "/"}, "apiconform run: unknown flag --base-pth; did you mean --base-path? (apiconform run --help lists the flags)"},
		{[]string{"run", "--frobnicate"}, "apiconform run: unknown flag --frobnicate (apiconform run --help lists the flags)"},
		{[]string{"list", "--contarct", "plain-pets"}, "apiconform list: unknown flag --contarct; did you mean --contract? (apiconform list --help lists the flags)"},
		{[]string{"config", "--timout", "3s"}, "apiconform config: unknown flag --timout; did you mean --timeout? (apiconform config --help lists the flags)"},
		{[]string{"serve", "--fualt", "x"}, "apiconform serve: unknown flag --fualt; did you mean --fault? (apiconform serve --help lists the flags)"},
		{[]string{"audit", "--slwo", "1s", "x.log"}, "apiconform audit: unknown flag --slwo; did you mean --slow? (apiconform audit --help lists the flags)"},
		{[]string{"merge", "--jsonreport", "o.json", "a.json"}, "apiconform merge: unknown flag --jsonreport; did you mean --json-report? (apiconform merge --help lists the flags)"},
		{[]string{"contracts", "--all"}, "apiconform contracts: unknown flag --all (apiconform contracts --help lists the flags)"},
		// bad values, and a flag without one
		{[]string{"run", "--timeout", "x"}, `apiconform run: invalid value "x" for --timeout: expected a duration such as 10s, 1m30s or 500ms`},
		{[]string{"run", "--concurrency", "many"}, `apiconform run: invalid value "many" for --concurrency: expected a whole number`},
		{[]string{"run", "--rate", "fast"}, `apiconform run: invalid value "fast" for --rate: expected a number`},
		{[]string{"run", "--strict=maybe"}, `apiconform run: invalid value "maybe" for --strict: expected true or false`},
		{[]string{"run", "--base-path", "api/v2"}, `apiconform run: invalid value "api/v2" for --base-path: must start with / (a path such as /api/v2; / alone for none)`},
		{[]string{"run", "--base-path", "/api?x=1"}, `apiconform run: invalid value "/api?x=1" for --base-path: must be a path alone, without a query or fragment`},
		{[]string{"run", "--base-path", "/api#top"}, `apiconform run: invalid value "/api#top" for --base-path: must be a path alone, without a query or fragment`},
		{[]string{"serve", "--contract", "plain-pets", "--base-path", "v1"}, `apiconform serve: invalid value "v1" for --base-path: must start with /`},
		{[]string{"run", "--target"}, "apiconform run: --target needs a value"},
		{[]string{"audit", "--slow", "soon", "x.log"}, `apiconform audit: invalid value "soon" for --slow: expected a duration`},
	} {
		code, stdout, stderr := inProcessApart(t, nil, tc.args...)
		if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d, want 2 and the one line\n%s\ngot stdout %q, stderr:\n%s", tc.args, code, tc.want, stdout, stderr)
		}
	}
	// A bad value from the environment or the file names where it came from.
	code, _, stderr := inProcessApart(t, []string{"APICONFORM_BASE_PATH=api"}, "run", "--target", "http://127.0.0.1:1", "--contract", "plain-pets")
	if code != exitUsage || !strings.Contains(stderr, `apiconform run: $APICONFORM_BASE_PATH: invalid value "api" for --base-path: must start with /`) {
		t.Errorf("APICONFORM_BASE_PATH=api: exit %d\n%s", code, stderr)
	}
}

// --help and -h are asked for: the usage goes to stdout, exit 0, for
// every command.
func TestHelpGoesToStdout(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--help"}, "Usage: apiconform run "},
		{[]string{"run", "-h"}, "--base-path PATH"},
		{[]string{"help", "run"}, "[$APICONFORM_BASE_PATH]"},
		{[]string{"list", "--help"}, "Usage: apiconform list "},
		{[]string{"config", "--help"}, "Usage: apiconform config "},
		{[]string{"serve", "-h"}, "--base-path PATH"},
		{[]string{"audit", "--help"}, "Usage: apiconform audit "},
		{[]string{"merge", "--help"}, "Usage: apiconform merge "},
		{[]string{"contracts", "--help"}, "Usage: apiconform contracts"},
	} {
		code, stdout, stderr := inProcessApart(t, nil, tc.args...)
		if code != exitOK || stderr != "" || !strings.Contains(stdout, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; stdout lacks %q:\n%s", tc.args, code, stderr, tc.want, stdout)
		}
	}
}
