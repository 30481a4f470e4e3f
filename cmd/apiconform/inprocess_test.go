package main

import (
	"bytes"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apiconform/apiconform/internal/console"
)

// inProcess runs a command in this process, for the tests of option
// handling that need no run: a run stays in the binary, since Ginkgo runs
// its specs once per process. The environment is the one execBinary gives:
// the APICONFORM_ variables and NO_COLOR of the test's own environment
// cleared, then env set. A "run" must end before it sends (a usage error,
// --help, a CI early exit); one that would send fails the test.
//
// It returns the exit code, stdout, stderr, and both in the order written.
func inProcess(t *testing.T, env []string, args ...string) (code int, stdout, stderr, both string) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "APICONFORM_") || k == "NO_COLOR" {
			t.Setenv(k, "") // restored after the test
			os.Unsetenv(k)
		}
	}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	if len(args) > 0 && args[0] == "serve" {
		// A serve that starts does not return: it stays in the binary,
		// its usage errors with it.
		code, stdout, stderr = execApart(t, env, args...)
		return code, stdout, stderr, stdout + stderr
	}
	inProcessRuns.Add(1)
	var c capture
	out, errOut := &stream{&c, &c.out}, &stream{&c, &c.err}
	if len(args) > 0 && args[0] == "run" {
		s, exit, done := buildRun(args[1:], console.NewWriter(out), console.NewWriter(errOut))
		if !done {
			s.restore()
			t.Fatalf("inProcess: %q would send requests; run the binary", args)
		}
		code = exit
	} else {
		code = run(args, out, errOut)
	}
	return code, c.out.String(), c.err.String(), c.both.String()
}

// inProcessRuns counts the commands run in-process, each of which ran the
// binary before: -v prints it beside binaryRuns.
var inProcessRuns atomic.Int64

// capture keeps what a command prints: each stream apart, and both in the
// order written, as CombinedOutput gives them.
type capture struct {
	mu             sync.Mutex
	out, err, both bytes.Buffer
}

type stream struct {
	c *capture
	b *bytes.Buffer
}

func (s *stream) Write(p []byte) (int, error) {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	s.c.both.Write(p)
	return s.b.Write(p)
}

// inProcessCombined is inProcess with stdout and stderr as one text, the
// way execBinary returns them.
func inProcessCombined(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	code, _, _, both := inProcess(t, env, args...)
	return code, both
}

// inProcessIn is inProcessCombined in the directory dir, where a run
// finds its config file.
func inProcessIn(t *testing.T, dir string, env []string, args ...string) (int, string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	return inProcessCombined(t, env, args...)
}

// inProcessApart is inProcess with stdout and stderr apart, the way
// execApart returns them.
func inProcessApart(t *testing.T, env []string, args ...string) (int, string, string) {
	t.Helper()
	code, stdout, stderr, _ := inProcess(t, env, args...)
	return code, stdout, stderr
}

// loopbackDirect fails the test if a request of this process for rawURL
// would go through a proxy. For the binary noProxyEnv drops the proxy
// variables; in-process they cannot be dropped, since net/http reads them
// once per process. Go sends no loopback request through a proxy, and
// this checks that the URL is one, with the very function the contract's
// fetch and the probe's client use.
func loopbackDirect(t *testing.T, rawURL string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if proxy, err := http.ProxyFromEnvironment(req); err != nil || proxy != nil {
		t.Fatalf("a request for %s would go through the proxy %v (%v): it must stay on loopback", rawURL, proxy, err)
	}
}
