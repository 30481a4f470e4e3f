package main

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/apiconform/apiconform/fixtures"
)

// serveFault starts a reference target with a fault; the test reads its
// data through the returned server after the run.
func serveFault(t *testing.T, contract, fault string) (*fixtures.Target, *httptest.Server) {
	t.Helper()
	target, err := fixtures.Lookup(contract)
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler(fault)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return target, srv
}

// servePrinted starts `apiconform serve` with args and returns what it
// printed up to its run command, the serve process killed at the end of
// the test, and that command's arguments with the JUnit report moved into
// the test's directory, ready to run as printed.
func servePrinted(t *testing.T, args ...string) (printed string, run []string) {
	t.Helper()
	cmd := binaryCommand(append([]string{"serve"}, args...)...)
	cmd.Env = cleanEnv()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 4096)
	for i := 0; i < 50 && !strings.Contains(printed, "--junit-report"); i++ {
		n, err := stdout.Read(buf)
		printed += string(buf[:n])
		if err != nil {
			break
		}
	}
	for _, l := range strings.Split(printed, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "apiconform run ") {
			run = strings.Fields(strings.TrimPrefix(l, "apiconform "))
		}
	}
	for i, a := range run {
		if a == "--junit-report" && i+1 < len(run) {
			run[i+1] = filepath.Join(t.TempDir(), "junit.xml")
		}
	}
	return printed, run
}

// countingTarget serves a shipped contract's conforming reference target
// and counts the requests it gets by the scenario header; sent returns a
// copy of the counts so far.
func countingTarget(t *testing.T, contract string) (url string, sent func() map[string]int) {
	t.Helper()
	target, err := fixtures.Lookup(contract)
	if err != nil {
		t.Fatal(err)
	}
	h, err := target.Handler("")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Header.Get("X-Apiconform-Scenario")]++
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		return maps.Clone(seen)
	}
}
